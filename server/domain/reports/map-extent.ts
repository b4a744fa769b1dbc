// The window of the report's map: the chosen area's bounding box with a margin, in an image whose shape follows the
// area's (a tall district gets a tall picture, a wide one a wide picture), so the area fills the map instead of sitting
// small in the middle of the city. One computation for the hotspot cells drawn, the image and the bounds the content
// records (whereWhen.map.bounds).
import type { Queryable } from '../../db/index.js';
import { notFound } from '../problems.js';

export type MapExtent = {
  /** the window in EPSG:3006 metres [xmin, ymin, xmax, ymax] */
  box3006: [number, number, number, number];
  /** the same window in WGS84 [west, south, east, north] (the envelope of the transformed rectangle) */
  bounds: [number, number, number, number];
  /** image size in CSS pixels (about 1200 × 800 in area, shaped like the window) */
  width: number; height: number;
};

/** Share of the (aspect-fitted) window added on each side around the area. */
export const MAP_MARGIN = 0.05;
/** The window's width/height stays within these (very thin areas get a little more margin across). */
const MIN_ASPECT = 0.5, MAX_ASPECT = 2.5;
const PIXELS = 1200 * 800;

export async function reportMapExtent(db: Queryable, areaId: number): Promise<MapExtent> {
  const r = await db.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
    `SELECT ST_XMin(b) AS xmin, ST_YMin(b) AS ymin, ST_XMax(b) AS xmax, ST_YMax(b) AS ymax FROM (SELECT geom::box2d AS b FROM areas WHERE id = $1) t`, [areaId]);
  if (!r.rows.length || r.rows[0].xmin === null) throw notFound(`No area with id ${areaId}.`);
  const box = fitWindow([Number(r.rows[0].xmin), Number(r.rows[0].ymin), Number(r.rows[0].xmax), Number(r.rows[0].ymax)]);
  const w = await db.query<{ w: number; s: number; e: number; n: number }>(
    `SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n
     FROM (SELECT ST_Transform(ST_Segmentize(ST_MakeEnvelope($1, $2, $3, $4, 3006), ($3 - $1) / 16), 4326)::box2d AS b) t`, box.box);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    box3006: box.box,
    bounds: [round(Number(w.rows[0].w)), round(Number(w.rows[0].s)), round(Number(w.rows[0].e)), round(Number(w.rows[0].n))],
    width: box.width, height: box.height,
  };
}

/** Pure: the window around a bounding box (metres) — aspect clamped, margin added — and its pixel size. */
export function fitWindow([x0, y0, x1, y1]: [number, number, number, number]): { box: [number, number, number, number]; width: number; height: number } {
  let dx = Math.max(x1 - x0, 1), dy = Math.max(y1 - y0, 1);
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const aspect = Math.min(MAX_ASPECT, Math.max(MIN_ASPECT, dx / dy));
  if (dx / dy > aspect) dy = dx / aspect; else dx = dy * aspect;
  dx *= 1 + 2 * MAP_MARGIN; dy *= 1 + 2 * MAP_MARGIN;
  const width = Math.round(Math.sqrt(PIXELS * aspect));
  const height = Math.round(width / aspect);
  return { box: [cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2], width, height };
}
