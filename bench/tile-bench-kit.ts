// What the tile benches share: tile ranges around a point, the service's tile SQL run by pgbench (the limit an
// uncached tile server on this database can reach) and the service under autocannon.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Disclosure } from '../server/domain/disclosure/disclosure-control.js';
import type { LayerName } from '../server/tiles/layers.js';
import type { TileFilter, TileService } from '../server/tiles/tile-service.js';

export type AutocannonResult = { '2xx': number; non2xx: number; errors: number; duration: number; latency: { p50: number; p99: number } };
const autocannon = createRequire(import.meta.url)('autocannon') as (o: Record<string, unknown>) => Promise<AutocannonResult>;
const PGBENCH = '/usr/lib/postgresql/15/bin/pgbench';

export const lon2x = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
export const lat2y = (lat: number, z: number) => Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);

export type TileRange = { z: number; x0: number; x1: number; y0: number; y1: number; n: number };
export type Tile = { z: number; x: number; y: number };

/** A w×h rectangle of tiles at zoom z centred on lon/lat. */
export function rangeAround(lon: number, lat: number, z: number, w: number, h: number): TileRange {
  const cx = lon2x(lon, z), cy = lat2y(lat, z);
  const x0 = cx - Math.floor(w / 2), y0 = cy - Math.floor(h / 2);
  return { z, x0, x1: x0 + w - 1, y0, y1: y0 + h - 1, n: w * h };
}

export function tilesOf(ranges: TileRange[]): Tile[] {
  return ranges.flatMap((r) => Array.from({ length: r.n }, (_, k) => ({ z: r.z, x: r.x0 + (k % (r.x1 - r.x0 + 1)), y: r.y0 + Math.floor(k / (r.x1 - r.x0 + 1)) })));
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(',')}]`;
  throw new Error(`no literal for ${typeof v}`);
}

/** pgbench scripts: the service's SQL with z/x/y as pgbench variables (sent as parameters with -M extended), one
 * per range, weighted by its tile count. */
export async function pgbenchScripts(svc: TileService, ranges: TileRange[], filter: TileFilter, d: Disclosure, dir: string, layer: LayerName): Promise<string[]> {
  return Promise.all(ranges.map(async (r, i) => {
    // per range: the hexagon size is a parameter that depends on z
    const { sql, params } = await svc.sqlFor(layer, r.z, r.x0, r.y0, filter, d);
    const text = sql.replace(/\$(\d+)/g, (_, n) => (n === '1' ? ':z' : n === '2' ? ':x' : n === '3' ? ':y' : literal(params[Number(n) - 1])));
    const file = path.join(dir, `${layer}-${i}-z${r.z}.sql`);
    fs.writeFileSync(file, `\\set z ${r.z}\n\\set x random(${r.x0}, ${r.x1})\n\\set y random(${r.y0}, ${r.y1})\n${text.replace(/\s+/g, ' ')};\n`);
    return `${file}@${r.n}`;
  }));
}

export function runPgbench(files: string[], url: string, seconds: number): number {
  const args = ['-n', '-M', 'extended', '-c', '10', '-j', '2', '-T', String(seconds), ...files.flatMap((f) => ['-f', f]), url];
  const out = execFileSync(PGBENCH, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (!m) throw new Error(`no tps in pgbench output: ${out.slice(-500)}`);
  return Number(m[1]);
}

/** autocannon, 10 connections, over the tiles (at random, or each in turn when warming a cache). */
export async function runService(base: string, layer: string, query: string, tiles: Tile[], headers: Record<string, string>, seconds: number, warm = false): Promise<{ tps: number; r: AutocannonResult }> {
  let k = 0;
  const r = await autocannon({
    url: base, connections: 10, duration: seconds, headers,
    requests: [{ setupRequest: (req: Record<string, unknown>) => {
      const t = warm ? tiles[k++ % tiles.length] : tiles[Math.floor(Math.random() * tiles.length)];
      return { ...req, path: `/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt?${query}` };
    } }],
  });
  return { tps: r['2xx'] / r.duration, r };
}

/** Requests every tile once, ten at a time, and waits for all: a cache is warm for every tile, however slow the
 * uncached ones are (a timed warm-up leaves the slowest out). Returns the tiles that failed (HTTP ≥ 500). */
export async function warmEvery(base: string, layer: string, query: string, tiles: Tile[], headers: Record<string, string>): Promise<string[]> {
  const failed: string[] = [];
  for (let i = 0; i < tiles.length; i += 10) {
    await Promise.all(tiles.slice(i, i + 10).map(async (t) => {
      const r = await fetch(`${base}/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt?${query}`, { headers });
      await r.arrayBuffer();
      if (r.status >= 500) failed.push(`${layer} ${t.z}/${t.x}/${t.y} (HTTP ${r.status})`);
    }));
  }
  return failed;
}
