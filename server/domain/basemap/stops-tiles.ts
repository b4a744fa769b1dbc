// Public-transport stops (4,800 points) cut into vector tiles once with geojson-vt and encoded with vt-pbf.
import { createRequire } from 'node:module';
import GeoJSONVT from 'geojson-vt';
import type { FeatureCollection } from 'geojson';
import { basemapLayer } from './basemap-layers.js';
import type { Region } from '../region/resolve-region.js';

type TileIndex = { getTile: (z: number, x: number, y: number) => { features: unknown[] } | null };
const vtpbf = createRequire(import.meta.url)('vt-pbf') as { fromGeojsonVt: (layers: Record<string, unknown>, opts?: { version?: number }) => Uint8Array };
// geojson-vt 5 is a class at run time; its published types still describe the old factory function
const Index = GeoJSONVT as unknown as new (data: FeatureCollection, opts: Record<string, unknown>) => TileIndex;

const indexes = new Map<string, TileIndex>();

export function stopsTile(region: Region, z: number, x: number, y: number): Uint8Array | null {
  let index = indexes.get(region.spec);
  if (!index) indexes.set(region.spec, index = new Index(JSON.parse(basemapLayer('stops', region)) as FeatureCollection, { maxZoom: 14, indexMaxZoom: 10, buffer: 32 }));
  const tile = index.getTile(z, x, y);
  if (!tile || !tile.features.length) return null;
  return vtpbf.fromGeojsonVt({ stops: tile }, { version: 2 });
}
