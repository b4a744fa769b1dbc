// The area a lägesbild is about, and its city reference: the municipality (kommun) the area lies in, whose figures
// are the total row of the area's own set (for the 117 stadsdelar or the district areas: all of Stockholm city).
// For a municipality itself the reference is the set total (the county's municipalities).
import type { Queryable } from '../../db/index.js';
import { notFound } from '../problems.js';
import { REFERENCE_SETS } from '../bundled-files.js';

export type AreaInfo = {
  id: number; code: string; name: string; areaSetId: string; areaSetName: string; level: string; areaKm2: number;
  /** the municipality containing the area (null when the area is itself a municipality or lies outside all) */
  kommun: { id: number; code: string; name: string } | null;
};

export async function reportArea(db: Queryable, areaId: number): Promise<AreaInfo> {
  const r = await db.query<{ id: number; code: string; name: string; area_set_id: string; set_name: string; level: string; area_m2: number }>(
    `SELECT a.id, a.code, a.name, a.area_set_id, s.name AS set_name, s.level, a.area_m2
     FROM areas a JOIN area_sets s ON s.id = a.area_set_id WHERE a.id = $1`, [areaId]);
  if (!r.rows.length) throw notFound(`No area with id ${areaId}. GET /api/area-sets/<set>/areas lists the areas and their ids.`);
  const a = r.rows[0];
  let kommun: AreaInfo['kommun'] = null;
  if (a.level !== 'kommun' && a.level !== 'county') {
    const k = await db.query<{ id: number; code: string; name: string }>(
      `SELECT k.id, k.code, k.name FROM areas k, (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE id = $1) x
       WHERE k.area_set_id = $2 AND k.geom && x.p AND ST_Intersects(k.geom, x.p) LIMIT 1`, [areaId, REFERENCE_SETS.kommuner]);
    if (k.rows.length) kommun = { id: Number(k.rows[0].id), code: k.rows[0].code, name: k.rows[0].name };
  }
  return {
    id: Number(a.id), code: a.code, name: a.name, areaSetId: a.area_set_id, areaSetName: a.set_name, level: a.level,
    areaKm2: Math.round(Number(a.area_m2) / 1e4) / 100, kommun,
  };
}
