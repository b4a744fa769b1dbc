// A zipped Shapefile of boundaries (issue 19) as the features of a GeoJSON FeatureCollection, for the `areas` and
// `places` kinds: the archive's size, entry count and expanded size are checked (declared, then counted while
// inflating into nothing) before any entry is expanded; then one layer's .shp and .dbf are read by shpjs (a
// maintained reader) with the coordinates left as they are, and the CRS is taken from the .prj (or --crs), so
// PostGIS transforms the polygons exactly as it does those of a GeoJSON file in EPSG:3006.
import type { Feature, Geometry } from 'geojson';
import { combine, parseDbf, parseShp } from 'shpjs';
import { parseCrs, type Crs } from './crs.js';
import { ImportFileError } from './errors.js';
import { checkZip, expandEntry, verifyExpandedSizes, type ZipEntry } from './zip-limits.js';

/** A boundary file is a handful of entries; 256 MB expanded is far beyond any municipality's polygons. */
export const SHAPEFILE_LIMITS = { maxEntries: 64, maxExpandedBytes: 256 * 1024 * 1024, what: 'the zipped Shapefile', format: 'zipped Shapefile' };

/** The ZIP local-file signature: a file starting with it is read as a zipped Shapefile, not as JSON. */
export function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50;
}

/**
 * The CRS a .prj (ESRI WKT) names, among those imports accept: an EPSG authority if the WKT has one, else the
 * projection's name (SWEREF99 TM, SWEREF99 18 00) or a plain WGS 84 geographic CRS.
 */
export function crsOfPrj(wkt: string): Crs {
  const text = wkt.trim();
  const head = /^(PROJCS|PROJCRS|GEOGCS|GEOGCRS)\["([^"]*)"/i.exec(text);
  if (!head) throw new ImportFileError(`the .prj is not a WKT coordinate system (${JSON.stringify(text.slice(0, 40))}); give the CRS (--crs EPSG:3006)`);
  const authorities = [...text.matchAll(/(?:AUTHORITY|ID)\["EPSG",\s*"?(\d{4,5})"?\]/gi)];
  // the outermost object's authority is the last one in WKT1 and WKT2 alike
  const last = authorities.at(-1);
  const name = head[2].replace(/[_\s]+/g, ' ').toUpperCase();
  const projected = /^PROJ/i.test(head[1]);
  if (last) {
    try { return parseCrs(`EPSG:${last[1]}`); } catch { /* an authority we do not accept: fall back to the name */ }
  }
  if (projected && /SWEREF ?99 TM/.test(name)) return 'EPSG:3006';
  if (projected && /SWEREF ?99 18 ?00/.test(name)) return 'EPSG:3011';
  if (!projected && /WGS ?(19)?84/.test(name.replace(/GCS /, ''))) return 'EPSG:4326';
  throw new ImportFileError(`the .prj names a coordinate system imports do not accept ("${head[2]}"); accepted: SWEREF 99 TM (EPSG:3006), SWEREF 99 18 00 (EPSG:3011), WGS 84 (EPSG:4326)`);
}

const ext = (e: ZipEntry) => e.name.slice(e.name.lastIndexOf('.') + 1).toLowerCase();
const base = (e: ZipEntry) => e.name.slice(0, e.name.lastIndexOf('.'));

/** The features and CRS of the single layer in a zipped Shapefile held in memory. */
export async function readZippedShapefile(buf: Buffer, optCrs: Crs | undefined): Promise<{ features: Feature<Geometry | null, Record<string, unknown> | null>[]; crs: Crs; crsFrom: string }> {
  const what = SHAPEFILE_LIMITS.what;
  const all = checkZip(buf, SHAPEFILE_LIMITS);
  // every entry, read or not, must expand to no more than it declares: a lying archive is refused whole
  await verifyExpandedSizes(buf, all, what);
  const entries = all.filter((e) => !e.name.startsWith('__MACOSX/') && !e.name.endsWith('/'));
  const shps = entries.filter((e) => ext(e) === 'shp');
  if (shps.length === 0) throw new ImportFileError('the ZIP archive holds no .shp file (a zipped Shapefile needs its .shp, .dbf and .prj)');
  if (shps.length > 1) throw new ImportFileError(`the ZIP archive holds ${shps.length} Shapefiles (${shps.map((e) => e.name).join(', ')}); zip one layer per import`);
  const layer = base(shps[0]);
  const part = (x: string) => entries.find((e) => base(e) === layer && ext(e) === x);
  const dbf = part('dbf');
  if (!dbf) throw new ImportFileError(`the zipped Shapefile has no ${layer}.dbf: the codes and names of the areas are in it`);
  const prj = part('prj');
  const cpg = part('cpg');
  let crs: Crs;
  let crsFrom: string;
  if (optCrs) { crs = optCrs; crsFrom = '--crs'; }
  else if (prj) { crs = crsOfPrj(expandEntry(buf, prj, what).toString('utf8')); crsFrom = `the Shapefile's ${prj.name}`; }
  else throw new ImportFileError(`the zipped Shapefile has no ${layer}.prj, so its coordinate system is unknown; give it (--crs EPSG:3006)`);
  let fc: { features: Feature<Geometry | null, Record<string, unknown> | null>[] };
  try {
    const geometries = parseShp(expandEntry(buf, shps[0], what));
    const records = parseDbf(expandEntry(buf, dbf, what), cpg ? expandEntry(buf, cpg, what).toString('utf8').trim() : undefined);
    fc = combine([geometries, records]) as typeof fc;
  } catch (e) {
    throw new ImportFileError(`the zipped Shapefile could not be read (${(e as Error).message})`);
  }
  return { features: fc.features, crs, crsFrom };
}
