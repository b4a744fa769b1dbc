// Cold start (fresh DATA_DIR: migrations, reference and sample data) and warm start (same DATA_DIR again) of the
// README's run command on the embedded backend: time until /api/health answers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { report } from './harness.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function freePort(): Promise<number> {
  return new Promise((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => res(p)); }); });
}

async function startOnce(dataDir: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn('npm', ['start', '--silent'], { cwd: root, env, stdio: 'ignore', detached: true });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (r.ok) return (performance.now() - t0) / 1000;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 100));
      if (performance.now() - t0 > 240_000) throw new Error('no answer in 240 s');
    }
  } finally {
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
    await new Promise((r) => setTimeout(r, 1500));
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-bench-start-'));
const cold = await startOnce(dir);
const warm = await startOnce(dir);
fs.rmSync(dir, { recursive: true, force: true });
report('startup', [
  { metric: 'cold start (fresh DATA_DIR, data loaded)', value: cold, unit: 's', target: '≤ 20 s', ok: cold <= 20 },
  { metric: 'warm start (same DATA_DIR)', value: warm, unit: 's', target: '≤ 5 s', ok: warm <= 5 },
], ['embedded backend (PGlite + pglite-postgis), web app already built']);
