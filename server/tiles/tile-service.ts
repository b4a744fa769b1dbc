// Serves one tile of one layer: cache lookup (LRU keyed by layer, filters, role class, z/x/y and data version),
// else the layer's SQL — ST_AsMVT on PostGIS with protobuf, or the same features as rows encoded in Node.
// Concurrent misses for the same key share one query. A request abandoned before its query starts is not run;
// on PostgreSQL a running one is cancelled (pg_cancel_backend, see postgres.ts).
// Every count goes through the viewer's Disclosure: the period is widened to the public grid, the areas and hotspots
// layers draw the figures of areaStats / computeHotspots (already protected), and hexbin counts are protected in
// Node from each cell's key sum (a public hexbins tile is therefore always encoded in Node).
import crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { QueryCancelledError, type Db } from '../db/index.js';
import { areaSetExists } from '../domain/areas/list-area-sets.js';
import type { Disclosure } from '../domain/disclosure/disclosure-control.js';
import { disclosureSecret } from '../domain/disclosure/cell-key.js';
import { computeHotspots } from '../domain/hotspots/compute-hotspots.js';
import { daysBetween } from '../../shared/dates.js';
import { resolvePeriod, type Period } from '../domain/period/resolve-period.js';
import { areaStats } from '../domain/area-stats/area-stats.js';
import { notFound } from '../domain/problems.js';
import { currentDataVersion } from '../domain/data-version/data-version.js';
import { encodeRows } from './encode-mvt.js';
import { LAYERS, SQL, type LayerName } from './layers.js';
import { hexbinSize, INCIDENT_CAP, tileTouchesDomain } from './tile-math.js';

export type TileFilter = { source: string; categories: string[] | null; from?: string; to?: string; areaSet: string; cellSize: number; alpha: number };
export type TileOptions = { cacheEntries: number; forceNodeEncoding?: boolean };
/** The smallest hexbin edge the public sees (m): finer cells would place single events. */
export const PUBLIC_MIN_HEXBIN = 125;
/** version: the data version the tile was looked up under (its ETag and cache key) */
export type TileResult = { status: 200 | 204 | 304; body: Buffer | null; etag: string; cache: 'hit' | 'miss' | 'off'; period: Period | null; version: number };
type Entry = { body: Buffer | null; etag?: string };

export class TileAbortedError extends Error {
  constructor() { super('The client went away; the tile query was not run or was cancelled.'); this.name = 'TileAbortedError'; }
}

type HotspotArrays = { i: number[]; j: number[]; cls: string[]; z: number[]; padj: number[]; count: (number | null)[] };
type AreaArrays = { id: number[]; count: (number | null)[]; population: (number | null)[]; per1000: (number | null)[]; suppressed: boolean[] };

export class TileService {
  readonly encoder: 'postgis' | 'node';
  private readonly cache: LRUCache<string, Entry> | null;
  private readonly inflight = new Map<string, Promise<Entry>>();
  private readonly memo = new LRUCache<string, Promise<unknown>>({ max: 256 });

  constructor(private readonly db: Db, private readonly o: TileOptions) {
    this.encoder = db.capabilities.hasMvt && !o.forceNodeEncoding ? 'postgis' : 'node';
    this.cache = o.cacheEntries > 0
      ? new LRUCache<string, Entry>({ max: o.cacheEntries, maxSize: 256 * 1024 * 1024, sizeCalculation: (e) => (e.body?.length ?? 0) + 64 })
      : null;
  }

  /** Default periods and area-set checks, memoised per data version (they cost a query each otherwise). */
  private remember<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(key, p);
      p.catch(() => this.memo.delete(key));
    }
    return p;
  }

  /** opts.signal makes the client's abort signal; called only on a cache miss (a hit needs none). */
  async getTile(layer: LayerName, z: number, x: number, y: number, f: TileFilter, d: Disclosure,
    opts: { signal?: () => AbortSignal; ifNoneMatch?: string } = {}): Promise<TileResult> {
    const def = LAYERS[layer];
    const exact = d.exact;
    const version = await currentDataVersion(this.db);
    const usesFilter = layer === 'hexbins' || layer === 'incidents' || layer === 'areas' || layer === 'hotspots';
    const period = usesFilter
      ? await this.remember(`period|${f.source}|${f.from}|${f.to}|${version}|${exact}`, async () => {
        const asked = await resolvePeriod(this.db, f.source, f.from, f.to);
        const p = d.period(asked.from, asked.to);
        return { ...p, days: daysBetween(p.from, p.to) };
      })
      : null;
    if ((layer === 'areas' || layer === 'hotspots') && !(await this.remember(`set|${f.areaSet}|${version}`, () => areaSetExists(this.db, f.areaSet)))) {
      throw notFound(`No area set "${f.areaSet}". GET /api/area-sets lists them.`);
    }
    const roleClass = exact ? 'exact' : 'public';
    const keyParts: unknown[] = [layer, z, x, y, version];
    if (usesFilter) keyParts.push(f.source, f.categories?.join(',') ?? '*', period!.from, period!.to);
    if (layer === 'areas' || layer === 'hotspots') keyParts.push(f.areaSet);
    if (layer === 'hotspots') keyParts.push(f.cellSize, f.alpha);
    if (layer !== 'places') keyParts.push(roleClass);
    const key = keyParts.join('|');
    const empty = !tileTouchesDomain(z, x, y) || z < def.minzoom;
    const hit = empty ? undefined : this.cache?.get(key);
    // the hash is kept with a cached tile: a hit costs no hashing
    const etag = hit?.etag ?? `"${crypto.createHash('sha1').update(key).digest('base64url').slice(0, 22)}"`;

    // the ETag is known before the tile: a client holding this version gets 304 without any work
    if (opts.ifNoneMatch && opts.ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      return { status: 304, body: null, etag, cache: this.cache ? 'hit' : 'off', period, version };
    }
    let entry: Entry;
    let cache: TileResult['cache'] = this.cache ? 'hit' : 'off';
    if (empty) entry = { body: null };
    else if (hit) entry = hit;
    else {
      if (this.cache) cache = 'miss';
      let p = this.inflight.get(key);
      if (!p) {
        p = this.render(layer, z, x, y, f, period, d, opts.signal?.()).finally(() => this.inflight.delete(key));
        this.inflight.set(key, p);
      }
      entry = await p;
      // every writer of data the layers draw (imports, places) bumps the version in the key
      this.cache?.set(key, { body: entry.body, etag });
    }
    return { status: entry.body ? 200 : 204, body: entry.body, etag, cache, period, version };
  }

  private async params(layer: LayerName, z: number, x: number, y: number, f: TileFilter, period: Period | null, d: Disclosure): Promise<unknown[]> {
    const filter = period ? [f.source, period.from, period.to, f.categories?.length ? f.categories : null] : [];
    switch (layer) {
      case 'hexbins': return d.exact
        ? [z, x, y, ...filter, hexbinSize(z), 1, null]
        : [z, x, y, ...filter, Math.max(PUBLIC_MIN_HEXBIN, hexbinSize(z)), d.k, await disclosureSecret(this.db)];
      case 'incidents': return [z, x, y, ...filter, INCIDENT_CAP];
      case 'areas': {
        const a = await this.areaArrays(f, period!, d);
        return [z, x, y, a.id, a.count, a.population, a.per1000, a.suppressed];
      }
      case 'places': return [z, x, y];
      case 'hotspots': {
        const a = await this.hotspotArrays(f, period!, d);
        return [z, x, y, f.cellSize, a.i, a.j, a.cls, a.z, a.padj, a.count];
      }
    }
  }

  private areaArrays(f: TileFilter, period: Period, d: Disclosure): Promise<AreaArrays> {
    return this.remember(`areas|${f.source}|${f.categories?.join(',')}|${period.from}|${period.to}|${f.areaSet}|${d.exact}`, async () => {
      const r = await areaStats(this.db, { areaSetId: f.areaSet, source: f.source as never, categories: f.categories ?? undefined, from: period.from, to: period.to }, { disclosure: d });
      return {
        id: r.rows.map((x) => x.areaId), count: r.rows.map((x) => x.count), population: r.rows.map((x) => x.population),
        per1000: r.rows.map((x) => (x.ratePer1000 === null ? null : Math.round(x.ratePer1000 * 100) / 100)), suppressed: r.rows.map((x) => x.suppressed),
      };
    });
  }

  private hotspotArrays(f: TileFilter, period: Period, d: Disclosure): Promise<HotspotArrays> {
    return this.remember(`hot|${f.source}|${f.categories?.join(',')}|${period.from}|${period.to}|${f.areaSet}|${f.cellSize}|${f.alpha}|${d.exact}`, async () => {
      const r = await computeHotspots(this.db, { areaSet: f.areaSet, cellSize: f.cellSize, alpha: f.alpha,
        filter: { source: f.source, categories: f.categories, from: period.from, to: period.to }, disclosure: d });
      const cells = r.cells;
      return {
        i: cells.map((c) => c.i), j: cells.map((c) => c.j), cls: cells.map((c) => c.class), z: cells.map((c) => Math.round(c.giZ * 1e4) / 1e4),
        padj: cells.map((c) => c.pAdjusted), count: cells.map((c) => c.count),
      };
    });
  }

  private async render(layer: LayerName, z: number, x: number, y: number, f: TileFilter, period: Period | null, d: Disclosure, signal?: AbortSignal): Promise<Entry> {
    const params = await this.params(layer, z, x, y, f, period, d);
    if (signal?.aborted) throw new TileAbortedError();
    const query = <T extends Record<string, unknown>>(sql: string, p: unknown[], o: { signal?: AbortSignal }) =>
      this.db.query<T>(sql, p, o).catch((e) => { throw e instanceof QueryCancelledError ? new TileAbortedError() : e; });
    const keyColumn = LAYERS[layer].keyColumn;
    if (keyColumn) {
      // the public view protects each feature's count by its cell key here, so it is encoded in Node
      if (!d.exact || this.encoder === 'node') {
        const r = await query(SQL[layer].rows, params, { signal });
        const rows = r.rows.flatMap((row) => {
          const count = d.count(Number(row.count), Number(row[keyColumn] ?? 0));
          if (count === null) return [];
          const { [keyColumn]: _k, ...rest } = row;
          return [{ ...rest, count }];
        });
        const bytes = encodeRows(layer, rows);
        return { body: bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null };
      }
    }
    if (this.encoder === 'postgis') {
      const r = await query(SQL[layer].mvt, params, { signal });
      const tile = r.rows[0]?.tile as Buffer | Uint8Array | null | undefined;
      return { body: tile && tile.length ? Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength) : null };
    }
    const r = await query(SQL[layer].rows, params, { signal });
    const bytes = encodeRows(layer, r.rows);
    return { body: bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null };
  }

  /** The raw SQL and parameters of a tile as the service runs it for this viewer (for the bench: pgbench runs exactly this). */
  async sqlFor(layer: LayerName, z: number, x: number, y: number, f: TileFilter, d: Disclosure) {
    const asked = await resolvePeriod(this.db, f.source, f.from, f.to);
    const p = d.period(asked.from, asked.to);
    const mode = this.encoder === 'node' || (LAYERS[layer].keyColumn && !d.exact) ? 'rows' : 'mvt';
    return { sql: SQL[layer][mode], params: await this.params(layer, z, x, y, f, { ...p, days: daysBetween(p.from, p.to) }, d), mode };
  }
}
