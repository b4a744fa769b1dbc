// The overlay layers above the choropleth: hexbin density and incidents (vector tiles from /tiles), hotspots
// (/api/hotspots GeoJSON), platssamverkan places (/api/places) and transit (the base style's metro and stops).
// Each is only requested while switched on; filters change the tile URLs so every layer shows the same period, and
// the data version (tile-url.ts) so an import shows at once and a cache may keep the tiles of one version.
import type { ExpressionSpecification, GeoJSONSource, Map as MlMap, VectorTileSource } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { api, qs } from '../api/client.js';
import { capabilities } from '../api/capabilities.js';
import type { LayerId, State } from '../state/store.js';
import { naturalBreaks, type Classes } from './classify.js';
import { FONT_REGULAR } from './fonts.js';
import { tileUrl } from './tile-url.js';

export const HOTSPOT_COLORS: Record<string, string> = {
  'hot-99': '#b2182b', 'hot-95': '#ef8a62', 'hot-90': '#fddbc7', 'not-significant': 'rgba(0,0,0,0)',
  'cold-90': '#d1e5f0', 'cold-95': '#67a9cf', 'cold-99': '#2166ac',
};
export const PLACE_COLORS: Record<string, string> = { planned: '#8c6bb1', active: '#1b7837', ended: '#8a8a8a' };
export const HEX_PALETTE = ['#edf8fb', '#b3cde3', '#8c96c6', '#8856a7', '#810f7c'];

type TileJson = { vector_layers?: { id: string }[]; minzoom?: number; maxzoom?: number };
const tileJsonCache = new Map<string, Promise<TileJson>>();
function tileJson(layer: string): Promise<TileJson> {
  let p = tileJsonCache.get(layer);
  if (!p) { p = api<TileJson>(`/tiles/${layer}.json`); p.catch(() => tileJsonCache.delete(layer)); tileJsonCache.set(layer, p); }
  return p;
}

export function filterQuery(s: State, period: { from: string; to: string }): string {
  return qs({ source: s.source, category: s.categories, from: period.from, to: period.to, areaSet: s.areaSet });
}

function before(map: MlMap): string | undefined { return map.getLayer('overlay-anchor') ? 'overlay-anchor' : undefined; }

async function ensureTileLayer(map: MlMap, layer: 'hexbins' | 'incidents', url: string): Promise<void> {
  const id = `ov-${layer}`;
  const src = map.getSource(id) as VectorTileSource | undefined;
  if (src) { if (src.tiles?.[0] !== url) src.setTiles([url]); return; }
  const tj = await tileJson(layer);
  if (map.getSource(id)) return;
  const sourceLayer = tj.vector_layers?.[0]?.id ?? layer;
  map.addSource(id, { type: 'vector', tiles: [url], minzoom: tj.minzoom ?? 0, maxzoom: Math.min(tj.maxzoom ?? 16, 16) });
  if (layer === 'hexbins') {
    map.addLayer({ id: 'ov-hexbins-fill', type: 'fill', source: id, 'source-layer': sourceLayer, paint: { 'fill-color': HEX_PALETTE[2], 'fill-opacity': 0.7, 'fill-outline-color': 'rgba(255,255,255,0.5)' } }, before(map));
  } else {
    map.addLayer({ id: 'ov-incidents', type: 'circle', source: id, 'source-layer': sourceLayer, minzoom: 13, paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 2.5, 17, 5], 'circle-color': '#3f007d', 'circle-stroke-color': '#fff', 'circle-stroke-width': 0.8, 'circle-opacity': 0.85 } }, before(map));
  }
}

/** Hexbin classes from the counts drawn now (the legend reads the same object). */
export function classifyHexbins(map: MlMap): Classes | null {
  if (!map.getLayer('ov-hexbins-fill')) return null;
  const counts = map.queryRenderedFeatures({ layers: ['ov-hexbins-fill'] }).map((f) => Number(f.properties?.count ?? f.properties?.n ?? 0)).filter((n) => n > 0);
  const c = naturalBreaks(counts, 5, HEX_PALETTE);
  if (!c) return null;
  const step: unknown[] = ['step', ['to-number', ['coalesce', ['get', 'count'], ['get', 'n'], 0]], c.colors[0]];
  c.breaks.forEach((b, i) => step.push(b, c.colors[i + 1]));
  map.setPaintProperty('ov-hexbins-fill', 'fill-color', step as ExpressionSpecification);
  return c;
}

let hotspotKey = '';
async function ensureHotspots(map: MlMap, s: State, period: { from: string; to: string }, areaId?: number): Promise<void> {
  const key = qs({ source: s.source, category: s.categories, from: period.from, to: period.to, areaSet: s.areaSet, f: 'geojson' });
  if (!map.getSource('ov-hotspots')) {
    map.addSource('ov-hotspots', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const color: unknown[] = ['match', ['get', 'class']];
    for (const [k, v] of Object.entries(HOTSPOT_COLORS)) color.push(k, v);
    color.push('rgba(0,0,0,0)');
    map.addLayer({ id: 'ov-hotspots-fill', type: 'fill', source: 'ov-hotspots', filter: ['!=', ['get', 'class'], 'not-significant'], paint: { 'fill-color': color as ExpressionSpecification, 'fill-opacity': 0.78 } }, before(map));
    map.addLayer({ id: 'ov-hotspots-line', type: 'line', source: 'ov-hotspots', filter: ['in', ['slice', ['get', 'class'], 0, 3], ['literal', ['hot', 'col']]], paint: { 'line-color': 'rgba(80,0,0,0.35)', 'line-width': 0.5 } }, before(map));
  }
  const k = `${key}|${areaId ?? ''}`;
  if (hotspotKey === k) return;
  hotspotKey = k;
  const fc = await api<FeatureCollection>(`/api/hotspots${key}`);
  (map.getSource('ov-hotspots') as GeoJSONSource).setData(fc);
}

let placesLoaded: Promise<FeatureCollection> | null = null;
export function placesGeoJson(refresh = false): Promise<FeatureCollection> {
  if (!placesLoaded || refresh) {
    placesLoaded = api<unknown>('/api/places?f=geojson').then(toPlaceFeatures);
    placesLoaded.catch(() => { placesLoaded = null; });
  }
  return placesLoaded;
}

type PlaceLike = { id: number; name?: string; status?: string; geometry?: unknown; polygon?: unknown; geom?: unknown; [k: string]: unknown };
export function toPlaceFeatures(body: unknown): FeatureCollection {
  const b = body as { type?: string; features?: FeatureCollection['features']; places?: PlaceLike[]; items?: PlaceLike[] };
  if (b?.type === 'FeatureCollection' && b.features) return { type: 'FeatureCollection', features: b.features.map((f) => ({ ...f, id: Number(f.id ?? f.properties?.id) })) };
  const arr = Array.isArray(body) ? body as PlaceLike[] : b.places ?? b.items ?? [];
  return {
    type: 'FeatureCollection',
    features: arr.filter((p) => p.geometry || p.polygon || p.geom).map((p) => {
      const { geometry, polygon, geom, ...props } = p;
      return { type: 'Feature', id: Number(p.id), properties: props, geometry: (geometry ?? polygon ?? geom) as never };
    }),
  };
}

async function ensurePlaces(map: MlMap): Promise<void> {
  if (!map.getSource('ov-places')) {
    map.addSource('ov-places', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const color: unknown[] = ['match', ['get', 'status']];
    for (const [k, v] of Object.entries(PLACE_COLORS)) color.push(k, v);
    color.push('#1b7837');
    map.addLayer({ id: 'ov-places-fill', type: 'fill', source: 'ov-places', paint: { 'fill-color': color as ExpressionSpecification, 'fill-opacity': 0.25 } }, before(map));
    map.addLayer({ id: 'ov-places-line', type: 'line', source: 'ov-places', paint: { 'line-color': color as ExpressionSpecification, 'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 4, 2.2] } }, before(map));
    map.addLayer({ id: 'ov-places-label', type: 'symbol', source: 'ov-places', minzoom: 13, layout: { 'text-field': ['get', 'name'], 'text-font': [FONT_REGULAR], 'text-size': 11, 'text-max-width': 10 }, paint: { 'text-color': '#1b3d2a', 'text-halo-color': '#fff', 'text-halo-width': 1.5 } });
  }
  (map.getSource('ov-places') as GeoJSONSource).setData(await placesGeoJson());
}

const OVERLAY_LAYERS: Record<Exclude<LayerId, 'choropleth'>, string[]> = {
  hexbins: ['ov-hexbins-fill'], hotspots: ['ov-hotspots-fill', 'ov-hotspots-line'], incidents: ['ov-incidents'],
  places: ['ov-places-fill', 'ov-places-line', 'ov-places-label'], transit: ['base-metro', 'base-metro-labels', 'base-stops', 'base-stop-labels'],
};

export function overlayAvailable(layer: LayerId, role: string): boolean {
  const c = capabilities();
  switch (layer) {
    case 'choropleth': return true;
    case 'hexbins': return c.tiles;
    case 'hotspots': return c.hotspots;
    case 'incidents': return c.tiles && (role === 'analyst' || role === 'admin');
    case 'places': return c.places;
    case 'transit': return true;
  }
}

/** Brings every overlay in line with the state; returns the errors of layers that failed (the others still draw). */
export async function syncOverlays(map: MlMap, s: State, period: { from: string; to: string }, role: string, opts: { areaId?: number; dataVersion?: number | null } = {}): Promise<string[]> {
  const errors: string[] = [];
  const q = filterQuery(s, period);
  const jobs: Promise<void>[] = [];
  for (const layer of Object.keys(OVERLAY_LAYERS) as (keyof typeof OVERLAY_LAYERS)[]) {
    const on = s.layers[layer] && overlayAvailable(layer, role);
    if (on) {
      const job = (async () => {
        if (layer === 'hexbins' || layer === 'incidents') await ensureTileLayer(map, layer, tileUrl(location.origin, layer, q, opts.dataVersion));
        else if (layer === 'hotspots') await ensureHotspots(map, s, period, opts.areaId);
        else if (layer === 'places') await ensurePlaces(map);
      })().catch((e: Error) => { if (e.name !== 'AbortError') errors.push(`${layer}: ${e.message}`); });
      jobs.push(job);
    }
  }
  await Promise.all(jobs);
  for (const [layer, ids] of Object.entries(OVERLAY_LAYERS)) {
    const on = s.layers[layer as LayerId] && overlayAvailable(layer as LayerId, role);
    for (const id of ids) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
  }
  return errors;
}

export async function refreshPlaces(map: MlMap): Promise<void> {
  await placesGeoJson(true);
  if (map.getSource('ov-places')) (map.getSource('ov-places') as GeoJSONSource).setData(await placesGeoJson());
}
