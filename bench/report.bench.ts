// The lägesbild (GET /api/reports/lagesbild) on the embedded backend with the sample data, for 2025, at three levels:
// a stadsdel (Husby), a stadsdelsområde (Järva) and the municipality (Stockholm). Cold: the first request for the
// report after a start (nothing of it memoised; the rollups are on disk); warm: the same request again (the same
// data version: the place evaluations, hotspot section, sources' provenance and map image come from the memo).
// json and html each get a fresh start of the real server (npm start), since a json report renders the map image too.
// The baseline, measured in the same run, is the area's profile (GET /api/areas/:id/profile, the report's first
// section): figures are ratios against it as well as milliseconds. Never asserts on time.
// REPORT_BENCH_DATA_DIR=<dir with pglite/>: copy that database instead of a fresh DATA_DIR (seeded from the
// install's template, or built, ~1 min). REPORT_BENCH_ROOT: the checkout to start (default: this one).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { report, type BenchRow } from './harness.js';

const root = process.env.REPORT_BENCH_ROOT ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PERIOD = 'from=2025-01-01&to=2026-01-01';
const AREAS = [
  { label: 'stadsdel Husby', set: 'stadsdelar', name: 'Husby' },
  { label: 'stadsdelsområde Järva', set: 'stadsdelsomraden-2023', name: 'Järva' },
  { label: 'kommun Stockholm', set: 'kommuner-ab', name: 'Stockholm' },
];

function freePort(): Promise<number> {
  return new Promise((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => res(p)); }); });
}

async function start(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try { if ((await fetch(`${url}/api/health`)).ok) break; } catch { /* not yet */ }
    if (performance.now() - t0 > 300_000) throw new Error('no answer in 300 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: async () => {
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
      for (let i = 0; i < 50 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    },
  };
}

async function timed(url: string): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const r = await fetch(url);
  const body = await r.text();
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status} ${body.slice(0, 300)}`);
  return { ms, body };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-bench-report-'));
if (process.env.REPORT_BENCH_DATA_DIR) fs.cpSync(path.join(process.env.REPORT_BENCH_DATA_DIR, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
const rows: BenchRow[] = [];
const notes: string[] = [];
try {
  for (const f of ['json', 'html'] as const) {
    const svc = await start(dataDir);
    try {
      for (const a of AREAS) {
        const list = JSON.parse((await timed(`${svc.url}/api/area-sets/${a.set}/areas`)).body) as { id: number; name: string }[] | { areas: { id: number; name: string }[] };
        const area = (Array.isArray(list) ? list : list.areas).find((x) => x.name === a.name);
        if (!area) throw new Error(`no area ${a.name} in ${a.set}`);
        const profile = await timed(`${svc.url}/api/areas/${area.id}/profile?${PERIOD}`);
        const u = `${svc.url}/api/reports/lagesbild?areaId=${area.id}&${PERIOD}&f=${f}`;
        const cold = await timed(u);
        const warm = await timed(u);
        rows.push(
          { metric: `${a.label} (${area.id}) ${f} cold`, value: cold.ms, unit: 'ms' },
          { metric: `${a.label} (${area.id}) ${f} warm`, value: warm.ms, unit: 'ms' },
          { metric: `${a.label} ${f} cold / profile (${profile.ms.toFixed(0)} ms)`, value: cold.ms / profile.ms },
          { metric: `${a.label} ${f} warm / profile`, value: warm.ms / profile.ms },
        );
        if (f === 'json') notes.push(`${a.label}: map image ${JSON.parse(cold.body).whereWhen.map.kind}, ${JSON.parse(cold.body).places.length} places`);
        console.log(`${a.label} ${f}: cold ${cold.ms.toFixed(0)} ms, warm ${warm.ms.toFixed(0)} ms (profile ${profile.ms.toFixed(0)} ms)`);
      }
    } finally { await svc.stop(); }
  }
} finally { fs.rmSync(dataDir, { recursive: true, force: true }); }
report('report', rows, [
  'embedded backend, sample data, 2025, public view; each format on a fresh start of the server (cold = first request after it, warm = the same request again)',
  ...notes,
]);
