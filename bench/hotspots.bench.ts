// /api/hotspots over the 117 stadsdelar's extent at 250 m for one year of 1,000,000 synthetic crimes in real
// PostGIS (bench/bench-data.ts): latency of the whole request (counting per hexagon in SQL, Gi*, FDR, GeoJSON),
// sequential, after one cold request (reported on its own, as is the background rebuild of the hexagon month rollup
// it starts). No result cache; the empty grid is cached per data version.
import { report } from './harness.js';
import { percentile } from './harness.js';
import pg from 'pg';
import { BENCH_URL, openBenchDb, startService } from './bench-data.js';

const N = Number(process.env.BENCH_REQUESTS ?? 20);
const db = await openBenchDb();
// start cold, as after an import: the first request counts from the incidents and starts the rollup's rebuild
await db.query('DELETE FROM hex_month_counts');
await db.query('DELETE FROM hex_rollup_state');
await db.close();
const svc = await startService(3103, {});
const times: number[] = [];
let cells = 0, n = 0, hot = 0, bytes = 0, coldMs = 0, rebuildS = 0;
/** Waits until the service's background rebuild of the 250 m rollup is done (seconds since the cold request began). */
async function rollupReady(since: number): Promise<number> {
  const c = new pg.Client({ connectionString: BENCH_URL });
  await c.connect();
  try {
    for (;;) {
      const r = await c.query(`SELECT 1 FROM hex_rollup_state s JOIN meta m ON m.key = 'data_version' AND m.value::bigint = s.version WHERE s.cell_size = 250 AND s.source = 'crimes'`);
      if (r.rowCount) return (performance.now() - since) / 1000;
      if (performance.now() - since > 120_000) throw new Error('the rollup was not rebuilt within 120 s');
      await new Promise((res) => setTimeout(res, 100));
    }
  } finally { await c.end(); }
}
try {
  const queries = ['', '&category=stold', '&category=misshandel,ran', '&category=narkotika'];
  for (let k = -1; k < N; k++) {
    const q = `source=crimes&from=2025-01-01&to=2026-01-01&cellSize=250&areaSet=stadsdelar${queries[Math.max(0, k) % queries.length]}`;
    const t0 = performance.now();
    const r = await fetch(`${svc.url}/api/hotspots?${q}`);
    const body = await r.text();
    const ms = performance.now() - t0;
    if (!r.ok) throw new Error(`HTTP ${r.status}: ${body.slice(0, 300)}`);
    if (k < 0) { coldMs = ms; rebuildS = await rollupReady(t0); continue; } // the cold request, not in the percentiles
    times.push(ms);
    if (k === 0) { const j = JSON.parse(body); cells = j.meta.cells; n = j.meta.n; hot = j.meta.significant.hot; bytes = body.length; }
  }
} finally { await svc.stop(); }
times.sort((a, b) => a - b);
const p95 = percentile(times, 95);
report('hotspots', [
  { metric: '/api/hotspots p50', value: percentile(times, 50), unit: 'ms' },
  { metric: '/api/hotspots p95', value: p95, unit: 'ms', target: '≤ 1000', ok: p95 <= 1000 },
  { metric: 'p95 / 1 s budget', value: p95 / 1000, target: '≤ 1', ok: p95 <= 1000 },
  { metric: 'first request after an import (counts from the incidents)', value: coldMs, unit: 'ms' },
  { metric: 'month rollup rebuilt in the background after', value: rebuildS, unit: 's' },
  { metric: 'cells', value: cells },
  { metric: 'incidents in cells (all categories)', value: n },
  { metric: 'hot cells (all categories)', value: hot },
  { metric: 'response size', value: bytes / 1024, unit: 'KB' },
], [`${N} sequential requests (all categories and three category filters in turn) after one cold request; stadsdelar extent, 250 m hexagons, 2025`,
  'whole months are read from the hexagon month rollup (rebuilt in the background once per data version and cell size), edge days from the incidents']);
