// Creates a MapLibre map on the offline base style served by our own server (/basemap/style.json).
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { setWorkerUrl, Map as MaplibreMap, type ErrorEvent, type Map as MlMap, type StyleSpecification } from 'maplibre-gl';
import type { Camera } from '../state/store.js';
import { regionMaxBounds } from '../state/region-start.js';
import { region } from '../api/region.js';

// MapLibre 6 runs its worker from a separate module; serve it from our own origin as a hashed asset
setWorkerUrl(workerUrl);

let styleCache: StyleSpecification | null = null;

/** The base style with its relative URLs made absolute (MapLibre resolves sources and glyphs against the page). */
export async function loadBaseStyle(): Promise<StyleSpecification> {
  if (styleCache) return structuredClone(styleCache);
  const res = await fetch('/basemap/style.json');
  if (!res.ok) throw new Error(`base style HTTP ${res.status}`);
  const style = await res.json() as StyleSpecification & { glyphs: string };
  const abs = (u: string) => (u.startsWith('/') ? `${location.origin}${u}` : u);
  style.glyphs = abs(style.glyphs);
  for (const src of Object.values(style.sources) as { data?: unknown; tiles?: string[]; url?: string }[]) {
    if (typeof src.data === 'string') src.data = abs(src.data);
    if (src.tiles) src.tiles = src.tiles.map(abs);
    if (src.url) src.url = abs(src.url);
  }
  styleCache = style;
  return structuredClone(style);
}

/** `bounds`: start fitted to this box (with padding) instead of at `camera`. The map may be moved over the region's box
 * with a margin (REGION, api/region.ts); the low minZoom only matters for a national region, the bounds limit the rest. */
export async function createMap(container: HTMLElement, camera: Camera, opts: { interactive?: boolean; bounds?: [[number, number], [number, number]] } = {}): Promise<MlMap> {
  const style = await loadBaseStyle();
  const map: MlMap = new MaplibreMap({
    container,
    style,
    center: [camera.lng, camera.lat],
    zoom: camera.zoom,
    ...(opts.bounds ? { bounds: opts.bounds, fitBoundsOptions: { padding: 40 } } : {}),
    minZoom: 3,
    maxZoom: 18,
    maxBounds: regionMaxBounds(region().bbox),
    attributionControl: { compact: true },
    interactive: opts.interactive ?? true,
    canvasContextAttributes: { preserveDrawingBuffer: true },
    fadeDuration: 0,
  });
  // errors go to the app's status line, never to the console as uncaught noise
  map.on('error', (e: ErrorEvent) => {
    const msg = (e.error as Error | undefined)?.message ?? 'map error';
    window.dispatchEvent(new CustomEvent('tk:map-error', { detail: msg }));
  });
  return map;
}
