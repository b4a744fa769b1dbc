// The deployment's region (GET /api/region) and the ids of the area sets it has (GET /api/area-sets), read once at
// start, before the map is created: the first view, the map's bounds, the area set, the search and the page's place
// name follow them. An older server without /api/region is taken to be Stockholms län, as the app always assumed.
import { api } from './client.js';
import { FALLBACK_REGION, type RegionInfo } from '../state/region-start.js';

let current: RegionInfo = FALLBACK_REGION;
let sets: string[] | null = null;

export async function loadRegion(): Promise<{ region: RegionInfo; areaSetIds: string[] | null }> {
  const [r, s] = await Promise.all([
    api<RegionInfo>('/api/region').catch(() => FALLBACK_REGION),
    api<{ id: string }[]>('/api/area-sets').then((l) => l.map((x) => x.id)).catch(() => null),
  ]);
  current = r;
  sets = s;
  return { region: r, areaSetIds: s };
}

export function region(): RegionInfo { return current; }
/** The area sets the deployment had at start (null: the list could not be read). */
export function areaSetIds(): string[] | null { return sets; }
