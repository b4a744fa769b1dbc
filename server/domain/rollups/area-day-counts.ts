// Maintains area_day_counts: incidents per area × local day × source × category for every area set.
// - Incident imports and batch deletions change it by deltas (rollup-delta.ts): +1 for each row added or changed,
//   −1 for the old version of each changed or removed row — never a recount of everything in the touched days.
// - An area-set import recounts that one set over all incidents (refreshAreaSetCounts in rollup-delta.ts).
// Point incidents are placed in Node by the AreaLocator (the semantics of ST_Intersects with the subdivided area
// pieces); incidents known only to an area (precision district/municipality…) are placed in a set's area only
// when that area contains the known area (≥ 95 % of it) — never spread over sub-areas (containmentSql).

export const LOCAL_TZ = 'Europe/Stockholm';

/**
 * Which areas of which sets contain ("≥ 95 % of") the known area of imprecise incidents.
 * locations: a subquery giving the location_area_id values to consider.
 */
export function containmentSql(locations = 'SELECT DISTINCT location_area_id FROM incidents WHERE geom IS NULL AND location_area_id IS NOT NULL'): string {
  return `
  SELECT loc.id AS location_area_id, a.id AS area_id, a.area_set_id
  FROM (SELECT id, geom, area_m2 FROM areas WHERE id IN (${locations}) OFFSET 0) loc
  JOIN areas a ON a.geom && loc.geom AND ST_Covers(a.geom, ST_PointOnSurface(loc.geom))
  WHERE ST_Area(ST_Intersection(a.geom, loc.geom)) >= 0.95 * loc.area_m2`;
}
// (the OFFSET 0 keeps the planner from computing intersections for every pair of areas before the filter)

/** The containment of every imprecise incident's known area (shared with the stats domain). */
export const CONTAINMENT_SQL = containmentSql();
