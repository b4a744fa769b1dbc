import type { Geometry } from 'geojson';
import type { Queryable } from '../../db/index.js';
import type { AreaRow } from './area-schema.js';

export type { AreaRow };

/** Areas of a set with their latest population (all sexes and ages) and, when asked, WGS84 geometry. */
export async function listAreas(db: Queryable, areaSetId: string, withGeometry: boolean): Promise<(AreaRow & { geometry?: Geometry })[]> {
  const r = await db.query<{ id: number; code: string; name: string; parent_code: string | null; area_m2: number; pop: number | null; year: number | null; gj?: string }>(
    `WITH latest AS (
       SELECT p.area_id, max(p.year) AS year FROM population p JOIN areas a ON a.id = p.area_id WHERE a.area_set_id = $1 GROUP BY p.area_id)
     SELECT a.id, a.code, a.name, a.parent_code, a.area_m2, l.year,
            (SELECT sum(p.population) FROM population p WHERE p.area_id = a.id AND p.year = l.year)::int AS pop
            ${withGeometry ? ', ST_AsGeoJSON(ST_Transform(a.geom, 4326), 6) AS gj' : ''}
     FROM areas a LEFT JOIN latest l ON l.area_id = a.id
     WHERE a.area_set_id = $1 ORDER BY a.name, a.code`, [areaSetId]);
  return r.rows.map((x) => ({
    id: Number(x.id), code: x.code, name: x.name, parentCode: x.parent_code, areaKm2: Math.round(x.area_m2 / 1e4) / 100,
    population: x.pop, populationYear: x.year,
    ...(withGeometry ? { geometry: JSON.parse(x.gj as string) as Geometry } : {}),
  }));
}
