/**
 * Where the synthetic incidents go in any region (REGION, issue 22) other than Stockholm's detailed model.
 *
 * A municipality is picked by its weight; within it 70 % of the points lie around its centre (Gaussian, σ an
 * eighth of the square root of its area, 1–15 km) and 30 % uniform inside its polygon. The weight is the same
 * for every municipality: no population per municipality is bundled (none with a stated source and licence was
 * found), so the generator does not pretend to know one; a caller that has real figures passes them as `weights`.
 * Hubs (the 35 % of crimes near "stations", guard patrols, shooting episodes) are the municipality's centre and
 * three seeded points around it — synthetic local centres, not real places. The centre is the boundary file's
 * representative point (geo_point_2d) when it lies inside the polygon, else a point on the polygon.
 *
 * Every point is tested against its municipality's polygon (one ray-casting test over precomputed rings, after a
 * bounding-box test) and redrawn when outside, so all points lie inside the region. Built once per region, cheap
 * per row: the national bench draws 15 M crimes from it.
 */
import seedrandom from 'seedrandom';
import * as turf from '@turf/turf';
import type { Region } from '../domain/region/resolve-region.js';
import type { Kommun } from '../domain/region/national-boundaries.js';
import { around, cumulative, pick, Places, type PlaceSampler, type Rng, type Spot } from './model.js';

type Area = {
  code: string;
  name: string;
  box: [number, number, number, number];
  /** every ring (outer and holes) as flat lon,lat pairs: the even-odd rule over all of them is "inside" */
  rings: Float64Array[];
  centre: [number, number];
  sigma: number;
  hubs: [number, number][];
  hubCum: number[];
};
type AreaSpot = Spot & { area: number };

const INSIDE_TRIES = 40;

function flatRings(k: Kommun): Float64Array[] {
  const g = k.feature.geometry;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.flatMap((p) => p.map((ring) => Float64Array.from(ring.flat())));
}

function insideRings(rings: Float64Array[], x: number, y: number): boolean {
  let inside = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
      const yi = r[i + 1], yj = r[j + 1];
      if ((yi > y) !== (yj > y) && x < ((r[j] - r[i]) * (y - yi)) / (yj - yi) + r[i]) inside = !inside;
    }
  }
  return inside;
}

function inArea(a: Area, x: number, y: number): boolean {
  return x >= a.box[0] && x <= a.box[2] && y >= a.box[1] && y <= a.box[3] && insideRings(a.rings, x, y);
}

function buildArea(k: Kommun): Area {
  const rings = flatRings(k);
  const b = turf.bbox(k.feature);
  const box: Area['box'] = [b[0], b[1], b[2], b[3]];
  const gp = k.feature.properties.geo_point_2d as [number, number] | undefined; // [lat, lon]
  let centre: [number, number] = gp ? [gp[1], gp[0]] : [NaN, NaN];
  if (!(Number.isFinite(centre[0]) && insideRings(rings, centre[0], centre[1]))) centre = turf.pointOnFeature(k.feature).geometry.coordinates as [number, number];
  const sigma = Math.min(15_000, Math.max(1_000, Math.sqrt(turf.area(k.feature)) / 8));
  const area: Area = { code: k.code, name: k.name, box, rings, centre, sigma, hubs: [centre], hubCum: [] };
  // three local centres per municipality, seeded by its code: the same whichever region it is part of
  const rng = seedrandom(`hubs:${k.code}`);
  for (let h = 0; h < 3; h++) {
    for (let i = 0; i < INSIDE_TRIES; i++) {
      const p = around(rng, centre[0], centre[1], sigma / 2);
      if (inArea(area, p[0], p[1])) { area.hubs.push(p); break; }
    }
  }
  area.hubCum = cumulative(area.hubs.map((_, i) => (i === 0 ? 3 : 1)));
  return area;
}

export type RegionPlacesOptions = {
  /** a weight per municipality (e.g. its population); the default is the same for all */
  weights?: (k: Kommun) => number;
};

export class RegionPlaces implements PlaceSampler {
  readonly areas: Area[];
  private readonly cum: number[];
  constructor(readonly region: Region, opts: RegionPlacesOptions = {}) {
    this.areas = region.kommuner.map(buildArea);
    const w = opts.weights ?? (() => 1);
    this.cum = cumulative(region.kommuner.map((k) => Math.max(0, w(k))));
    if (!(this.cum[this.cum.length - 1] > 0)) throw new Error(`RegionPlaces: no municipality of ${region.label} has a weight above 0`);
  }
  private area(rng: Rng): number { return pick(this.cum, rng()); }
  /** σ metres around a point of area a, redrawn until inside it; the point itself after too many misses */
  private aroundIn(rng: Rng, a: number, lon: number, lat: number, sigma: number): [number, number] {
    const area = this.areas[a];
    for (let i = 0; i < INSIDE_TRIES; i++) {
      const p = around(rng, lon, lat, sigma);
      if (inArea(area, p[0], p[1])) return p;
    }
    return [lon, lat];
  }
  inPopulation(rng: Rng): [number, number] {
    const a = this.areas[this.area(rng)];
    const [w, s, e, n] = a.box;
    for (let i = 0; i < INSIDE_TRIES; i++) {
      const p: [number, number] = rng() < 0.7 ? around(rng, a.centre[0], a.centre[1], a.sigma) : [w + rng() * (e - w), s + rng() * (n - s)];
      if (inArea(a, p[0], p[1])) return p;
    }
    return a.centre;
  }
  private hub(rng: Rng): AreaSpot {
    const i = this.area(rng);
    const a = this.areas[i];
    const [lon, lat] = a.hubs[pick(a.hubCum, rng())];
    return { lon, lat, area: i };
  }
  nearHub(rng: Rng, sigma = 250): [number, number] {
    const h = this.hub(rng);
    return this.aroundIn(rng, h.area, h.lon, h.lat, sigma);
  }
  nearCentre(rng: Rng): [number, number] {
    const i = this.area(rng);
    const a = this.areas[i];
    return this.aroundIn(rng, i, a.centre[0], a.centre[1], Math.min(1200, a.sigma));
  }
  conflictSpot(rng: Rng): Spot { return this.hub(rng); }
  near(rng: Rng, spot: Spot, sigma: number): [number, number] {
    const a = (spot as Partial<AreaSpot>).area ?? this.areas.findIndex((x) => inArea(x, spot.lon, spot.lat));
    return a >= 0 ? this.aroundIn(rng, a, spot.lon, spot.lat, sigma) : [spot.lon, spot.lat];
  }
  nearGuardSpot(rng: Rng, sigma: number): [number, number] { return this.nearHub(rng, sigma); }
}

/**
 * The sampler for a deployment's region: Stockholm's detailed model (stations, basområden, vulnerable areas)
 * where the region is Stockholm city within Stockholms län — the default lan:01 keeps its sample byte for byte —
 * else the municipalities of the region.
 */
export function placesFor(region: Region): PlaceSampler {
  return stockholmDetail(region) ? new Places() : new RegionPlaces(region);
}

export function stockholmDetail(region: Region): boolean {
  return region.stockholmCity && region.kommuner.every((k) => k.lanCode === '01');
}
