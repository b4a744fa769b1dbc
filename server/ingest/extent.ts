// Where points may lie: the bounding box of the municipality set (kommuner-ab, the 26 municipalities of
// Stockholms län) in EPSG:3006, or Sweden's bounds when that set is missing. A point outside is in the wrong
// CRS or not ours, and is rejected with the reason.
import type { Queryable } from '../db/index.js';
import { REFERENCE_SETS } from '../domain/bundled-files.js';
import { SWEDEN_3006 } from './geometry-checks.js';

export type Extent = { minX: number; minY: number; maxX: number; maxY: number; label: string };

export async function loadPointExtent(db: Queryable): Promise<Extent> {
  const r = await db.query<{ minx: number | null; miny: number; maxx: number; maxy: number }>(
    `SELECT ST_XMin(e) minx, ST_YMin(e) miny, ST_XMax(e) maxx, ST_YMax(e) maxy
     FROM (SELECT ST_Extent(geom)::geometry e FROM areas WHERE area_set_id = $1) t`, [REFERENCE_SETS.kommuner]);
  const e = r.rows[0];
  if (e && e.minx !== null) return { minX: e.minx, minY: e.miny, maxX: e.maxx, maxY: e.maxy, label: `the extent of area set ${REFERENCE_SETS.kommuner}` };
  return { ...SWEDEN_3006, label: 'Sweden' };
}

export function inExtent(e: Extent, x: number, y: number): boolean {
  return x >= e.minX && x <= e.maxX && y >= e.minY && y <= e.maxY;
}
