// The real geography the generator draws on (data/): the 419 basområden with their population (2016, by sex and
// age band), the 117 stadsdelar (which basområden lie in each), and the 99 metro stations.
import fs from 'node:fs';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { parse } from 'csv-parse/sync';
import { bundled } from '../domain/bundled-files.js';

type Poly = Feature<Polygon | MultiPolygon, Record<string, unknown>>;
export type Basomrade = { code: string; name: string; feature: Poly; bbox: number[]; population: number; byBand: Map<string, number>; district: string | null };
export type District = { code: string; name: string; feature: Poly; population: number; byBand: Map<string, number> };
export type Station = { name: string; lon: number; lat: number };
export type World = { basomraden: Basomrade[]; districts: District[]; stations: Station[] };

let cached: World | null = null;

export function loadWorld(): World {
  if (cached) return cached;
  const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as FeatureCollection;
  const districtsFc = read(bundled.stadsdelar).features as Poly[];
  const basFc = read(bundled.basomraden).features as Poly[];
  const pop = parse(fs.readFileSync(bundled.basomradenPopulation, 'utf8'), { columns: true }) as Record<string, string>[];
  const popBy = new Map<string, Map<string, number>>();
  for (const r of pop) {
    if (r.year !== '2016') continue;
    const m = popBy.get(r.basomrade_code) ?? new Map<string, number>();
    const k = `${r.sex}:${r.age_band}`;
    m.set(k, (m.get(k) ?? 0) + Number(r.population));
    popBy.set(r.basomrade_code, m);
  }
  const districts: District[] = districtsFc.map((f) => ({ code: String(f.properties.name), name: String(f.properties.name), feature: f, population: 0, byBand: new Map() }));
  const districtBoxes = districts.map((d) => turf.bbox(d.feature));
  const basomraden: Basomrade[] = basFc.map((f) => {
    const code = String(f.properties.code);
    const byBand = popBy.get(code) ?? new Map<string, number>();
    const population = [...byBand.values()].reduce((a, b) => a + b, 0);
    const c = turf.pointOnFeature(f).geometry.coordinates;
    let district: District | null = null;
    for (let i = 0; i < districts.length; i++) {
      const b = districtBoxes[i];
      if (c[0] < b[0] || c[0] > b[2] || c[1] < b[1] || c[1] > b[3]) continue;
      if (turf.booleanPointInPolygon(c, districts[i].feature)) { district = districts[i]; break; }
    }
    if (district) {
      district.population += population;
      for (const [k, v] of byBand) district.byBand.set(k, (district.byBand.get(k) ?? 0) + v);
    }
    return { code, name: String(f.properties.name), feature: f, bbox: turf.bbox(f), population, byBand, district: district?.code ?? null };
  });
  const stations = (read(bundled.metroStations).features as Feature<Point>[]).map((f) => ({ name: String(f.properties?.name), lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
  cached = { basomraden, districts, stations };
  return cached;
}
