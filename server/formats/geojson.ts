// GeoJSON output shared by every export: a FeatureCollection in WGS84 (RFC 7946) whose properties are the same
// rows as the JSON/CSV outputs, and the WGS84 geometry of an area set's areas (cached per data version).
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Queryable } from '../db/index.js';
import { memo } from '../domain/data-version/memo.js';

export const GEOJSON_CONTENT_TYPE = 'application/geo+json; charset=utf-8';

export function featureCollection<P extends Record<string, unknown>>(
  items: { id?: string | number; geometry: Geometry | null; properties: P }[], extra: Record<string, unknown> = {},
): FeatureCollection<Geometry | null, P> & Record<string, unknown> {
  const features: Feature<Geometry | null, P>[] = items.map((x) => ({ type: 'Feature', ...(x.id !== undefined ? { id: x.id } : {}), geometry: x.geometry, properties: x.properties }));
  return { type: 'FeatureCollection', ...extra, features } as FeatureCollection<Geometry | null, P> & Record<string, unknown>;
}

/** WGS84 geometry (6 decimals ≈ 0.1 m) of every area of a set, by area id. */
export async function areaGeometries(db: Queryable, areaSetId: string): Promise<Map<number, Geometry>> {
  return memo(db, `geom4326|${areaSetId}`, async () => {
    const r = await db.query<{ id: number; gj: string }>(
      'SELECT id, ST_AsGeoJSON(ST_Transform(geom, 4326), 6) AS gj FROM areas WHERE area_set_id = $1', [areaSetId]);
    return new Map(r.rows.map((x) => [Number(x.id), JSON.parse(x.gj) as Geometry]));
  });
}
