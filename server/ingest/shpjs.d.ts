// The part of shpjs (6.x, no bundled types) the Shapefile reader uses: geometries from a .shp (coordinates as
// stored when no projection is passed), records from a .dbf (decoded by its .cpg), and the two joined.
declare module 'shpjs' {
  import type { FeatureCollection, Geometry } from 'geojson';
  export function parseShp(shp: ArrayBufferView | ArrayBuffer, prj?: string): (Geometry | null)[];
  export function parseDbf(dbf: ArrayBufferView | ArrayBuffer, cpg?: string): Record<string, unknown>[];
  export function combine(parts: [(Geometry | null)[], Record<string, unknown>[] | undefined]): FeatureCollection<Geometry | null, Record<string, unknown>>;
}
