// Where the map starts in this deployment's region (REGION, GET /api/region; issue 22): its first view, how far it may
// be panned, and the area set it shows when the link names none or one the deployment does not have. Pure functions,
// so the rules are tested without a browser.
import { DEFAULT_CAMERA, parseCamera, type Camera } from './store.js';

/** GET /api/region */
export type RegionInfo = {
  spec: string; label: string; bbox: [number, number, number, number];
  countySetId: string; kommunSetId: string; defaultAreaSet: string;
  municipalities: { code: string; name: string }[];
};

/** Stockholms län as the server answers for the default REGION: what the app assumes when /api/region is missing. */
export const FALLBACK_REGION: RegionInfo = {
  spec: 'lan:01', label: 'Stockholms län', bbox: [17.25, 58.67, 19.68, 60.28], countySetId: 'lan-stockholm', kommunSetId: 'kommuner-ab',
  defaultAreaSet: 'stadsdelar', municipalities: [],
};

/** Stockholm city's district set: a region with it starts on the city (where its districts are), as the map always did. */
export const STOCKHOLM_DISTRICTS = 'stadsdelar';

/** Whether the deployment has Stockholm's districts (an unreadable list is taken as Stockholm, as the app always was). */
export function hasStockholmDistricts(known: string[] | null): boolean {
  return known === null || known.includes(STOCKHOLM_DISTRICTS);
}

type LngLatBounds = [[number, number], [number, number]];

/**
 * How far the map may be moved: the region's box with a generous margin (at least 2.5° east–west and 0.8° north–south,
 * or half the box), so its edges can be seen with some surroundings; for Stockholms län about the bounds the map
 * always had ([[14.5, 57.8], [21.5, 60.9]]).
 */
export function regionMaxBounds(bbox: [number, number, number, number]): LngLatBounds {
  const [w, s, e, n] = bbox;
  const dx = Math.max(2.5, (e - w) / 2), dy = Math.max(0.8, (n - s) / 2);
  const r = (v: number) => Math.round(v * 100) / 100;
  return [[r(Math.max(-180, w - dx)), r(Math.max(-85, s - dy))], [r(Math.min(180, e + dx)), r(Math.min(85, n + dy))]];
}

/**
 * The first view: the link's camera when it has one; else Stockholm city's view where the map starts on its districts;
 * else the region's box (fitted with padding by the map).
 */
export function firstView(search: string, region: RegionInfo): { camera: Camera } | { bounds: LngLatBounds } {
  const c = parseCamera(new URLSearchParams(search).get('c'));
  if (c) return { camera: c };
  if (region.defaultAreaSet === STOCKHOLM_DISTRICTS) return { camera: { ...DEFAULT_CAMERA } };
  const [w, s, e, n] = region.bbox;
  return { bounds: [[w, s], [e, n]] };
}

/**
 * The area set to show: the link's when the deployment has it (or when the list of sets could not be read), else the
 * region's default — also when the link names none.
 */
export function startAreaSet(search: string, known: string[] | null, region: RegionInfo): string {
  const q = new URLSearchParams(search);
  const asked = q.get('set') ?? q.get('areaSet');
  if (!asked) return region.defaultAreaSet;
  if (known === null) return asked;
  return known.includes(asked) ? asked : region.defaultAreaSet;
}

/** The search's area sets: the ones in `wanted` this deployment has, and the region's municipalities. */
export function searchableSets(wanted: [string, string][], known: string[] | null, region: RegionInfo): [string, string][] {
  const have = (id: string) => known === null || known.includes(id);
  const out = wanted.filter(([id]) => have(id));
  if (have(region.kommunSetId) && !out.some(([id]) => id === region.kommunSetId)) out.push([region.kommunSetId, 'Kommun']);
  return out;
}

/** The set the city overview lists: Stockholm's districts where they exist, else the region's default set. */
export function overviewAreaSet(known: string[] | null, region: RegionInfo): string {
  return hasStockholmDistricts(known) ? STOCKHOLM_DISTRICTS : region.defaultAreaSet;
}
