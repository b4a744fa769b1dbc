// The cells of a hotspot analysis: ST_HexagonGrid over the extent of an area set, keeping the cells that touch one
// of its areas (tested against the small area pieces, so a 5,000-vertex district costs no more than a square).
// Empty cells stay in: a count of 0 is information for Gi*. Cached per database, area set, cell size and data
// version (area sets change only through imports, which bump the version).
import { LRUCache } from 'lru-cache';
import type { Queryable } from '../../db/index.js';
import { invalid, notFound } from '../problems.js';
import { currentDataVersion } from '../data-version/data-version.js';

export type StudyCell = { i: number; j: number; geometry: string /* GeoJSON, WGS84 */ };
export type StudyGrid = { areaSet: string; cellSize: number; cells: StudyCell[]; extent: [number, number, number, number] /* EPSG:3006 */ };

/** Above this many cells the answer would be tens of megabytes: ask for a larger cell or a smaller area set. */
export const MAX_CELLS = 250_000;

const grids = new WeakMap<Queryable, LRUCache<string, StudyGrid>>();

export async function studyGrid(db: Queryable, areaSet: string, cellSize: number): Promise<StudyGrid> {
  const version = await currentDataVersion(db);
  let lru = grids.get(db);
  if (!lru) { lru = new LRUCache({ max: 32 }); grids.set(db, lru); }
  const key = `${areaSet}|${cellSize}|${version}`;
  const hit = lru.get(key);
  if (hit) return hit;
  const ext = await db.query<{ xmin: number | null; ymin: number; xmax: number; ymax: number }>(
    `SELECT ST_XMin(e) xmin, ST_YMin(e) ymin, ST_XMax(e) xmax, ST_YMax(e) ymax FROM (SELECT ST_Extent(geom) e FROM areas WHERE area_set_id = $1) t`, [areaSet]);
  const e = ext.rows[0];
  if (!e || e.xmin === null) throw notFound(`No area set "${areaSet}" (or it has no areas). GET /api/area-sets lists them.`);
  const estimate = ((e.xmax - e.xmin + 2 * cellSize) * (e.ymax - e.ymin + 2 * cellSize)) / (2.598 * cellSize * cellSize);
  if (estimate > MAX_CELLS) {
    throw invalid(`cellSize ${cellSize} m over area set "${areaSet}" gives about ${Math.round(estimate)} cells (at most ${MAX_CELLS}); use a larger cellSize.`,
      [{ field: 'cellSize', message: 'too many cells for this area set' }]);
  }
  const r = await db.query<{ i: number; j: number; g: string }>(
    `SELECT h.i, h.j, ST_AsGeoJSON(ST_Transform(h.geom, 4326), 7) AS g
     FROM ST_HexagonGrid($2::float8, ST_MakeEnvelope($3, $4, $5, $6, 3006)) h
     WHERE EXISTS (SELECT 1 FROM area_pieces p JOIN areas a ON a.id = p.area_id
                   WHERE a.area_set_id = $1 AND p.geom && h.geom AND ST_Intersects(p.geom, h.geom))
     ORDER BY h.i, h.j`, [areaSet, cellSize, e.xmin, e.ymin, e.xmax, e.ymax]);
  const grid: StudyGrid = { areaSet, cellSize, cells: r.rows.map((c) => ({ i: c.i, j: c.j, geometry: c.g })), extent: [e.xmin, e.ymin, e.xmax, e.ymax] };
  lru.set(key, grid);
  return grid;
}
