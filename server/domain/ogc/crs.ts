// The two coordinate reference systems the OGC API serves (Part 1 default CRS84, Part 2 EPSG:3006), their URIs, and
// the axis order each one uses on the wire: CRS84 is lon,lat; EPSG:3006 (SWEREF 99 TM) is defined northing,easting,
// so Part 2 output and a bbox-crs=EPSG:3006 bbox are in N,E order (what GDAL ≥ 3.7 and QGIS expect).
import { invalid } from '../problems.js';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const EPSG3006 = 'http://www.opengis.net/def/crs/EPSG/0/3006';
export const SUPPORTED_CRS = [CRS84, EPSG3006] as const;
export type OgcCrs = (typeof SUPPORTED_CRS)[number];

/** Accepts the URI, its https form, the OGC safe-CURIE `[EPSG:3006]` and the short `EPSG:3006` / `CRS84`. */
export function parseCrs(value: string | undefined, parameter: 'crs' | 'bbox-crs'): OgcCrs {
  if (value === undefined || value === '') return CRS84;
  const v = value.trim().replace(/^\[(.*)\]$/, '$1').replace(/^https:/, 'http:');
  if (v === CRS84 || /^(OGC:)?CRS84$/i.test(v)) return CRS84;
  if (v === EPSG3006 || /^EPSG:(0:)?3006$/i.test(v)) return EPSG3006;
  throw invalid(`Parameter "${parameter}" must be one of ${SUPPORTED_CRS.join(', ')}; got "${value.slice(0, 100)}".`,
    [{ field: parameter, message: 'unsupported CRS' }]);
}

/** PostGIS SQL for a stored EPSG:3006 geometry expression as GeoJSON in the requested CRS, in that CRS's axis order. */
export function geoJsonSql(geomExpr: string, crs: OgcCrs): string {
  return crs === CRS84
    ? `ST_AsGeoJSON(ST_Transform(${geomExpr}, 4326), 6)`
    : `ST_AsGeoJSON(ST_FlipCoordinates(${geomExpr}), 2, 0)`;
}

export type Bbox = { minx: number; miny: number; maxx: number; maxy: number; crs: OgcCrs };

/** `bbox=a,b,c,d` (4 numbers; 6 with heights is accepted and the heights ignored), axis order of bbox-crs. */
export function parseBbox(value: string | undefined, bboxCrs: string | undefined): Bbox | null {
  if (bboxCrs !== undefined && value === undefined) {
    throw invalid('Parameter "bbox-crs" needs a "bbox" too.', [{ field: 'bbox-crs', message: 'without bbox' }]);
  }
  if (value === undefined) return null;
  const crs = parseCrs(bboxCrs, 'bbox-crs');
  const bad = (why: string) => invalid(`Parameter "bbox" ${why}; expected minx,miny,maxx,maxy${crs === EPSG3006 ? ' in EPSG:3006 axis order (minNorthing,minEasting,maxNorthing,maxEasting)' : ' in CRS84 (lon,lat)'}.`,
    [{ field: 'bbox', message: why }]);
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length !== 4 && parts.length !== 6) throw bad(`has ${parts.length} numbers`);
  const n = parts.map((s) => (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN));
  if (n.some((x) => !Number.isFinite(x))) throw bad('has a value that is not a number');
  const [a, b, c, d] = parts.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
  if (crs === CRS84) {
    if (b > d) throw bad('has its lower latitude above its upper latitude');
    if ([b, d].some((y) => y < -90 || y > 90) || [a, c].some((x) => x < -180 || x > 180)) throw bad('is outside -180..180, -90..90');
    if (a > c) throw bad('crosses the antimeridian, which is not supported here');
    return { minx: a, miny: b, maxx: c, maxy: d, crs };
  }
  // EPSG:3006 in its own axis order: northing first
  if (a > c || b > d) throw bad('has a lower corner above its upper corner');
  return { minx: b, miny: a, maxx: d, maxy: c, crs };
}

/**
 * SQL for the bbox as an EPSG:3006 polygon, its numbers as parameters from $firstParam on (use params.length).
 * A CRS84 box is densified before the transform so its curved edges in SWEREF 99 TM are followed closely.
 */
export function bboxSql(b: Bbox, firstParam: number): { sql: string; params: number[] } {
  const p = (i: number) => `$${firstParam + i}::float8`;
  if (b.crs === EPSG3006) return { sql: `ST_MakeEnvelope(${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}, 3006)`, params: [b.minx, b.miny, b.maxx, b.maxy] };
  // all data lies in Sweden: clip the box to a wide frame around it first, so a world-sized box never reaches a
  // transverse-Mercator transform far outside its zone
  const c = { minx: Math.max(b.minx, FRAME.minx), miny: Math.max(b.miny, FRAME.miny), maxx: Math.min(b.maxx, FRAME.maxx), maxy: Math.min(b.maxy, FRAME.maxy) };
  // a box that misses the frame matches nothing: a NULL geometry makes every spatial test NULL (not true)
  if (c.minx > c.maxx || c.miny > c.maxy) return { sql: 'NULL::geometry', params: [] };
  return { sql: `ST_Transform(ST_Segmentize(ST_MakeEnvelope(${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}, 4326), 0.01), 3006)`, params: [c.minx, c.miny, c.maxx, c.maxy] };
}

const FRAME = { minx: 0, miny: 50, maxx: 40, maxy: 75 };
