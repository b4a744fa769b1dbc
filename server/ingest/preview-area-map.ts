// The map of an areas preview (issue 19): the polygons a commit would store, read back by PostGIS inside the dry run's
// transaction before it is rolled back — after the reprojection to EPSG:3006, the repairs and the replacement of the
// set — so the analyst sees where they land (a wrong CRS puts them in the sea, or in another part of Sweden) before
// committing. In WGS84 GeoJSON, simplified in EPSG:3006 to a tolerance of a thousandth of the set's extent, at most
// MAX_FEATURES and MAX_BYTES of geometry; each with whether it lies within the deployment's region (the box the
// importers' extent check uses, extent.ts).
import type { MultiPolygon, Polygon } from 'geojson';
import type { Queryable } from '../db/index.js';
import { loadPointExtent } from './extent.js';

export const AREA_MAP_LIMITS = { maxFeatures: 200, maxBytes: 512 * 1024 };

export type AreaMapFeature = {
  type: 'Feature';
  properties: { code: string; name: string; inRegion: boolean };
  geometry: Polygon | MultiPolygon;
};

export type AreaMapPreview = {
  /** the polygons shown (the first by code, up to the limits), WGS84 */
  geojson: { type: 'FeatureCollection'; features: AreaMapFeature[] };
  /** the areas the set would hold */
  total: number;
  /** of them, lying (partly) outside the region */
  outside: number;
  /** fewer shown than total */
  truncated: boolean;
  /** the simplification's tolerance, metres in EPSG:3006 */
  toleranceMetres: number;
  /** the region the check is against ("the region Stockholms län (REGION=…)", or "Sweden") */
  region: string;
};

/** The previewed area set as it stands in `tx` (inside the dry run, before its rollback). */
export async function previewAreaMap(tx: Queryable, areaSetId: string, limits = AREA_MAP_LIMITS): Promise<AreaMapPreview> {
  const ext = await loadPointExtent(tx);
  const box = [ext.minX, ext.minY, ext.maxX, ext.maxY];
  const inside = `ST_XMin(geom) >= $2 AND ST_YMin(geom) >= $3 AND ST_XMax(geom) <= $4 AND ST_YMax(geom) <= $5`;
  const sum = await tx.query<{ total: number; outside: number; span: number | null }>(
    `SELECT count(*)::int AS total, (count(*) FILTER (WHERE NOT (${inside})))::int AS outside,
            greatest(max(ST_XMax(geom)) - min(ST_XMin(geom)), max(ST_YMax(geom)) - min(ST_YMin(geom)))::float8 AS span
     FROM areas WHERE area_set_id = $1`,
    [areaSetId, ...box]);
  const { total, outside, span } = sum.rows[0];
  const tol = Math.max(1, Math.round((Number(span) || 0) / 1000));
  const rows = await tx.query<{ code: string; name: string; in_region: boolean; gj: string }>(
    `SELECT code, name, (${inside}) AS in_region,
            ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(geom, $6::float8), 4326), 5) AS gj
     FROM areas WHERE area_set_id = $1 ORDER BY code LIMIT $7`,
    [areaSetId, ...box, tol, limits.maxFeatures]);
  const features: AreaMapFeature[] = [];
  let bytes = 0;
  for (const r of rows.rows) {
    bytes += r.gj.length;
    if (bytes > limits.maxBytes) break;
    features.push({ type: 'Feature', properties: { code: r.code, name: r.name, inRegion: r.in_region }, geometry: JSON.parse(r.gj) as Polygon | MultiPolygon });
  }
  return { geojson: { type: 'FeatureCollection', features }, total, outside, truncated: features.length < total, toleranceMetres: tol, region: ext.label };
}
