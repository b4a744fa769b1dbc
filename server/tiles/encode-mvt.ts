// The Node encoder for backends without ST_AsMVT: rows whose geometry is GeoJSON already in tile coordinates
// (layers.ts rowsSql) become one MVT layer through vt-pbf. Polygon rings get the winding MVT 2.1 requires
// (exterior positive area in tile coordinates, y down; holes negative) and degenerate rings are dropped, as
// ST_AsMVTGeom does.
import { createRequire } from 'node:module';
import { EXTENT } from './tile-math.js';

type TileFeature = { id?: number; type: 1 | 2 | 3; geometry: number[][] | number[][][]; tags: Record<string, unknown> };
const vtpbf = createRequire(import.meta.url)('vt-pbf') as { fromGeojsonVt(layers: Record<string, { features: TileFeature[] }>, o: { version: number; extent: number }): Uint8Array };

type Geo = { type: string; coordinates: unknown };

function signedArea(ring: number[][]): number {
  let a = 0;
  for (let k = 0, n = ring.length; k < n - 1; k++) a += ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1];
  return a / 2;
}

function orient(ring: number[][], exterior: boolean): number[][] | null {
  if (ring.length < 4) return null;
  const a = signedArea(ring);
  if (a === 0) return null;
  return (a > 0) === exterior ? ring : [...ring].reverse();
}

function toFeature(g: Geo): Pick<TileFeature, 'type' | 'geometry'> | null {
  switch (g.type) {
    case 'Point': return { type: 1, geometry: [g.coordinates as number[]] };
    case 'MultiPoint': return (g.coordinates as number[][]).length ? { type: 1, geometry: g.coordinates as number[][] } : null;
    case 'LineString': return { type: 2, geometry: [g.coordinates as number[][]] };
    case 'MultiLineString': return { type: 2, geometry: g.coordinates as number[][][] };
    case 'Polygon':
    case 'MultiPolygon': {
      const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
      const rings: number[][][] = [];
      for (const poly of polys) {
        const outer = orient(poly[0] ?? [], true);
        if (!outer) continue;
        rings.push(outer);
        for (const hole of poly.slice(1)) { const h = orient(hole, false); if (h) rings.push(h); }
      }
      return rings.length ? { type: 3, geometry: rings } : null;
    }
    default: return null;
  }
}

/** Encodes rows {id, geom: GeoJSON text in tile coordinates, …properties} as a one-layer tile; null when empty. */
export function encodeRows(layer: string, rows: Record<string, unknown>[]): Uint8Array | null {
  const features: TileFeature[] = [];
  for (const r of rows) {
    if (typeof r.geom !== 'string') continue;
    const f = toFeature(JSON.parse(r.geom) as Geo);
    if (!f) continue;
    const tags: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (k !== 'geom' && k !== 'id' && v !== null && v !== undefined) tags[k] = v;
    features.push({ ...f, tags, ...(typeof r.id === 'number' && r.id >= 0 ? { id: r.id } : {}) });
  }
  if (!features.length) return null;
  return vtpbf.fromGeojsonVt({ [layer]: { features } }, { version: 2, extent: EXTENT });
}
