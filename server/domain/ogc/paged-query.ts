// The one paging pattern the row-backed collections share: a count of everything the filter matches
// (numberMatched) and one page of it in a stable order (by id), so offset paging never skips or repeats.
import type { Queryable } from '../../db/index.js';
import type { Geometry } from 'geojson';
import { bboxSql, geoJsonSql, type OgcCrs } from './crs.js';
import { datetimeSql } from './datetime.js';
import type { ItemsQuery } from './types.js';

export type WhereBuilder = { conds: string[]; params: unknown[] };

/** Starts a WHERE with base conditions and adds the bbox test on a 3006 geometry column, and a datetime test. */
export function buildWhere(base: string[], baseParams: unknown[], q: Pick<ItemsQuery, 'bbox'>, geomColumn: string): WhereBuilder {
  const w: WhereBuilder = { conds: [...base], params: [...baseParams] };
  if (q.bbox) {
    const b = bboxSql(q.bbox, w.params.length + 1);
    w.params.push(...b.params);
    w.conds.push(`${geomColumn} && (${b.sql}) AND ST_Intersects(${geomColumn}, ${b.sql})`);
  }
  return w;
}

export function addDatetime(w: WhereBuilder, q: Pick<ItemsQuery, 'datetime'>, column: string): void {
  if (!q.datetime) return;
  const d = datetimeSql(q.datetime, column, w.params.length + 1);
  w.conds.push(...d.sql);
  w.params.push(...d.params);
}

export function addEquals(w: WhereBuilder, column: string, value: unknown): void {
  w.params.push(value);
  w.conds.push(`${column} = $${w.params.length}`);
}

/** Runs count + page. `select` lists the columns (without geometry); the geometry comes back as `gj` in the CRS. */
export async function pagedRows<T extends Record<string, unknown>>(db: Queryable, opts: {
  from: string; where: WhereBuilder; select: string; geomColumn: string; crs: OgcCrs; orderBy: string; limit: number; offset: number;
}): Promise<{ rows: (T & { geometry: Geometry | null })[]; numberMatched: number }> {
  const where = opts.where.conds.length ? `WHERE ${opts.where.conds.join(' AND ')}` : '';
  const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${opts.from} ${where}`, opts.where.params);
  const n = opts.where.params.length;
  const page = await db.query<T & { gj: string | null }>(
    `SELECT ${opts.select}, ${geoJsonSql(opts.geomColumn, opts.crs)} AS gj FROM ${opts.from} ${where}
     ORDER BY ${opts.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`, [...opts.where.params, opts.limit, opts.offset]);
  return {
    numberMatched: count.rows[0].n,
    rows: page.rows.map(({ gj, ...r }) => ({ ...(r as unknown as T), geometry: gj ? (JSON.parse(gj) as Geometry) : null })),
  };
}

/**
 * The CRS84 bbox of a 3006 geometry column over some rows: the 3006 envelope densified and transformed, so it
 * covers every feature (a transformed corner alone would cut off the curved edges). null when there are no rows.
 */
export async function spatialExtent(db: Queryable, geomColumn: string, from: string, where: string, params: unknown[]): Promise<number[] | null> {
  const r = await db.query<{ x0: number | null; y0: number; x1: number; y1: number }>(
    `WITH b AS (SELECT ST_SetSRID(ST_Extent(${geomColumn})::geometry, 3006) AS g FROM ${from} ${where ? `WHERE ${where}` : ''})
     SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
     FROM (SELECT ST_Transform(ST_Segmentize(g, 1000), 4326) AS e FROM b WHERE g IS NOT NULL) x`, params);
  const e = r.rows[0];
  if (!e || e.x0 === null) return null;
  const round = (v: number, up: boolean) => (up ? Math.ceil(v * 1e5) : Math.floor(v * 1e5)) / 1e5;
  return [round(e.x0, false), round(e.y0, false), round(e.x1, true), round(e.y1, true)];
}

/** Sweden, for collections with nothing in them yet. */
export const SWEDEN_BBOX = [10.5, 55.0, 24.2, 69.1];
