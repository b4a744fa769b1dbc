// A labelled-synthetic, seeded set of 1,000,000 crimes over Stockholm for the tile and hotspot benches, loaded into
// a real PostGIS database through the project's own incident writer (stage + merge, one transaction).
// 55 % fall around metro stations (Gaussian, σ 250 m, central stations weigh more), 45 % uniformly over the city's
// bounding box; times uniform over 2025 (local day hours weighted to evenings). Reused when already loaded.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import proj4 from 'proj4';
import seedrandom from 'seedrandom';
import { loadConfig } from '../server/config.js';
import type { Db } from '../server/db/index.js';
import { mergeStagedIncidents, prepareIncidentStage, stageIncidents, type IncidentInput } from '../server/ingest/write-incidents.js';
import { hashSecret } from '../server/domain/keys/hash-secret.js';
import { PROJECT_ROOT } from '../server/config.js';
import { openReadyDb } from '../server/startup.js';

export const BENCH_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tk_bench_tiles';
export const BENCH_ANALYST_KEY = 'bench-analyst-key-not-secret';
const PROVIDER = 'bench-synthetic';

proj4.defs('EPSG:3006', '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs');

function* generate(n: number, seed: string): Generator<IncidentInput> {
  const rng = seedrandom(seed);
  const stations = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'data/transit/metro-stations.geojson'), 'utf8')) as
    { features: { geometry: { coordinates: [number, number] } }[] }).features.map((f) => proj4('EPSG:4326', 'EPSG:3006', f.geometry.coordinates));
  const centre = proj4('EPSG:4326', 'EPSG:3006', [18.0604, 59.3314]);
  const weights = stations.map(([x, y]) => 1 / (1 + Math.hypot(x - centre[0], y - centre[1]) / 3000));
  const total = weights.reduce((a, b) => a + b, 0);
  const cum = weights.map(((s) => (w: number) => (s += w / total))(0));
  const [x0, y0] = proj4('EPSG:4326', 'EPSG:3006', [17.76, 59.23]);
  const [x1, y1] = proj4('EPSG:4326', 'EPSG:3006', [18.20, 59.43]);
  const cats = ['stold', 'misshandel', 'skadegorelse', 'ran', 'narkotika', 'bedrageri'];
  const start = Date.UTC(2025, 0, 1, 0, 0), span = 364 * 86_400_000;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  for (let k = 0; k < n; k++) {
    let x: number, y: number;
    if (rng() < 0.55) {
      const u = rng();
      const s = stations[Math.max(0, cum.findIndex((c) => c >= u))];
      x = s[0] + gauss() * 250; y = s[1] + gauss() * 250;
    } else { x = x0 + rng() * (x1 - x0); y = y0 + rng() * (y1 - y0); }
    yield { externalId: `B${k}`, category: cats[Math.floor(rng() * cats.length)], occurredFrom: new Date(start + Math.floor(rng() * span)), x, y, precision: 'exact', attrs: { synthetic: true } };
  }
}

async function ensureDatabase(url: string) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  const r = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!r.rowCount) await admin.query(`CREATE DATABASE ${name.replace(/[^a-z0-9_]/g, '')}`);
  await admin.end();
}

/** Opens (creating and filling once) the bench database with n synthetic crimes and an analyst key. */
export async function openBenchDb(n = 1_000_000, log = console.log): Promise<Db> {
  await ensureDatabase(BENCH_URL);
  const db = await openReadyDb(loadConfig({ DATABASE_URL: BENCH_URL, LOG_LEVEL: 'silent', SAMPLE_DATA: 'off', STATEMENT_TIMEOUT_MS: '600000' }), log);
  const have = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE provider = $1`, [PROVIDER])).rows[0].n;
  if (have !== n) {
    log(`loading ${n} synthetic crimes into ${BENCH_URL} (have ${have}) …`);
    const t0 = Date.now();
    await db.query(`DELETE FROM incidents WHERE provider = $1`, [PROVIDER]);
    await db.transaction(async (tx) => {
      await prepareIncidentStage(tx);
      const it = generate(n, 'trygghetskarta-bench-1');
      for (;;) {
        const chunk: IncidentInput[] = [];
        for (let k = 0; k < 100_000; k++) { const r = it.next(); if (r.done) break; chunk.push(r.value); }
        if (!chunk.length) break;
        await stageIncidents(tx, chunk);
      }
      const res = await mergeStagedIncidents(tx, 'crimes', PROVIDER, null);
      log(`merged: ${JSON.stringify(res)} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    });
    await db.query('ANALYZE incidents');
  }
  await db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('bench analyst', 'analyst', $1) ON CONFLICT (key_hash) DO NOTHING`, [hashSecret(BENCH_ANALYST_KEY)]);
  return db;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const db = await openBenchDb(Number(process.argv[2] ?? 1_000_000));
  await db.close();
}

/** Starts the service (npm start's entry) on the bench database; resolves when /api/health answers. */
export async function startService(port: number, env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const { spawn } = await import('node:child_process');
  const os = await import('node:os');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/main.ts')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: BENCH_URL, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SAMPLE_DATA: 'off',
      RATE_LIMIT_PER_MINUTE: '100000000', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    try { if ((await fetch(`${url}/api/health`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => { fs.rmSync(dataDir, { recursive: true, force: true }); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}
