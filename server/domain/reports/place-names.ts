// Names a reader knows for a spot on the map: the nearest metro station or public-transport stop from the bundled
// data (data/transit, see data/PROVENANCE.md), with distance and direction ("200 m norr om Husby tunnelbanestation").
// The report uses it for its hotspot cells, so a row reads as a place and not as a grid index.
import fs from 'node:fs';
import { bundled } from '../bundled-files.js';
import type { Lang } from './types.js';

type Landmark = { name: string; kind: 'metro' | 'stop'; lon: number; lat: number };

let cache: Landmark[] | null = null;

function landmarks(): Landmark[] {
  if (cache) return cache;
  const read = (file: string, kind: Landmark['kind']): Landmark[] => {
    try {
      const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as { features: { properties: { name?: string }; geometry: { coordinates: [number, number] } }[] };
      return fc.features
        .filter((f) => typeof f.properties?.name === 'string' && f.properties.name.trim() && !/^test/i.test(f.properties.name))
        .map((f) => ({ name: f.properties.name!.trim(), kind, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
    } catch {
      return [];
    }
  };
  cache = [...read(bundled.metroStations, 'metro'), ...read(bundled.transitStops, 'stop')];
  return cache;
}

/** Metres between two WGS84 points (equirectangular: exact enough within a city). */
export function distanceMetres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const k = Math.PI / 180;
  const x = (lon2 - lon1) * k * Math.cos(((lat1 + lat2) / 2) * k);
  const y = (lat2 - lat1) * k;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

const DIRS = {
  sv: ['norr', 'nordost', 'öster', 'sydost', 'söder', 'sydväst', 'väster', 'nordväst'],
  en: ['north', 'north-east', 'east', 'south-east', 'south', 'south-west', 'west', 'north-west'],
};

/** The compass direction (8 points) from a landmark to a spot. */
export function direction(lang: Lang, from: { lon: number; lat: number }, to: { lon: number; lat: number }): string {
  const x = (to.lon - from.lon) * Math.cos((from.lat * Math.PI) / 180);
  const y = to.lat - from.lat;
  const deg = ((Math.atan2(x, y) * 180) / Math.PI + 360) % 360;
  return DIRS[lang][Math.round(deg / 45) % 8];
}

/** A metro station within 600 m, else a stop within 400 m, else a metro station within 1.5 km; null when none. */
export function nearestLandmark(lon: number, lat: number): (Landmark & { metres: number }) | null {
  let metro: (Landmark & { metres: number }) | null = null, stop: (Landmark & { metres: number }) | null = null;
  for (const l of landmarks()) {
    const m = distanceMetres(lon, lat, l.lon, l.lat);
    if (l.kind === 'metro' && (!metro || m < metro.metres)) metro = { ...l, metres: m };
    if (l.kind === 'stop' && (!stop || m < stop.metres)) stop = { ...l, metres: m };
  }
  if (metro && metro.metres <= 600) return metro;
  if (stop && stop.metres <= 400) return stop;
  if (metro && metro.metres <= 1500) return metro;
  return null;
}

/** "Husby tunnelbanestation" / "hållplats Kumlagatan" (and English). */
export function landmarkName(lang: Lang, l: Pick<Landmark, 'name' | 'kind'>): string {
  if (l.kind === 'metro') return lang === 'sv' ? `${l.name} tunnelbanestation` : `${l.name} metro station`;
  return lang === 'sv' ? `hållplats ${l.name}` : `the ${l.name} stop`;
}

/** "vid Husby tunnelbanestation" within 150 m, else "250 m norr om Husby tunnelbanestation"; null when no landmark is near. */
export function nearLandmarkText(lang: Lang, lon: number, lat: number): string | null {
  const l = nearestLandmark(lon, lat);
  if (!l) return null;
  const name = landmarkName(lang, l);
  if (l.metres < 150) return lang === 'sv' ? `vid ${name}` : `at ${name}`;
  const metres = Math.round(l.metres / 50) * 50;
  const dir = direction(lang, l, { lon, lat });
  return lang === 'sv' ? `${metres} m ${dir} om ${name}` : `${metres} m ${dir} of ${name}`;
}

/** The metro stations inside a WGS84 window [west, south, east, north] (for labels on the report's map). */
export function metroStationsIn([w, s, e, n]: [number, number, number, number]): { name: string; lon: number; lat: number }[] {
  return landmarks().filter((l) => l.kind === 'metro' && l.lon >= w && l.lon <= e && l.lat >= s && l.lat <= n)
    .map((l) => ({ name: l.name, lon: l.lon, lat: l.lat }));
}
