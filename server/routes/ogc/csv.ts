// A page of features as CSV: id, the properties, and for points the coordinates (x/y in the output CRS's axis
// order names). Polygons carry no geometry in CSV (use GeoJSON or ogr2ogr for shapes).
import { stringify } from 'csv-stringify/sync';
import type { OgcFeature } from '../../domain/ogc/types.js';

// a cell that starts like a formula is prefixed so a spreadsheet shows it as text (CSV injection)
function neutral(v: unknown): unknown {
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(v)) return `'${v}`;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}

export function featuresCsv(features: OgcFeature[], axis: [string, string]): string {
  const keys: string[] = [];
  for (const f of features) for (const k of Object.keys(f.properties)) if (!keys.includes(k)) keys.push(k);
  const points = features.some((f) => f.geometry?.type === 'Point');
  const header = ['id', ...keys, ...(points ? axis : [])];
  const rows = features.map((f) => [
    f.id, ...keys.map((k) => neutral(f.properties[k])),
    ...(points ? (f.geometry?.type === 'Point' ? f.geometry.coordinates.slice(0, 2) : [null, null]) : []),
  ]);
  return stringify([header, ...rows], { cast: { boolean: (b) => (b ? 'true' : 'false') } });
}
