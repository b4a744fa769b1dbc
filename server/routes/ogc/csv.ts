// A page of features as CSV (server/formats/csv.ts: RFC 4180 or sep=semicolon for Swedish spreadsheets, formulas
// neutralised): id, the properties, and for points the coordinates in the output CRS's axis order. Polygons carry
// no geometry in CSV (use GeoJSON, or ogr2ogr for GeoPackage/Shapefile).
import { toCsv, type CsvSeparator } from '../../formats/csv.js';
import type { OgcFeature } from '../../domain/ogc/types.js';

export function featuresCsv(features: OgcFeature[], axis: [string, string], sep: CsvSeparator = 'comma'): string {
  const keys: string[] = [];
  for (const f of features) for (const k of Object.keys(f.properties)) if (!keys.includes(k)) keys.push(k);
  const points = features.some((f) => f.geometry?.type === 'Point');
  const columns = ['id', ...keys.filter((k) => k !== 'id'), ...(points ? axis : [])];
  const rows = features.map((f) => {
    const r: Record<string, unknown> = { ...f.properties, id: f.id };
    if (points && f.geometry?.type === 'Point') { r[axis[0]] = f.geometry.coordinates[0]; r[axis[1]] = f.geometry.coordinates[1]; }
    return r;
  });
  return toCsv(rows, columns, { sep });
}
