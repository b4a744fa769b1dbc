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
  const [w, s, e, n] = r.bbox;
  const corners = [[w, s], [w, n], [e, s], [e, n]].map((c) => proj4('EPSG:4326', 'EPSG:3006', c));
  const xs = corners.map((c) => c[0]); const ys = corners.map((c) => c[1]);
  // 1 km around the box: a point on the border of the simplified boundaries is still the region's
  return { minX: Math.min(...xs) - 1000, minY: Math.min(...ys) - 1000, maxX: Math.max(...xs) + 1000, maxY: Math.max(...ys) + 1000,
    label: `the region ${r.label} (REGION=${r.spec})` };
}

export function inExtent(e: Extent, x: number, y: number): boolean {
  return x >= e.minX && x <= e.maxX && y >= e.minY && y <= e.maxY;
}

/** Why a point is outside: in Sweden but another region's, or not Swedish coordinates at all. */
export function outsideHint(e: Extent, x: number, y: number): 'other-region' | 'not-sweden' {
  return e.label !== 'Sweden' && inExtent({ ...SWEDEN_3006, label: '' }, x, y) ? 'other-region' : 'not-sweden';
}
