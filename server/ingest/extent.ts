// Where points may lie: the bounding box of the deployment's region (REGION, stored at start: migration 041) in
// EPSG:3006 — a box, not the coastline, so that the coarse bundled boundaries never refuse a real point on a shore or
// an island; or Sweden's bounds in a database no start has given a region. A point outside is in the wrong CRS or
// not this deployment's, and is rejected with the reason, naming the region.
import proj4 from 'proj4';
import type { Queryable } from '../db/index.js';
import { storedRegion } from '../domain/region/stored-region.js';
import './crs.js';
import { SWEDEN_3006 } from './geometry-checks.js';

export type Extent = { minX: number; minY: number; maxX: number; maxY: number; label: string };

export async function loadPointExtent(db: Queryable): Promise<Extent> {
  const r = await storedRegion(db);
  if (!r) return { ...SWEDEN_3006, label: 'Sweden' };
  return { ...boxIn3006(r.bbox), label: `the region ${r.label} (REGION=${r.spec})` };
}

/** A WGS84 box's extent in EPSG:3006, 1 km around it (a point on the border of the simplified boundaries is still
 * the region's). Its edges are walked, not just its corners: in the transverse Mercator a parallel bows towards the
 * pole away from the central meridian, so the box's corners miss its southern edge's middle (Smygehuk fell outside). */
export function boxIn3006([w, s, e, n]: [number, number, number, number]): Omit<Extent, 'label'> {
  const xs: number[] = [], ys: number[] = [];
  const steps = 64;
  for (let i = 0; i <= steps; i++) {
    const lon = w + ((e - w) * i) / steps, lat = s + ((n - s) * i) / steps;
    for (const c of [[lon, s], [lon, n], [w, lat], [e, lat]]) {
      const [x, y] = proj4('EPSG:4326', 'EPSG:3006', c);
      xs.push(x); ys.push(y);
    }
  }
  return { minX: Math.min(...xs) - 1000, minY: Math.min(...ys) - 1000, maxX: Math.max(...xs) + 1000, maxY: Math.max(...ys) + 1000 };
}

export function inExtent(e: Extent, x: number, y: number): boolean {
  return x >= e.minX && x <= e.maxX && y >= e.minY && y <= e.maxY;
}

/** Why a point is outside: in Sweden but another region's, or not Swedish coordinates at all. */
export function outsideHint(e: Extent, x: number, y: number): 'other-region' | 'not-sweden' {
  return e.label !== 'Sweden' && inExtent({ ...SWEDEN_3006, label: '' }, x, y) ? 'other-region' : 'not-sweden';
}
