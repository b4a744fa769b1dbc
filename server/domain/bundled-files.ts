// Paths of the bundled real data (see data/PROVENANCE.md).
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';

export const DATA_ROOT = path.join(PROJECT_ROOT, 'data');
export const bundled = {
  stadsdelar: path.join(DATA_ROOT, 'stockholm/stadsdelar.geojson'),
  stadsdelsomraden2020: path.join(DATA_ROOT, 'stockholm/stadsdelsomraden-2020.geojson'),
  stadsdelToOmrade2020: path.join(DATA_ROOT, 'stockholm/stadsdel-to-stadsdelsomrade-2020.csv'),
  basomraden: path.join(DATA_ROOT, 'stockholm/basomraden.geojson'),
  basomradenPopulation: path.join(DATA_ROOT, 'stockholm/basomraden-population-2014-2016.csv'),
  /** all 290 municipalities of Sweden (the region's come from here: server/domain/region) */
  kommuner: path.join(DATA_ROOT, 'sweden/kommuner.geojson'),
  lan: path.join(DATA_ROOT, 'sweden/lan.geojson'),
  metroStations: path.join(DATA_ROOT, 'transit/metro-stations.geojson'),
  transitStops: path.join(DATA_ROOT, 'transit/sl-stops.geojson'),
  water: path.join(DATA_ROOT, 'basemap/water.geojson'),
  polisenEvents: path.join(DATA_ROOT, 'polisen/events-stockholms-lan-2022-2025.jsonl'),
};

/** Ids of the bundled area sets of the default region (lan:01); another REGION names its county and municipality
 * sets itself (server/domain/region/resolve-region.ts). The Stockholm city sets exist when the region has 0180. */
export const REFERENCE_SETS = {
  county: 'lan-stockholm',
  kommuner: 'kommuner-ab',
  stadsdelsomraden2020: 'stadsdelsomraden-2020',
  stadsdelsomraden2023: 'stadsdelsomraden-2023',
  stadsdelar: 'stadsdelar',
  basomraden: 'basomraden',
} as const;

/** "BAGARMOSSEN" → "Bagarmossen", "ÖSTBERGA-HÖGDALEN" → "Östberga-Högdalen". */
export function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s\-/(])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}
