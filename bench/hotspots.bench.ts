// /api/hotspots over the 117 stadsdelar's extent at 250 m for one year of 1,000,000 synthetic crimes in real
// PostGIS (bench/bench-data.ts): latency of the whole request (counting per hexagon in SQL, Gi*, FDR, GeoJSON),
// sequential, after one warm-up. The API keeps no result cache; only the empty grid is cached per data version.
import { report } from './harness.js';
import { percentile } from './harness.js';
import { openBenchDb, startService } from './bench-data.js';

const N = Number(process.env.BENCH_REQUESTS ?? 20);
const db = await openBenchDb();
await db.close();
const svc = await startService(3103, {});
const times: number[] = [];
let cells = 0, n = 0, hot = 0, bytes = 0;
try {
  const queries = ['', '&category=stold', '&category=misshandel,ran', '&category=narkotika'];
  for (let k = -1; k < N; k++) {
    const q = `source=crimes&from=2025-01-01&to=2026-01-01&cellSize=250&areaSet=stadsdelar${queries[Math.max(0, k) % queries.length]}`;
    const t0 = performance.now();
    const r = await fetch(`${svc.url}/api/hotspots?${q}`);
    const body = await r.text();
    const ms = performance.now() - t0;
    if (!r.ok) throw new Error(`HTTP ${r.status}: ${body.slice(0, 300)}`);
    if (k < 0) continue; // warm-up
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
  { metric: 'cells', value: cells },
  { metric: 'incidents in cells (all categories)', value: n },
  { metric: 'hot cells (all categories)', value: hot },
  { metric: 'response size', value: bytes / 1024, unit: 'KB' },
], [`${N} sequential requests (all categories and three category filters in turn) after one warm-up; stadsdelar extent, 250 m hexagons, 2025`]);
