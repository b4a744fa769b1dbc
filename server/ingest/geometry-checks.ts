// Checks on GeoJSON polygons before they reach GEOS (the embedded PostGIS turns a GEOS error into an opaque
// JS TypeError, so nothing invalid may get that far).
import type { Geometry, MultiPolygon, Polygon } from 'geojson';

export const MAX_VERTICES_PER_FEATURE = 200_000;

/** Bounds of Sweden in EPSG:3006 (SWEREF 99 TM), with a margin: a point outside is in the wrong CRS or not here. */
export const SWEDEN_3006 = { minX: 180_000, maxX: 1_000_000, minY: 6_100_000, maxY: 7_700_000 };

export type PolygonCheck = { ok: true; geometry: Polygon | MultiPolygon } | { ok: false; reason: string };

export function checkPolygonGeometry(g: Geometry | null | undefined): PolygonCheck {
  if (!g || typeof g !== 'object') return { ok: false, reason: 'feature has no geometry' };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return { ok: false, reason: `geometry type ${String((g as { type?: unknown }).type)} is not Polygon or MultiPolygon` };
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polys) || polys.length === 0) return { ok: false, reason: 'geometry is empty' };
  let vertices = 0;
  for (const rings of polys) {
    if (!Array.isArray(rings) || rings.length === 0) return { ok: false, reason: 'polygon has no rings' };
    for (const ring of rings) {
      if (!Array.isArray(ring) || ring.length < 4) return { ok: false, reason: 'a ring has fewer than 4 positions' };
      vertices += ring.length;
      if (vertices > MAX_VERTICES_PER_FEATURE) return { ok: false, reason: `more than ${MAX_VERTICES_PER_FEATURE} vertices` };
      for (const p of ring) {
        if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
          return { ok: false, reason: `a coordinate is not a finite number pair: ${JSON.stringify(p)?.slice(0, 40)}` };
        }
      }
      const a = ring[0], b = ring[ring.length - 1];
      if (a[0] !== b[0] || a[1] !== b[1]) return { ok: false, reason: 'a ring is not closed' };
    }
  }
  return { ok: true, geometry: g };
}
