// The generator for any region (issue 22): its points lie inside the region's municipalities, spread over them by
// weight, and the same seed gives the same lines; the default region keeps Stockholm's detailed model.
import { describe, expect, it } from 'vitest';
import proj4 from 'proj4';
import * as turf from '@turf/turf';
import '../ingest/crs.js';
import { resolveRegion } from '../domain/region/resolve-region.js';
import type { Kommun } from '../domain/region/national-boundaries.js';
import { citizenLines, crimeLines, guardLines, Places, shootingLines } from './model.js';
import { placesFor, RegionPlaces } from './region-places.js';

const toWgs = proj4('EPSG:3006', 'EPSG:4326');
const o = { seed: 'region-7', crimes: 4_000, shootings: 60, guardReports: 400, citizenReports: 400, from: '2024-01-01', to: '2024-12-31' };

/** lon/lat of every row of a generated CSV (x, y in EPSG:3006 in the named columns) */
function points(lines: Iterable<string>): [number, number][] {
  const [head, ...rows] = [...lines];
  const cols = head.split(',');
  const xi = cols.indexOf('x'), yi = cols.indexOf('y');
  return rows.map((l) => { const f = l.split(','); return toWgs.forward([Number(f[xi]), Number(f[yi])]) as [number, number]; });
}

/** which municipality each point lies in (code), by the boundaries themselves */
function kommunOf(kommuner: Kommun[], pts: [number, number][]): (string | null)[] {
  const boxes = kommuner.map((k) => turf.bbox(k.feature));
  return pts.map((p) => {
    for (let i = 0; i < kommuner.length; i++) {
      const b = boxes[i];
      if (p[0] < b[0] || p[0] > b[2] || p[1] < b[1] || p[1] > b[3]) continue;
      if (turf.booleanPointInPolygon(p, kommuner[i].feature)) return kommuner[i].code;
    }
    return null;
  });
}

describe('the generator for a region', () => {
  it('puts every crime, shooting, guard and citizen report of a Göteborg sample inside Göteborg', () => {
    const region = resolveRegion('kommun:1480');
    const places = new RegionPlaces(region);
    const all = [crimeLines(o, places), shootingLines(o, places), guardLines(o, places), citizenLines(o, places)].flatMap(points);
    expect(all.length).toBe(4_000 + 60 + 400 + 400);
    const gbg = region.kommuner[0].feature;
    const outside = all.filter((p) => !turf.booleanPointInPolygon(p, gbg));
    expect(outside).toEqual([]);
    // not all on one spot: spread over the city
    const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0.2);
    expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(0.1);
  });

  it('spreads a Västra Götaland sample over all its municipalities by their weight', () => {
    const region = resolveRegion('lan:14');
    const n = region.kommuner.length;
    const count = (places: RegionPlaces) => {
      const codes = kommunOf(region.kommuner, points(crimeLines({ ...o, crimes: 20_000 }, places)));
      expect(codes.filter((c) => c === null)).toEqual([]);
      const by = new Map<string, number>();
      for (const c of codes) by.set(c!, (by.get(c!) ?? 0) + 1);
      return by;
    };
    // no population is bundled: the same weight for each municipality, so each gets about 1/n
    const even = count(new RegionPlaces(region));
    expect(even.size).toBe(n);
    for (const k of region.kommuner) expect(even.get(k.code)! / 20_000).toBeGreaterThan(0.5 / n);
    // given weights (here Göteborg ten times the others), a heavier municipality gets proportionally more
    const heavy = count(new RegionPlaces(region, { weights: (k) => (k.code === '1480' ? 10 : 1) }));
    const share = heavy.get('1480')! / 20_000;
    expect(share).toBeGreaterThan((10 / (n + 9)) * 0.85);
    expect(share).toBeLessThan((10 / (n + 9)) * 1.15);
    expect(heavy.get('1480')!).toBeGreaterThan(5 * (heavy.get('1481') ?? 0));
  });

  it('gives the same lines for the same seed, other lines for another, and whole-country points inside Sweden', () => {
    const se = new RegionPlaces(resolveRegion('sverige'));
    const a = [...crimeLines({ ...o, crimes: 3_000 }, se)];
    expect([...crimeLines({ ...o, crimes: 3_000 }, new RegionPlaces(resolveRegion('sverige')))]).toEqual(a);
    expect([...crimeLines({ ...o, crimes: 3_000, seed: 'region-8' }, se)]).not.toEqual(a);
    const codes = kommunOf(resolveRegion('sverige').kommuner, points(a));
    expect(codes.filter((c) => c === null)).toEqual([]);
    expect(new Set(codes).size).toBeGreaterThan(250); // 3,000 draws over 290 equal weights
  });

  it('keeps Stockholm\'s detailed model for the default region and Stockholm city, the region sampler elsewhere', () => {
    expect(placesFor(resolveRegion())).toBeInstanceOf(Places);
    expect(placesFor(resolveRegion('kommun:0180'))).toBeInstanceOf(Places);
    expect(placesFor(resolveRegion('kommun:1480'))).toBeInstanceOf(RegionPlaces);
    expect(placesFor(resolveRegion('sverige'))).toBeInstanceOf(RegionPlaces);
  });
});
