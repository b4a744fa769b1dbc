// National scale (issue 22): NATIONAL_CRIMES (15,000,000) synthetic crimes over all of Sweden (REGION=sverige, the
// generator spreads them by municipality: server/generate/region-places.ts), ten years 2016–2025, on real PostGIS.
//   - import in chunks of NATIONAL_CHUNK (1,000,000) through `npm run import` (the CLI, as an operator runs it): each
//     chunk's rate against the first (target: none more than 20 % slower), against the ceiling (psql \copy of the
//     first chunk's rows, already converted, into a table shaped like incidents; target ≥ 0.5) and beside ogr2ogr
//     loading the same CSV into PostGIS with a GiST and a time index; then a re-import of an unchanged chunk
//     (target ≤ 10 s per million rows);
//   - per-area statistics, cold (every request a different period or category), for the 290 municipalities and the 117
//     Stockholm districts: p50/p95 (target p95 ≤ 300 ms);
//   - hot spots at 250 m over a year for a municipality (Stockholm: its 117 districts make the study area);
//   - tiles z8–z15 around Stockholm and Göteborg: uncached service vs pgbench on the same SQL (target ≥ 0.8), cached
//     tiles/s for hexbins and points (target ≥ 5,000), the largest tile of any layer (target < 500 KB);
//   - when BENCH_REPLICA_URL names a streaming replica of the cluster: one instance on the primary vs two instances
//     reading from the replica, each PostgreSQL pinned to one core with taskset (BENCH_PIN=off to skip pinning).
// CI runs a slice: NATIONAL_CRIMES=200000 NATIONAL_CHUNK=50000 NATIONAL_SECONDS=3.
// NATIONAL_KEEP=1 keeps the database afterwards; NATIONAL_REUSE=1 then measures the reads (step 5 on) again on it
// without the hour of generating and importing (report national-reads).
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../server/config.js';
import { openDb } from '../server/db/index.js';
import { exactDisclosure, disclosureFor } from '../server/domain/disclosure/disclosure-control.js';
import { hashSecret } from '../server/domain/keys/hash-secret.js';
import { resolveRegion } from '../server/domain/region/resolve-region.js';
import { crimeLines } from '../server/generate/model.js';
import { RegionPlaces } from '../server/generate/region-places.js';
import type { LayerName } from '../server/tiles/layers.js';
import { TileService, type TileFilter } from '../server/tiles/tile-service.js';
import { startService } from './bench-data.js';
import { percentile, report, type BenchRow } from './harness.js';
import { pgbenchScripts, rangeAround, runPgbench, runService, tilesOf, warmEvery } from './tile-bench-kit.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const N = Number(process.env.NATIONAL_CRIMES ?? 15_000_000);
const CHUNK = Number(process.env.NATIONAL_CHUNK ?? 1_000_000);
const SECONDS = Number(process.env.NATIONAL_SECONDS ?? 15);
const REPLICA = process.env.BENCH_REPLICA_URL;
const REUSE = process.env.NATIONAL_REUSE === '1';
const base = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const withDb = (url: string, db: string) => { const u = new URL(url); u.pathname = `/${db}`; return u.toString(); };
// a slice gets a database of its own: CI's 200 k slice must not drop a 15 M database kept for NATIONAL_REUSE
const DB_NAME = N >= 15_000_000 ? 'tk_bench_national' : `tk_bench_national_${N}`;
const url = withDb(base, DB_NAME);
const REGION = 'sverige';
const ANALYST_KEY = 'bench-national-analyst-not-secret';
const FROM = '2016-01-01', TO = '2025-12-31';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-bench-national-'));
const rows: BenchRow[] = [];
const notes: string[] = [];
const log = (m: string) => console.error(`[national] ${m}`);
const secs = (t0: number) => (performance.now() - t0) / 1000;

function psql(command: string, what: string): number {
  const t0 = performance.now();
  const r = spawnSync('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
  return secs(t0);
}
// exactly what `npm run import` runs, without npm's own process around it
const IMPORT_CMD = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.import.split(/\s+/);
function importChunk(file: string): { s: number; inserted: number; unchanged: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...IMPORT_CMD.slice(1), 'crimes', file, '--provider', 'synthetic'],
    { cwd: root, env: { ...process.env, DATABASE_URL: url, REGION, LOG_LEVEL: 'silent' }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`import of ${file} failed (${r.status}): ${r.stdout.slice(-1500)} ${r.stderr.slice(-1500)}`);
  const count = (what: string) => Number(new RegExp(`${what}:\\s+(\\d+)`).exec(r.stdout)?.[1] ?? NaN);
  return { s: secs(t0), inserted: count('inserted'), unchanged: count('unchanged') };
}

const region = resolveRegion(REGION);
const admin = new pg.Client({ connectionString: withDb(base, 'postgres') });
await admin.connect();
if (REUSE) {
  const have = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
  if (!have.rowCount) throw new Error(`NATIONAL_REUSE=1 needs the database ${DB_NAME} a run with NATIONAL_KEEP=1 left`);
  notes.push(`reads measured again on the kept database ${DB_NAME} (NATIONAL_REUSE=1): no generation or import in this run`);
} else {
  // 1. a fresh database for the whole country: migrations and the national reference sets (not timed)
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  const mig = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'server/cli/migrate.ts')],
    { cwd: root, env: { ...process.env, DATABASE_URL: url, REGION, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
  if (mig.status !== 0) throw new Error(`migrate failed: ${mig.stderr}`);

  // 2. the generated crimes, written as chunk files (the generator streams; nothing holds 15 M rows in memory)
  let t = performance.now();
  const files: string[] = [];
  {
    let out: fs.WriteStream | null = null;
    let buf = '', inChunk = 0, header = '';
    const flush = async () => { if (out && buf) { if (!out.write(buf)) await once(out, 'drain'); } buf = ''; };
    for (const line of crimeLines({ seed: 'national-1', crimes: N, from: FROM, to: TO }, new RegionPlaces(region))) {
      if (!header) { header = line; continue; }
      if (!out || inChunk === CHUNK) {
        await flush();
        if (out) { out.end(); await once(out, 'finish'); }
        const f = path.join(tmp, `crimes-${String(files.length + 1).padStart(2, '0')}.csv`);
        files.push(f);
        out = fs.createWriteStream(f);
        buf = header + '\n';
        inChunk = 0;
      }
      buf += line + '\n';
      inChunk++;
      if (buf.length > 1 << 16) await flush();
    }
    await flush();
    if (out) { out.end(); await once(out, 'finish'); }
  }
  const genS = secs(t);
  log(`generated ${N} crimes in ${files.length} chunks in ${genS.toFixed(0)} s`);

  // 3. the ceiling and ogr2ogr on the first chunk, before anything is imported
  const first = files[0];
  const firstRows = Math.min(N, CHUNK);
  psql(`CREATE TABLE bare_crimes (id text, occurred_from timestamptz, occurred_to timestamptz, category text, x double precision, y double precision)`, 'bare table');
  const bareS = psql(`\\copy bare_crimes FROM '${first}' WITH (FORMAT csv, HEADER true)`, 'psql \\copy into the bare table');
  const shaped = path.join(tmp, 'shaped.csv');
  const shapedCols = 'source, provider, external_id, category, occurred_from, occurred_to, precision, geom, row_hash';
  psql(`\\copy (SELECT 'crimes', 'synthetic', id, category, occurred_from, occurred_to, 'exact', ST_SetSRID(ST_MakePoint(x, y), 3006), md5(id) FROM bare_crimes) TO '${shaped}' WITH (FORMAT csv)`, 'converting');
  psql('CREATE TABLE shaped_crimes (LIKE incidents INCLUDING ALL)', 'shaped table');
  const shapedS = psql(`\\copy shaped_crimes (${shapedCols}) FROM '${shaped}' WITH (FORMAT csv)`, 'psql \\copy into the shaped table');
  psql('DROP TABLE shaped_crimes, bare_crimes', 'cleanup');
  fs.rmSync(shaped);
  let ogrS = NaN;
  {
    const u = new URL(url);
    const t0 = performance.now();
    const r = spawnSync('ogr2ogr', ['-f', 'PostgreSQL', `PG:host=${u.hostname} port=${u.port || 5432} user=${decodeURIComponent(u.username) || 'postgres'} dbname=${DB_NAME}`, first,
      '-oo', 'X_POSSIBLE_NAMES=x', '-oo', 'Y_POSSIBLE_NAMES=y', '-oo', 'AUTODETECT_TYPE=YES', '-a_srs', 'EPSG:3006', '-nln', 'ogr_crimes',
      '-lco', 'GEOMETRY_NAME=geom', '-lco', 'SPATIAL_INDEX=GIST', '--config', 'PG_USE_COPY', 'YES'], { encoding: 'utf8' });
    if (r.status === 0) {
      psql('CREATE INDEX ON ogr_crimes (occurred_from)', 'ogr2ogr time index');
      ogrS = secs(t0);
      psql('DROP TABLE ogr_crimes', 'cleanup');
    } else notes.push(`ogr2ogr failed: ${r.stderr.slice(0, 300)}`);
  }

  // 4. the import, chunk by chunk
  const chunkRates: number[] = [];
  t = performance.now();
  for (const [i, f] of files.entries()) {
    const r = importChunk(f);
    const n = i === files.length - 1 && N % CHUNK ? N % CHUNK : CHUNK;
    if (r.inserted !== n) throw new Error(`chunk ${i + 1} inserted ${r.inserted} of ${n}`);
    chunkRates.push(n / r.s);
    log(`chunk ${i + 1}/${files.length}: ${n} rows in ${r.s.toFixed(1)} s (${(n / r.s).toFixed(0)} rows/s)`);
  }
  const importS = secs(t);
  const again = importChunk(first);
  if (again.inserted !== 0 || again.unchanged !== firstRows) throw new Error(`the re-import changed rows: ${JSON.stringify(again)}`);
  psql('ANALYZE', 'analyze');
  const slowest = Math.min(...chunkRates.slice(1)), firstRate = chunkRates[0];
  const bareRate = firstRows / bareS, ceiling = firstRows / shapedS;
  rows.push(
    { metric: `import of ${N.toLocaleString('en')} crimes in ${files.length} chunks (npm run import, each chunk a process)`, value: importS / 60, unit: 'min' },
    { metric: 'first chunk', value: firstRate, unit: 'rows/s' },
    { metric: 'slowest later chunk', value: files.length > 1 ? slowest : NaN, unit: 'rows/s' },
    { metric: 'slowest later chunk / first', value: files.length > 1 ? slowest / firstRate : NaN, target: '≥ 0.8 (≤ 20 % slower)', ok: files.length > 1 ? slowest / firstRate >= 0.8 : null },
    { metric: 'last chunk / first', value: chunkRates[chunkRates.length - 1] / firstRate },
    { metric: 'psql \\copy of the first chunk into a bare table', value: bareRate, unit: 'rows/s' },
    { metric: 'ceiling: psql \\copy of its converted rows into a table shaped like incidents', value: ceiling, unit: 'rows/s' },
    { metric: 'first chunk / ceiling', value: firstRate / ceiling, target: '≥ 0.5', ok: firstRate / ceiling >= 0.5 },
    { metric: 'ogr2ogr of the first chunk into PostGIS (+ GiST and time index)', value: firstRows / ogrS, unit: 'rows/s' },
    { metric: 'first chunk / ogr2ogr', value: firstRate / (firstRows / ogrS) },
    { metric: `re-import of an unchanged chunk (${firstRows.toLocaleString('en')} rows, 0 written), at ${N.toLocaleString('en')} rows`, value: again.s / (firstRows / 1e6), unit: 's per million', target: '≤ 10', ok: again.s / (firstRows / 1e6) <= 10 },
  );
  notes.push(`generated with seed national-1 over ${FROM}..${TO} in ${genS.toFixed(0)} s; chunk rates (rows/s): ${chunkRates.map((r) => r.toFixed(0)).join(', ')}`);
}

// 5. statistics, hot spots and tiles through the service (REGION=sverige), public unless said
const db = await openDb(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', REGION }));
await db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('bench analyst', 'analyst', $1) ON CONFLICT (key_hash) DO NOTHING`, [hashSecret(ANALYST_KEY)]);
const auth = { authorization: `Bearer ${ANALYST_KEY}` };
const svc = await startService(3131, { DATABASE_URL: url, REGION, TILE_CACHE_ENTRIES: '0', PG_POOL_MAX: '10' });
try {
  const periods = [['2025-01-01', '2026-01-01'], ['2025-06-01', '2025-07-01'], ['2024-07-01', '2025-07-01'], ['2016-01-01', '2026-01-01'], ['2023-01-01', '2024-01-01']];
  const cats = ['', 'stold', 'misshandel', 'ran'];
  for (const set of [region.kommunSetId, 'stadsdelar']) {
    // the first statistics request after an import builds the set's month rollup for the new data version (once,
    // cluster-wide); it is reported on its own, the p95 is over the requests after it
    const t1 = performance.now();
    const w = await fetch(`${svc.url}/api/stats?areaSet=${set}&source=crimes&from=2024-01-01&to=2025-01-01`);
    await w.arrayBuffer();
    if (!w.ok) throw new Error(`stats ${set}: HTTP ${w.status}`);
    rows.push({ metric: `stats ${set}: the first request after the import (builds the month rollup)`, value: performance.now() - t1, unit: 'ms' });
    const ms: number[] = [];
    for (const [from, to] of periods) for (const c of cats) {
      const t0 = performance.now();
      const r = await fetch(`${svc.url}/api/stats?areaSet=${set}&source=crimes&from=${from}&to=${to}${c ? `&category=${c}` : ''}`);
      await r.arrayBuffer();
      if (!r.ok) throw new Error(`stats ${set} ${from}: HTTP ${r.status}`);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    const p95 = percentile(ms, 95);
    rows.push({ metric: `stats ${set} (${set === 'stadsdelar' ? 117 : region.kommuner.length} areas), ${ms.length} different requests, cold: p50`, value: percentile(ms, 50), unit: 'ms' });
    rows.push({ metric: `stats ${set}: p95`, value: p95, unit: 'ms', target: '≤ 300', ok: p95 <= 300 });
  }
  const hs: number[] = [];
  for (const c of cats) {
    const t0 = performance.now();
    const r = await fetch(`${svc.url}/api/hotspots?areaSet=stadsdelar&cellSize=250&source=crimes&from=2025-01-01&to=2026-01-01${c ? `&category=${c}` : ''}`);
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`hotspots: HTTP ${r.status}`);
    hs.push(performance.now() - t0);
  }
  hs.sort((a, b) => a - b);
  rows.push({ metric: 'hot spots, Stockholm (117 districts) at 250 m over 2025, cold: slowest of 4', value: hs[hs.length - 1], unit: 'ms' });

  // tiles z8–z15 around Stockholm and Göteborg
  const ranges = [8, 9, 10, 11, 12, 13, 14, 15].flatMap((z) => [rangeAround(18.0604, 59.3314, z, 3, 3), rangeAround(11.9668, 57.7072, z, 3, 3)]);
  const tiles = tilesOf(ranges);
  const filter: TileFilter = { source: 'crimes', categories: null, from: '2025-01-01', to: '2026-01-01', areaSet: 'stadsdelar', cellSize: 250, alpha: 0.05 };
  const tileSvc = new TileService(db, { cacheEntries: 0 });
  const dir = fs.mkdtempSync(path.join(tmp, 'pgbench-'));
  const q = 'source=crimes&from=2025-01-01&to=2026-01-01';
  for (const layer of ['hexbins', 'incidents'] as LayerName[]) {
    const exact = layer === 'incidents';
    const lr = exact ? ranges.filter((r) => r.z >= 13) : ranges; // points are drawn from z13
    const lt = tilesOf(lr);
    const pgTps = runPgbench(await pgbenchScripts(tileSvc, lr, filter, exact ? exactDisclosure(5) : await disclosureFor(db, false, { k: 5, maxNoise: 2 }), dir, layer), url, SECONDS);
    const s = await runService(svc.url, layer, q, lt, exact ? auth : {}, SECONDS);
    rows.push({ metric: `${layer} z${lr[0].z}–15 uncached: service / pgbench (${s.tps.toFixed(0)} / ${pgTps.toFixed(0)} tiles/s)`, value: s.tps / pgTps, target: '≥ 0.8', ok: s.tps / pgTps >= 0.8 });
  }
  notes.push(`${tiles.length} tiles z8–z15 (3×3 per zoom around T-Centralen and Göteborg C), 10 clients, ${SECONDS} s per run, ${os.cpus().length} CPUs shared by PostgreSQL, the service and the load generator`);
} finally { await svc.stop(); }

const cached = await startService(3132, { DATABASE_URL: url, REGION, TILE_CACHE_ENTRIES: '20000' });
try {
  const ranges = [8, 9, 10, 11, 12, 13, 14, 15].flatMap((z) => [rangeAround(18.0604, 59.3314, z, 3, 3), rangeAround(11.9668, 57.7072, z, 3, 3)]);
  const q = 'source=crimes&from=2025-01-01&to=2026-01-01';
  let biggest = { bytes: 0, what: '' };
  const failed: string[] = []; // a tile the database could not draw within STATEMENT_TIMEOUT_MS: reported, not fatal
  for (const [layer, lr, headers] of [['hexbins', ranges, {}], ['incidents', ranges.filter((r) => r.z >= 13), auth]] as [string, typeof ranges, Record<string, string>][]) {
    const lt = tilesOf(lr);
    failed.push(...await warmEvery(cached.url, layer, q, lt, headers));
    const c = await runService(cached.url, layer, q, lt, headers, Math.max(3, Math.round(SECONDS / 2)));
    rows.push({ metric: `${layer} cached (warm), ${layer === 'incidents' ? 'analyst' : 'public'}`, value: c.tps, unit: 'tiles/s', target: '≥ 5000', ok: c.tps >= 5000 });
  }
  for (const layer of ['hexbins', 'incidents', 'areas', 'hotspots']) {
    for (const tl of tilesOf(ranges)) {
      if (layer === 'incidents' && tl.z < 13) continue;
      const r = await fetch(`${cached.url}/tiles/${layer}/${tl.z}/${tl.x}/${tl.y}.mvt?${q}${layer === 'areas' ? `&areaSet=${region.kommunSetId}` : ''}`, { headers: auth });
      const n = (await r.arrayBuffer()).byteLength;
      if (r.status >= 500) { failed.push(`${layer} ${tl.z}/${tl.x}/${tl.y} (HTTP ${r.status})`); continue; }
      if (r.status >= 400) throw new Error(`${layer} ${tl.z}/${tl.x}/${tl.y}: HTTP ${r.status}`);
      if (n > biggest.bytes) biggest = { bytes: n, what: `${layer} ${tl.z}/${tl.x}/${tl.y}` };
    }
  }
  rows.push({ metric: `largest tile z8–15 (any layer: ${biggest.what})`, value: biggest.bytes / 1024, unit: 'KB', target: '< 500', ok: biggest.bytes < 500 * 1024 });
  const notDrawn = [...new Set(failed)]; // warming and the crawl may both meet the same tile
  rows.push({ metric: 'tiles not drawn within the statement timeout (503)', value: notDrawn.length, target: '0', ok: notDrawn.length === 0 });
  if (notDrawn.length) notes.push(`not drawn: ${notDrawn.slice(0, 12).join(', ')}${notDrawn.length > 12 ? ' …' : ''}`);
} finally { await cached.stop(); }
await db.close();

// 6. one instance vs two instances + a replica (each cluster on its own core)
if (REPLICA) {
  const { readScaling } = await import('./read-scaling.js');
  rows.push(...await readScaling({ primaryDbUrl: url, replicaDbUrl: withDb(REPLICA, DB_NAME), region: REGION, seconds: SECONDS, pin: process.env.BENCH_PIN !== 'off', notes }));
} else notes.push('no BENCH_REPLICA_URL: the one-vs-two-instances run was skipped (`eval "$(.ci/start-replica)"; BENCH_REPLICA_URL=$TEST_REPLICA_URL`)');

if (process.env.NATIONAL_KEEP !== '1') await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => {});
await admin.end();
fs.rmSync(tmp, { recursive: true, force: true });
report(REUSE ? 'national-reads' : N >= 15_000_000 ? 'national' : `national-${N}`, rows, notes);
