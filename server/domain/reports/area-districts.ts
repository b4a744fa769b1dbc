// Which stadsdelar (district codes such as HUSBY, the unit staff keys are scoped to) a report area covers:
// the stadsdelar whose interior point lies inside the area, or — for an area smaller than a stadsdel, such as a
// basområde — the stadsdel that contains the area's own interior point.
import type { Queryable } from '../../db/index.js';
import { REFERENCE_SETS } from '../../reference/bundled-files.js';

export async function areaDistrictCodes(db: Queryable, areaId: number): Promise<string[]> {
  const r = await db.query<{ code: string }>(
    `WITH a AS (SELECT geom, area_set_id, code FROM areas WHERE id = $1)
     SELECT d.code FROM areas d, a
     WHERE d.area_set_id = $2 AND (
       (a.area_set_id = $2 AND d.code = a.code)
       OR (a.area_set_id <> $2 AND ST_Intersects(a.geom, ST_PointOnSurface(d.geom))))
     ORDER BY d.code`, [areaId, REFERENCE_SETS.stadsdelar]);
  if (r.rows.length) return r.rows.map((x) => x.code);
  const inside = await db.query<{ code: string }>(
    `SELECT d.code FROM areas d, (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE id = $1) a
     WHERE d.area_set_id = $2 AND ST_Intersects(d.geom, a.p) LIMIT 1`, [areaId, REFERENCE_SETS.stadsdelar]);
  return inside.rows.map((x) => x.code);
}
