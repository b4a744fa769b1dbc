// Turns a place polygon (GeoJSON Polygon/MultiPolygon in WGS84) into a valid EPSG:3006 MultiPolygon, or says why
// not. Checks, in order: shape (closed rings of finite positions, ≤ MAX_PLACE_VERTICES), inside Sweden's bounds
// (lon 10.5–24.5, lat 55–69.5; a swapped lat/lon fails here), then in PostGIS: validity. An invalid polygon is
// repaired (ST_MakeValid, polygons kept) only when the repair changes its area by at most 0.1 %; anything bigger
// (a bow-tie, a ring drawn back over itself) is refused, because guessing what the user meant changes the place.
// Size: 100 m² … 25 km² — a platssamverkan site is a square, a park or a centre, not a district.
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import type { Queryable } from '../../db/index.js';
import { checkPolygonGeometry } from '../../ingest/geometry-checks.js';
import { invalid } from '../problems.js';
import type { PolygonGeometryInput } from './place-schema.js';

export const MAX_PLACE_VERTICES = 5_000;
export const MIN_PLACE_AREA_M2 = 100;
export const MAX_PLACE_AREA_M2 = 25_000_000;
export const MAX_REPAIR_AREA_CHANGE = 0.001;
export const SWEDEN_WGS84 = { minLon: 10.5, maxLon: 24.5, minLat: 55, maxLat: 69.5 };

export type PreparedGeometry = { hexEwkb: string; areaM2: number; repaired: boolean };

const bad = (message: string) => invalid(`geometry: ${message}`, [{ field: 'geometry', message }]);

export async function preparePlaceGeometry(db: Queryable, g: Geometry | PolygonGeometryInput | null | undefined): Promise<PreparedGeometry> {
  // the API's schema checked only the outline (type, non-empty coordinates): the positions are checked here
  const check = checkPolygonGeometry(g as Geometry | null | undefined);
  if (!check.ok) throw bad(check.reason);
  const polys = check.geometry.type === 'Polygon' ? [(check.geometry as Polygon).coordinates] : (check.geometry as MultiPolygon).coordinates;
  let vertices = 0;
  for (const rings of polys) for (const ring of rings) {
    vertices += ring.length;
    for (const [lon, lat] of ring) {
      if (lon < SWEDEN_WGS84.minLon || lon > SWEDEN_WGS84.maxLon || lat < SWEDEN_WGS84.minLat || lat > SWEDEN_WGS84.maxLat) {
        throw bad(`the position [${lon}, ${lat}] is outside Sweden; send WGS84 longitude, latitude (in that order)`);
      }
    }
  }
  if (vertices > MAX_PLACE_VERTICES) throw bad(`${vertices} vertices; a place may have at most ${MAX_PLACE_VERTICES}`);
  // only the clean GeoJSON subset goes to PostGIS (no crs member, no extra members)
  const clean = JSON.stringify({ type: check.geometry.type, coordinates: check.geometry.coordinates });
  const r = await db.query<{ valid: boolean; reason: string; area: number; fixed_area: number | null; fixed_valid: boolean | null; hex: string | null }>(
    `WITH g AS (SELECT ST_RemoveRepeatedPoints(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 3006)) AS geom),
          v AS (SELECT geom, ST_IsValid(geom) AS valid FROM g),
          f AS (SELECT v.*, CASE WHEN valid THEN ST_Multi(geom) ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) END AS fixed FROM v)
     SELECT valid, CASE WHEN valid THEN '' ELSE ST_IsValidReason(geom) END AS reason, ST_Area(geom) AS area,
            CASE WHEN ST_IsEmpty(fixed) THEN NULL ELSE ST_Area(fixed) END AS fixed_area,
            CASE WHEN ST_IsEmpty(fixed) THEN NULL ELSE ST_IsValid(fixed) END AS fixed_valid,
            CASE WHEN ST_IsEmpty(fixed) THEN NULL ELSE ST_AsHEXEWKB(fixed) END AS hex
     FROM f`, [clean]);
  const x = r.rows[0];
  if (!x || x.hex === null || x.fixed_area === null || !x.fixed_valid) throw bad(`the polygon is not valid and cannot be repaired (${x?.reason || 'empty'})`);
  let repaired = false;
  if (!x.valid) {
    const change = Math.abs(x.fixed_area - Math.abs(x.area)) / Math.max(x.fixed_area, Math.abs(x.area), 1e-9);
    if (!(change <= MAX_REPAIR_AREA_CHANGE)) {
      throw bad(`the polygon is not valid (${x.reason}); repairing it would change its area by ${(change * 100).toFixed(1)} %, so it is refused — redraw it without crossing edges`);
    }
    repaired = true;
  }
  if (x.fixed_area < MIN_PLACE_AREA_M2) throw bad(`the place is ${x.fixed_area.toFixed(0)} m²; it must be at least ${MIN_PLACE_AREA_M2} m²`);
  if (x.fixed_area > MAX_PLACE_AREA_M2) throw bad(`the place is ${(x.fixed_area / 1e6).toFixed(1)} km²; a place may be at most ${MAX_PLACE_AREA_M2 / 1e6} km² (use an area set for larger areas)`);
  return { hexEwkb: x.hex, areaM2: x.fixed_area, repaired };
}

/** The stadsdel (117 districts) that contains the polygon's point-on-surface, or null outside Stockholm. */
export async function districtForGeometry(db: Queryable, hexEwkb: string): Promise<number | null> {
  const r = await db.query<{ id: number }>(
    `SELECT a.id FROM areas a WHERE a.area_set_id = 'stadsdelar' AND ST_Contains(a.geom, ST_PointOnSurface($1::geometry)) ORDER BY a.id LIMIT 1`, [hexEwkb]);
  return r.rows.length ? Number(r.rows[0].id) : null;
}
