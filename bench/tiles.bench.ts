// Tiles on 1,000,000 synthetic crimes in real PostGIS (bench/bench-data.ts), ~200 tiles z13–z15 over central
// Stockholm, 10 concurrent clients:
//   - the same tile SQL (TileService.sqlFor, literal filter values, z/x/y as pgbench variables) run by pgbench — the limit;
//   - this service with its tile cache off (autocannon) → ratio to pgbench's tps for hexbins and incidents (target ≥ 0.8);
//   - the service with its cache on, after warming → tiles/s (target ≥ 5,000);
//   - the largest tile of any layer at z0–16 over the densest part of the city and over the 199 tiles (< 500 KB).
// BENCH_DATABASE_URL picks the database (created and filled once); BENCH_SECONDS the length of each run (20).
import { disclosureFor, exactDisclosure, type Disclosure } from '../server/domain/disclosure/disclosure-control.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { report, type BenchRow } from './harness.js';
import { BENCH_ANALYST_KEY, BENCH_URL, openBenchDb, startService } from './bench-data.js';
import { TileService, type TileFilter } from '../server/tiles/tile-service.js';
import type { LayerName } from '../server/tiles/layers.js';

type AutocannonResult = { '2xx': number; non2xx: number; errors: number; duration: number; latency: { p50: number; p99: number } };
const autocannon = createRequire(import.meta.url)('autocannon') as (o: Record<string, unknown>) => Promise<AutocannonResult>;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PGBENCH = '/usr/lib/postgresql/15/bin/pgbench';
const FROM = '2025-01-01', TO = '2026-01-01';
const lon2x = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2y = (lat: number, z: number) => Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);

/** Rectangles of tiles around T-Centralen: z13 5×5, z14 8×8, z15 11×10 = 199 tiles. */
const RANGES = [[13, 5, 5], [14, 8, 8], [15, 11, 10]].map(([z, w, h]) => {
  const cx = lon2x(18.0604, z), cy = lat2y(59.3314, z);
  const x0 = cx - Math.floor(w / 2), y0 = cy - Math.floor(h / 2);
  return { z, x0, x1: x0 + w - 1, y0, y1: y0 + h - 1, n: w * h };
});
const TILES = RANGES.flatMap((r) => Array.from({ length: r.n }, (_, k) => ({ z: r.z, x: r.x0 + (k % (r.x1 - r.x0 + 1)), y: r.y0 + Math.floor(k / (r.x1 - r.x0 + 1)) })));

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(',')}]`;
  throw new Error(`no literal for ${typeof v}`);
}

/** pgbench scripts: the service's SQL with z/x/y as pgbench variables (sent as parameters with -M extended). */
async function pgbenchScripts(svc: TileService, filter: TileFilter, d: Disclosure, dir: string, layer: LayerName): Promise<string[]> {
  return Promise.all(RANGES.map(async (r) => {
    // per zoom: the hexagon size is a parameter that depends on z
    const { sql, params } = await svc.sqlFor(layer, r.z, r.x0, r.y0, filter, d);
    const text = sql.replace(/\$(\d+)/g, (_, n) => (n === '1' ? ':z' : n === '2' ? ':x' : n === '3' ? ':y' : literal(params[Number(n) - 1])));
    const file = path.join(dir, `${layer}-z${r.z}.sql`);
    fs.writeFileSync(file, `\\set z ${r.z}\n\\set x random(${r.x0}, ${r.x1})\n\\set y random(${r.y0}, ${r.y1})\n${text.replace(/\s+/g, ' ')};\n`);
    return `${file}@${r.n}`;
  }));
}

function runPgbench(files: string[]): number {
  const args = ['-n', '-M', 'extended', '-c', '10', '-j', '2', '-T', String(SECONDS), ...files.flatMap((f) => ['-f', f]), BENCH_URL];
  const out = execFileSync(PGBENCH, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (!m) throw new Error(`no tps in pgbench output: ${out.slice(-500)}`);
  return Number(m[1]);
}

async function runService(url: string, layer: string, headers: Record<string, string>, seconds = SECONDS, warm = false): Promise<{ tps: number; r: AutocannonResult }> {
  let k = 0;
  const r = await autocannon({
    url, connections: 10, duration: seconds, headers,
    requests: [{ setupRequest: (req: Record<string, unknown>) => {
      const t = warm ? TILES[k++ % TILES.length] : TILES[Math.floor(Math.random() * TILES.length)];
      return { ...req, path: `/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt?source=crimes&from=${FROM}&to=${TO}` };
    } }],
  });
  return { tps: r['2xx'] / r.duration, r };
}

const db = await openBenchDb();
const svc = new TileService(db, { cacheEntries: 0 });
const filter: TileFilter = { source: 'crimes', categories: null, from: FROM, to: TO, areaSet: 'stadsdelar', cellSize: 250, alpha: 0.05 };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-pgbench-'));
const rows: BenchRow[] = [];
const notes: string[] = [`${TILES.length} tiles z13–z15 around T-Centralen; 10 clients; ${SECONDS} s per run; ${os.cpus().length} CPUs shared by PostgreSQL, the service and the load generators`];
const auth = { authorization: `Bearer ${BENCH_ANALYST_KEY}` };

const uncached = await startService(3103, { TILE_CACHE_ENTRIES: '0', PG_POOL_MAX: '10' });
try {
  for (const layer of ['hexbins', 'incidents'] as LayerName[]) {
    const exact = layer === 'incidents';
    // the service's SQL for the viewer of the run: the public for hexbins (cell keys, Node encoding), an analyst for incidents
    const pg = runPgbench(await pgbenchScripts(svc, filter, exact ? exactDisclosure(5) : await disclosureFor(db, false, { k: 5, maxNoise: 2 }), dir, layer));
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
