// Tiles on 1,000,000 synthetic crimes in real PostGIS (bench/bench-data.ts), ~200 tiles z13–z15 over central
// Stockholm, 10 concurrent clients:
//   - the same tile SQL (TileService.sqlFor, literal filter values, z/x/y as pgbench variables) run by pgbench — the limit;
//   - this service with its tile cache off (autocannon) → ratio to pgbench's tps for hexbins and incidents (target ≥ 0.8);
//   - the service with its cache on, after warming → tiles/s (target ≥ 5,000);
//   - the largest tile of any layer at z0–16 over the densest part of the city and over the 199 tiles (< 500 KB).
// BENCH_DATABASE_URL picks the database (created and filled once); BENCH_SECONDS the length of each run (20).
import { disclosureFor, exactDisclosure } from '../server/domain/disclosure/disclosure-control.js';
import fs from 'node:fs';
import os from 'node:os';
import { report, type BenchRow } from './harness.js';
import { BENCH_ANALYST_KEY, BENCH_URL, openBenchDb, startService } from './bench-data.js';
import { TileService, type TileFilter } from '../server/tiles/tile-service.js';
import type { LayerName } from '../server/tiles/layers.js';
import { lat2y, lon2x, pgbenchScripts, rangeAround, runPgbench, runService as runTiles, tilesOf } from './tile-bench-kit.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const FROM = '2025-01-01', TO = '2026-01-01';

/** Rectangles of tiles around T-Centralen: z13 5×5, z14 8×8, z15 11×10 = 199 tiles. */
const RANGES = [[13, 5, 5], [14, 8, 8], [15, 11, 10]].map(([z, w, h]) => rangeAround(18.0604, 59.3314, z, w, h));
const TILES = tilesOf(RANGES);
const runService = (url: string, layer: string, headers: Record<string, string>, seconds = SECONDS, warm = false) =>
  runTiles(url, layer, `source=crimes&from=${FROM}&to=${TO}`, TILES, headers, seconds, warm);

const db = await openBenchDb();
const svc = new TileService(db, { cacheEntries: 0 });
const filter: TileFilter = { source: 'crimes', categories: null, from: FROM, to: TO, areaSet: 'stadsdelar', cellSize: 250, alpha: 0.05 };
const dir = fs.mkdtempSync(`${os.tmpdir()}/tk-pgbench-`);
const rows: BenchRow[] = [];
const notes: string[] = [`${TILES.length} tiles z13–z15 around T-Centralen; 10 clients; ${SECONDS} s per run; ${os.cpus().length} CPUs shared by PostgreSQL, the service and the load generators`];
const auth = { authorization: `Bearer ${BENCH_ANALYST_KEY}` };

const uncached = await startService(3103, { TILE_CACHE_ENTRIES: '0', PG_POOL_MAX: '10' });
try {
  for (const layer of ['hexbins', 'incidents'] as LayerName[]) {
    const exact = layer === 'incidents';
    // the service's SQL for the viewer of the run: the public for hexbins (cell keys, Node encoding), an analyst for incidents
    const pg = runPgbench(await pgbenchScripts(svc, RANGES, filter, exact ? exactDisclosure(5) : await disclosureFor(db, false, { k: 5, maxNoise: 2 }), dir, layer), BENCH_URL, SECONDS);
    const s = await runService(uncached.url, layer, exact ? auth : {});
    const ratio = s.tps / pg;
    rows.push({ metric: `${layer}: pgbench (same SQL)`, value: pg, unit: 'tps' });
    rows.push({ metric: `${layer}: service, cache off`, value: s.tps, unit: 'tiles/s' });
    rows.push({ metric: `${layer}: service / pgbench`, value: ratio, target: '≥ 0.8', ok: ratio >= 0.8 });
    notes.push(`${layer} service: p50 ${s.r.latency.p50} ms, p99 ${s.r.latency.p99} ms, non-2xx ${s.r.non2xx}, errors ${s.r.errors}`);
  }
} finally { await uncached.stop(); }

const cached = await startService(3103, { TILE_CACHE_ENTRIES: '20000' });
let biggest = { bytes: 0, what: '' };
try {
  await runService(cached.url, 'hexbins', {}, 1 + Math.ceil(TILES.length / 10), true); // warm every tile
  const c = await runService(cached.url, 'hexbins', {}, 10);
  rows.push({ metric: 'hexbins: service, cache on (warm)', value: c.tps, unit: 'tiles/s', target: '≥ 5000', ok: c.tps >= 5000 });
  notes.push(`cached: p50 ${c.r.latency.p50} ms, p99 ${c.r.latency.p99} ms, non-2xx ${c.r.non2xx}`);
  // the largest tile: every layer at z0–16 over the densest area, and the 199 bench tiles
  const probe = [...Array.from({ length: 17 }, (_, z) => ({ z, x: lon2x(18.0604, z), y: lat2y(59.3314, z) })), ...TILES];
  for (const layer of ['hexbins', 'incidents', 'areas', 'hotspots', 'places']) {
    for (const t of probe) {
      if (layer === 'incidents' && t.z < 13) continue;
      const q = `source=crimes&from=${FROM}&to=${TO}${layer === 'areas' ? '&areaSet=basomraden' : ''}`;
      const r = await fetch(`${cached.url}/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt?${q}`, { headers: auth });
      const n = (await r.arrayBuffer()).byteLength;
      if (r.status >= 400) throw new Error(`${layer} ${t.z}/${t.x}/${t.y}: HTTP ${r.status}`);
      if (n > biggest.bytes) biggest = { bytes: n, what: `${layer} ${t.z}/${t.x}/${t.y}` };
    }
  }
  rows.push({ metric: 'largest tile z0–16 (any layer)', value: biggest.bytes / 1024, unit: 'KB', target: '< 500', ok: biggest.bytes < 500 * 1024 });
  notes.push(`largest tile: ${biggest.what}`);
} finally { await cached.stop(); }

await db.close();
report('tiles', rows, notes);
