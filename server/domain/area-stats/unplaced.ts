// Incidents that cannot be placed at the level of an area set: those known only to an area (precision district,
// municipality, county …) that no area of the set contains (the rollup's CONTAINMENT_SQL rule: ≥ 95 % of the known
// area inside one area). They are never spread over sub-areas. Instead:
//  - a row's `unplacedAtThisLevel` = incidents of the period whose known area OVERLAPS that area (shares ≥ 1 % of the
//    smaller of the two surfaces, so boundary slivers of simplified outlines do not count) but that are not placed in
//    any area of the set — "this many more may have happened here, we cannot tell";
//  - the total row's `unplacedAtThisLevel` = such incidents overlapping any area of the set (each counted once).
// County-precision incidents without a known area overlap every area.
import type { Queryable } from '../../db/index.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { CONTAINMENT_SQL, LOCAL_TZ } from '../rollups/area-day-counts.js';
import { memo } from '../data-version/memo.js';

export type UnplacedGeometry = {
  /** location_area_id → the set's area it is placed in (consistent with the rollup), when it is. */
  placedIn: Map<number, number>;
  /** location_area_id → the set's areas it overlaps (only for location areas not placed in the set). */
  overlaps: Map<number, number[]>;
};

export async function unplacedGeometry(db: Queryable, setId: string, version?: number): Promise<UnplacedGeometry> {
  return memo(db, `unplaced|${setId}`, async () => {
    const placed = await db.query<{ location_area_id: number; area_id: number }>(
      `SELECT location_area_id, area_id FROM (${CONTAINMENT_SQL}) c WHERE c.area_set_id = $1`, [setId]);
    const placedIn = new Map<number, number>();
    for (const r of placed.rows) placedIn.set(Number(r.location_area_id), Number(r.area_id));
    const ov = await db.query<{ loc: number; area_id: number }>(
      `SELECT loc.id AS loc, a.id AS area_id
       FROM areas loc JOIN areas a ON a.area_set_id = $1 AND a.geom && loc.geom AND ST_Intersects(a.geom, loc.geom)
       WHERE loc.id IN (SELECT DISTINCT location_area_id FROM incidents WHERE geom IS NULL AND location_area_id IS NOT NULL)
         AND (ST_Covers(loc.geom, a.geom) OR ST_Covers(a.geom, loc.geom)
              OR ST_Area(ST_Intersection(ST_MakeValid(a.geom), ST_MakeValid(loc.geom))) >= 0.01 * least(a.area_m2, loc.area_m2))`, [setId]);
    const overlaps = new Map<number, number[]>();
    for (const r of ov.rows) {
      const loc = Number(r.loc);
      if (placedIn.has(loc)) continue;
      const list = overlaps.get(loc) ?? [];
      list.push(Number(r.area_id));
      overlaps.set(loc, list);
    }
    return { placedIn, overlaps };
  }, version);
}

/** The instant a local day (YYYY-MM-DD parameter) starts. */
const day = (p: string) => `((${p}::date)::timestamp AT TIME ZONE '${LOCAL_TZ}')`;

export type UnplacedCounts = { locationAreaId: number | null; current: number; currentKey: number };

/**
 * Counts of imprecise incidents per known area (null = county without area) in the period, with their cell-key sum
 * for the public view (see disclosure/cell-key.ts).
 */
export async function impreciseCounts(db: Queryable, source: string, categories: string[] | undefined,
  from: string, to: string, d: Disclosure): Promise<UnplacedCounts[]> {
  const params: unknown[] = [source, from, to];
  let cat = '';
  if (categories?.length) { params.push(categories); cat = ` AND category = ANY($4)`; }
  const key = d.recordKeySql(params, 'source', 'category', `(occurred_from AT TIME ZONE '${LOCAL_TZ}')::date`);
  const r = await db.query<{ loc: number | null; cur: number; cur_key: string }>(
    `SELECT location_area_id AS loc, count(*)::int AS cur, (coalesce(sum(${key}::bigint), 0) % ${2 ** 24})::bigint AS cur_key
     FROM incidents WHERE source = $1 AND geom IS NULL AND occurred_from >= ${day('$2')} AND occurred_from < ${day('$3')}${cat}
     GROUP BY location_area_id`, params);
  return r.rows.map((x) => ({ locationAreaId: x.loc === null ? null : Number(x.loc), current: Number(x.cur), currentKey: Number(x.cur_key) }));
}
