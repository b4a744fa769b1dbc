// Reads a GeoJSON FeatureCollection (whole: boundary and place files are small next to the import limit) and
// the CRS it declares: the optional "crs" member (e.g. urn:ogc:def:crs:EPSG::3006) unless --crs says otherwise.
// A zipped Shapefile (ZIP signature) is read into the same features, its CRS from the .prj.
import type { Readable } from 'node:stream';
import v8 from 'node:v8';
import type { Feature, Geometry } from 'geojson';
import { parseCrs, type Crs } from '../crs.js';
import { ImportFileError } from '../errors.js';
import { isZip, readZippedShapefile } from '../shapefile-zip.js';

/**
 * The largest whole-read file this process can parse: a parsed JSON document takes several times its size in heap.
 * (`npm run import` runs with a small heap so that streaming CSV imports stay under 300 MB.)
 */
export function wholeFileLimit(): number {
  return Math.floor(v8.getHeapStatistics().heap_size_limit / 6);
}

export async function readAll(input: Readable): Promise<string> {
  return (await readAllBytes(input)).toString('utf8').replace(/^\uFEFF/, '');
}

async function readAllBytes(input: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  const limit = wholeFileLimit();
  let size = 0;
  for await (const c of input) {
    size += c.length;
    if (size > limit) {
      throw new ImportFileError(`the file is larger than ${Math.round(limit / 1e6)} MB, the most this process can read whole (GeoJSON and JSON are parsed in one piece); ` +
        `give it more memory: node --max-old-space-size=4096 --import tsx server/cli/import.ts <kind> <file> …`);
    }
    parts.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  }
  return Buffer.concat(parts);
}

/** The features of a GeoJSON FeatureCollection or of a zipped Shapefile (told apart by the ZIP signature). */
export async function readFeatureCollection(input: Readable, optCrs: Crs | undefined): Promise<{ features: Feature<Geometry | null, Record<string, unknown> | null>[]; crs: Crs; crsFrom: string }> {
  const bytes = await readAllBytes(input);
  if (isZip(bytes)) return readZippedShapefile(bytes, optCrs);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let doc: { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  try { doc = JSON.parse(text); } catch (e) { throw new ImportFileError(`the file is not valid JSON (${(e as Error).message})`); }
  if (!doc || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) throw new ImportFileError('the file is not a GeoJSON FeatureCollection');
  let crs: Crs = 'EPSG:4326';
  let crsFrom = 'GeoJSON default (WGS84)';
  const declared = doc.crs?.properties?.name;
  if (typeof declared === 'string') { crs = parseCrs(declared); crsFrom = `the file's crs member (${declared})`; }
  if (optCrs) { crs = optCrs; crsFrom = '--crs'; }
  return { features: doc.features as Feature<Geometry | null, Record<string, unknown> | null>[], crs, crsFrom };
}

/** Every position of a geometry (to check a CRS before PostGIS sees it). */
export function* positions(g: Geometry): Generator<number[]> {
  const walk = function* (c: unknown): Generator<number[]> {
    if (Array.isArray(c) && typeof c[0] === 'number') yield c as number[];
    else if (Array.isArray(c)) for (const x of c) yield* walk(x);
  };
  if (g.type === 'GeometryCollection') for (const x of g.geometries) yield* positions(x);
  else yield* walk((g as { coordinates: unknown }).coordinates);
}

/** Why coordinates cannot be in crs (degrees out of range for WGS84, degrees given as metres), or null. */
export function crsMismatch(g: Geometry, crs: Crs): string | null {
  for (const p of positions(g)) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return `a coordinate is not a finite number pair: ${JSON.stringify(p).slice(0, 40)}`;
    if (crs === 'EPSG:4326' && (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)) return `coordinates (${p[0]}, ${p[1]}) are not WGS84 degrees: the file seems to be in a projected CRS (give --crs EPSG:3006 or EPSG:3011, or a crs member)`;
    if (crs !== 'EPSG:4326' && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90) return `coordinates (${p[0]}, ${p[1]}) look like WGS84 degrees, not ${crs} metres (give --crs EPSG:4326)`;
  }
  return null;
}
