// /api/stats and the area profile on 1,000,000 generated crimes in real PostGIS.
// `npx tsx bench/stats.bench.ts` (or `npm run bench -- stats`). Needs PostgreSQL + PostGIS: BENCH_DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres); the bench creates (once) and reuses the database
// tk_bench_stats, loading the crimes with COPY through the incident stage/merge (the import path, rollup included).
// Crimes: seeded (seedrandom), clustered around the 117 stadsdelar (normal, σ 700 m, weight ∝ population) plus
// 15 % spread uniformly; 2023-01-01 .. 2025-12-31; 20 crime codes; 10 % with an uncertain span of up to 12 hours.
// Measured: /api/stats for the 117 stadsdelar over varied periods and category sets (public role: suppression,
// rounding, population, unplaced and provenance included) against the plain SQL read of the rollup for the same
// parameters; the profile of one area. Targets: /api/stats p95 ≤ 300 ms, profile p95 ≤ 500 ms.
import pg from 'pg';
import seedrandom from 'seedrandom';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDb } from '../server/db/index.js';
import { migrate } from '../server/db/migrate.js';
import { mergeStagedIncidents, prepareIncidentStage, stageIncidents, type IncidentInput } from '../server/ingest/write-incidents.js';
import { ensureReferenceData } from '../server/reference/load-reference-data.js';
import { percentile, report, type BenchRow } from './harness.js';

const N = Number(process.env.BENCH_CRIMES ?? 1_000_000);
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'tk_bench_stats';
const CODES = Array.from({ length: 20 }, (_, i) => `b${String(i + 1).padStart(2, '0')}`);

function withDb(url: string, name: string) { const u = new URL(url); u.pathname = `/${name}`; return u.toString(); }

async function ensureDatabase() {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rows.length > 0;
  if (!exists) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
}

function gauss(rnd: () => number) { return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()); }

async function main() {
  await ensureDatabase();
  const config = loadConfig({ DATABASE_URL: withDb(base, DB_NAME), LOG_LEVEL: 'silent', SAMPLE_DATA: 'off', STATEMENT_TIMEOUT_MS: '600000' });
  const db = await openDb(config);
  await migrate(db);
  await ensureReferenceData(db);
  const have = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE source = 'crimes' AND provider = 'bench'`)).rows[0].n;
  let loadMs: number | null = null;
  if (have < N) {
    const t0 = performance.now();
    const centres = (await db.query<{ x: number; y: number; w: number }>(
      `SELECT ST_X(p) AS x, ST_Y(p) AS y, greatest(1, COALESCE((SELECT sum(population) FROM population pp JOIN areas b ON b.id = pp.area_id
         WHERE b.area_set_id = 'basomraden' AND pp.year = 2016 AND ST_Covers(s.geom, ST_PointOnSurface(b.geom))), 1000))::float8 AS w
       FROM (SELECT geom, ST_PointOnSurface(geom) p FROM areas WHERE area_set_id = 'stadsdelar') s`)).rows;
    const ext = (await db.query<{ x0: number; y0: number; x1: number; y1: number }>(
      `SELECT ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, ST_YMax(e) y1 FROM (SELECT ST_Extent(geom)::geometry e FROM areas WHERE area_set_id = 'stadsdelar') s`)).rows[0];
    const cum: number[] = []; let acc = 0;
    for (const c of centres) { acc += Number(c.w); cum.push(acc); }
    const rnd = seedrandom('stats-bench-1');
    const t0d = Date.parse('2023-01-01T00:00:00+01:00'), t1d = Date.parse('2026-01-01T00:00:00+01:00');
    function* rows(from: number, to: number): Generator<IncidentInput> {
      for (let i = from; i < to; i++) {
        let x: number, y: number;
        if (rnd() < 0.15) { x = ext.x0 + rnd() * (ext.x1 - ext.x0); y = ext.y0 + rnd() * (ext.y1 - ext.y0); }
        else {
          const u = rnd() * acc; let lo = 0, hi = cum.length - 1;
          while (lo < hi) { const m = (lo + hi) >> 1; if (cum[m] < u) lo = m + 1; else hi = m; }
          x = Number(centres[lo].x) + 700 * gauss(rnd); y = Number(centres[lo].y) + 700 * gauss(rnd);
        }
        const at = t0d + rnd() * (t1d - t0d);
        const span = rnd() < 0.1 ? rnd() * 12 * 3_600_000 : 0;
        yield { externalId: `bench-${i}`, category: CODES[Math.min(CODES.length - 1, Math.floor(-Math.log(1 - rnd()) * 5))], occurredFrom: new Date(at), occurredTo: span ? new Date(at + span) : null, x, y, precision: 'exact' };
      }
    }
    await db.transaction(async (tx) => {
      await prepareIncidentStage(tx);
      for (let s = 0; s < N; s += 100_000) await stageIncidents(tx, rows(s, Math.min(N, s + 100_000)));
      await mergeStagedIncidents(tx, 'crimes', 'bench', null);
    });
    await db.query('ANALYZE');
    loadMs = performance.now() - t0;
  }
  // a database loaded before migration 003 gained its covering index gets it here (the same statement as 003)
  await db.query('CREATE INDEX IF NOT EXISTS area_day_counts_stats_idx ON area_day_counts (area_set_id, source, day, category, area_id) INCLUDE (n)');
  await db.query('VACUUM ANALYZE area_day_counts');
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE source = 'crimes'`)).rows[0].n;

  const app = await buildApp({ config, db, logger: false });
  const rnd = seedrandom('stats-bench-queries');
  const lengths = [30, 91, 182, 365, 730];
  const catSets: (string[] | null)[] = [null, ['b01'], ['b01', 'b02', 'b03'], CODES.slice(5, 15)];
  const queries = Array.from({ length: 80 }, (_, i) => {
    const days = lengths[i % lengths.length];
    const start = Date.parse('2024-01-01T00:00:00Z') + Math.floor(rnd() * (730 - days)) * 86_400_000;
    const from = new Date(start).toISOString().slice(0, 10), to = new Date(start + days * 86_400_000).toISOString().slice(0, 10);
    return { from, to, cats: catSets[Math.floor(rnd() * catSets.length)] };
  });
  // warm-up: derived population, unplaced geometry, provenance (cached per data version)
  await app.inject(`/api/stats?areaSet=stadsdelar&source=crimes&from=2025-01-01&to=2026-01-01`);
  const apiMs: number[] = [], sqlMs: number[] = [];
  for (const q of queries) {
    const url = `/api/stats?areaSet=stadsdelar&source=crimes&from=${q.from}&to=${q.to}${q.cats ? `&category=${q.cats.join(',')}` : ''}`;
    let t = performance.now();
    const r = await app.inject(url);
    apiMs.push(performance.now() - t);
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    const prevFrom = new Date(Date.parse(`${q.from}T00:00:00Z`) - (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`))).toISOString().slice(0, 10);
    t = performance.now();
    await db.query(
      `SELECT area_id, COALESCE(sum(n) FILTER (WHERE day >= $3::date), 0)::int AS cur, COALESCE(sum(n) FILTER (WHERE day < $3::date), 0)::int AS prev
       FROM area_day_counts WHERE area_set_id = 'stadsdelar' AND source = 'crimes' AND day >= $1::date AND day < $2::date${q.cats ? ' AND category = ANY($4)' : ''} GROUP BY area_id`,
      q.cats ? [prevFrom, q.to, q.from, q.cats] : [prevFrom, q.to, q.from]);
    sqlMs.push(performance.now() - t);
  }
  const busiest = (await db.query<{ id: number; code: string }>(
    `SELECT a.id, a.code FROM area_day_counts c JOIN areas a ON a.id = c.area_id WHERE c.area_set_id = 'stadsdelar' AND c.source = 'crimes'
     GROUP BY a.id, a.code ORDER BY sum(c.n) DESC LIMIT 1`)).rows[0];
  await app.inject(`/api/areas/${busiest.id}/profile?from=2025-01-01&to=2026-01-01`);
  const profMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const q = queries[i];
    const t = performance.now();
    const r = await app.inject(`/api/areas/${busiest.id}/profile?from=${q.from}&to=${q.to}`);
    profMs.push(performance.now() - t);
    if (r.statusCode !== 200) throw new Error(`profile: ${r.statusCode} ${r.body}`);
  }
  await app.close();
  await db.close();
  apiMs.sort((a, b) => a - b); sqlMs.sort((a, b) => a - b); profMs.sort((a, b) => a - b);
  const p = (xs: number[], q: number) => percentile(xs, q);
  const rows: BenchRow[] = [
    { metric: 'crimes in the database', value: total },
    ...(loadMs !== null ? [{ metric: 'load (COPY stage + merge + rollup)', value: loadMs / 1000, unit: 's' }] : []),
    { metric: '/api/stats 117 stadsdelar p50', value: p(apiMs, 50), unit: 'ms' },
    { metric: '/api/stats 117 stadsdelar p95', value: p(apiMs, 95), unit: 'ms', target: '≤ 300 ms', ok: p(apiMs, 95) <= 300 },
    { metric: 'plain SQL rollup read p50', value: p(sqlMs, 50), unit: 'ms' },
    { metric: 'plain SQL rollup read p95', value: p(sqlMs, 95), unit: 'ms' },
    { metric: 'ratio /api/stats ÷ SQL (p50)', value: p(apiMs, 50) / p(sqlMs, 50), unit: '×' },
    { metric: `profile of ${busiest.code} p50`, value: p(profMs, 50), unit: 'ms' },
    { metric: `profile of ${busiest.code} p95`, value: p(profMs, 95), unit: 'ms', target: '≤ 500 ms', ok: p(profMs, 95) <= 500 },
  ];
  report('stats', rows, [
    `${queries.length} /api/stats requests (public role) with periods of ${lengths.join('/')} days in 2024–2025 and category sets: all, 1, 3, 10 of 20 codes`,
    'each request sums the current and the previous period (2 × the period): whole months from area_month_counts, edge days from area_day_counts; SQL baseline = the plain read of the daily rollup over the same span',
    `profile: the busiest stadsdel, 20 periods after one warm-up request (the first profile of an area computes its aoristic weights for all time, seconds at 1M crimes, then cached per data version); 4 sources × (stats, breakdown, 3-year monthly series, aoristic weekday × hour from the incidents)`,
    `PostgreSQL via app.inject, same process; ${N.toLocaleString('en')} generated crimes (seed stats-bench-1)`,
  ]);
}

main().catch((e) => { console.error(e); process.exit(1); });
