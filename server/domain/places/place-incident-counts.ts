// Counting a source's incidents at a place. Only exact points are counted: an incident known only to an area
// (a district, the municipality) cannot be put inside a 150 m place, and is never spread over it.
// Days are local (Europe/Stockholm) days of occurred_from; `to` is exclusive.
import type { Queryable } from '../../db/index.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { LOCAL_TZ } from '../rollups/area-day-counts.js';

export const dayStart = (param: number) => `(($${param}::date)::timestamp AT TIME ZONE '${LOCAL_TZ}')`;

/** The first and last local day with an incident of the source (inclusive), or nulls when there is none. */
export async function sourceCoverage(db: Queryable, source: string): Promise<{ firstDay: string | null; lastDay: string | null }> {
  const r = await db.query<{ lo: string | null; hi: string | null }>(
    `SELECT (min(occurred_from) AT TIME ZONE '${LOCAL_TZ}')::date::text AS lo, (max(occurred_from) AT TIME ZONE '${LOCAL_TZ}')::date::text AS hi
     FROM incidents WHERE source = $1`, [source]);
  return { firstDay: r.rows[0]?.lo ?? null, lastDay: r.rows[0]?.hi ?? null };
}

export async function countInsidePlace(db: Queryable, placeId: number, source: string, categories: string[] | null, from: string, toExclusive: string): Promise<number> {
  return (await countInsidePlaceWithKey(db, placeId, source, categories, from, toExclusive)).n;
}

/** The count and, for a public viewer (d given and not exact), the sum of the incidents' cell keys. */
export async function countInsidePlaceWithKey(db: Queryable, placeId: number, source: string, categories: string[] | null, from: string, toExclusive: string,
  d?: Disclosure): Promise<{ n: number; ks: number }> {
  const params: unknown[] = [placeId, source, categories && categories.length ? categories : null, from, toExclusive];
  const key = d ? d.recordKeySql(params, 'i.source', 'i.category', `(i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date`) : '0';
  const r = await db.query<{ n: number; ks: string }>(
    `SELECT count(*)::int AS n, (coalesce(sum(${key}::bigint), 0) % ${2 ** 24})::bigint AS ks FROM incidents i JOIN places p ON p.id = $1
     WHERE i.source = $2 AND i.precision = 'exact' AND i.geom IS NOT NULL AND ($3::text[] IS NULL OR i.category = ANY($3::text[]))
       AND i.occurred_from >= ${dayStart(4)} AND i.occurred_from < ${dayStart(5)} AND ST_Intersects(p.geom, i.geom)`, params);
  return { n: r.rows[0].n, ks: Number(r.rows[0].ks) };
}
