// Coordinate reference systems accepted by imports, and the transform of input points to EPSG:3006 in Node
// (proj4; the polygons of `areas` imports are transformed in SQL by PostGIS instead).
import proj4 from 'proj4';
import { ImportFileError } from './errors.js';

proj4.defs('EPSG:3006', '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs');
proj4.defs('EPSG:3011', '+proj=tmerc +lat_0=0 +lon_0=18 +k=1 +x_0=150000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs');

export const SUPPORTED_CRS = ['EPSG:3006', 'EPSG:4326', 'EPSG:3011'] as const;
export type Crs = (typeof SUPPORTED_CRS)[number];

/** "EPSG:3006", "epsg:3006", "3006", "urn:ogc:def:crs:EPSG::3006", "urn:ogc:def:crs:OGC:1.3:CRS84" → a supported CRS. */
export function parseCrs(raw: string): Crs {
  const s = raw.trim();
  if (/CRS84$/i.test(s)) return 'EPSG:4326';
  const m = /(?:^|EPSG:{1,2}|^)(\d{4,5})$/i.exec(s.replace(/^urn:ogc:def:crs:/i, ''));
  const code = m ? `EPSG:${m[1]}` : s.toUpperCase();
  if ((SUPPORTED_CRS as readonly string[]).includes(code)) return code as Crs;
  throw new ImportFileError(`unsupported CRS "${raw}": use one of ${SUPPORTED_CRS.join(', ')}`);
}

export function sridOf(crs: Crs): number {
  return Number(crs.slice(5));
}

/** A function taking (x, y) in crs (x = easting / longitude) to [x, y] in EPSG:3006. */
export function toSweref(crs: Crs): (x: number, y: number) => [number, number] {
  if (crs === 'EPSG:3006') return (x, y) => [x, y];
  const conv = proj4(crs, 'EPSG:3006');
  return (x, y) => conv.forward([x, y]) as [number, number];
}
