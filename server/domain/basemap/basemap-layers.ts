// The bundled real data the offline basemap draws: land (counties), municipalities, districts and their label points,
// water inside Stockholm city (the city's polygon less its districts), metro stations and public-transport stops.
// Read once, coordinates rounded to ~1 m, cached in memory.
import fs from 'node:fs';
import path from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { bundled, titleCase } from '../bundled-files.js';
import type { Region } from '../region/resolve-region.js';

export const BASEMAP_LAYERS = ['land', 'municipalities', 'municipality-labels', 'districts', 'district-labels', 'water', 'metro', 'stops'] as const;
export type BasemapLayer = (typeof BASEMAP_LAYERS)[number];

export const WATER_FILE = bundled.water;

const cache = new Map<string, string>();

function read(file: string): FeatureCollection {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection;
}

function round(c: unknown): unknown {
  if (typeof c === 'number') return Math.round(c * 1e5) / 1e5;
  return (c as unknown[]).map(round);
}

function slim(features: Feature[], props: (p: Record<string, unknown>) => Record<string, unknown>): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: features.map((f, i) => ({ type: 'Feature', id: i + 1, properties: props(f.properties ?? {}), geometry: { ...f.geometry, coordinates: round((f.geometry as Polygon).coordinates) } as Geometry })),
  };
}

/** A point inside the polygon for its label: the centroid when it lies inside, else a point on the surface. */
function labelPoint(f: Feature<Polygon | MultiPolygon>): Position {
  let poly: Feature<Polygon | MultiPolygon> = f;
  if (f.geometry.type === 'MultiPolygon') {
    // label the largest part
    const parts = f.geometry.coordinates.map((c) => turf.polygon(c));
    poly = parts.reduce((a, b) => (turf.area(b) > turf.area(a) ? b : a));
  }
  const c = turf.centroid(poly);
  if (turf.booleanPointInPolygon(c, poly)) return c.geometry.coordinates;
  return turf.pointOnFeature(poly).geometry.coordinates;
}

function labels(fc: FeatureCollection, name: (p: Record<string, unknown>) => string): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f, i) => ({
      type: 'Feature', id: i + 1,
      properties: { name: name(f.properties ?? {}), areaKm2: Math.round(turf.area(f) / 1e4) / 100 },
      geometry: { type: 'Point', coordinates: round(labelPoint(f as Feature<Polygon | MultiPolygon>)) as Position },
    })),
  };
}

/** Slow (~5 s of turf): run by server/cli/build-water.ts, which writes data/basemap/water.geojson. */
export function computeWater(): FeatureCollection {
  // Stockholm city's districts follow the shore, but the bundled municipality polygons are coarse. Inside the city's
  // envelope, what no district and no other municipality covers is mostly water (Saltsjön, Riddarfjärden, Mälaren
  // bays); thin slivers along coarse borders are dropped by a compactness test.
  try {
    const kommuner = (read(bundled.kommuner).features as Feature<Polygon | MultiPolygon>[]).filter((f) => String(f.properties?.lan_code) === '01');
    const city = kommuner.find((f) => String(f.properties?.id ?? '') === '0180');
    if (!city) return { type: 'FeatureCollection', features: [] };
    const districts = read(bundled.stadsdelar).features as Feature<Polygon | MultiPolygon>[];
    const others = kommuner.filter((f) => f !== city);
    const covered = turf.union(turf.featureCollection([...districts.map((d) => turf.buffer(d, 0.01, { units: 'kilometers' }) as Feature<Polygon | MultiPolygon>), ...others]));
    const envelope = turf.buffer(city, 0.3, { units: 'kilometers' }) as Feature<Polygon>;
    if (!covered) return { type: 'FeatureCollection', features: [] };
    const diff = turf.difference(turf.featureCollection([envelope, covered]));
    if (!diff) return { type: 'FeatureCollection', features: [] };
    const parts = turf.flatten(diff).features.filter((p) => {
      const a = turf.area(p);
      const perim = turf.length(turf.polygonToLine(p) as Feature, { units: 'meters' });
      return a > 20_000 && (4 * Math.PI * a) / (perim * perim) > 0.02; // drop slivers
    });
    return slim(parts, () => ({ kind: 'water' }));
  } catch {
    return { type: 'FeatureCollection', features: [] };
  }
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** What the basemap draws follows the region: all of Sweden's land (context around it), the region's municipalities,
 * and Stockholm's districts, water and SL's stations only where the region has them. */
function build(layer: BasemapLayer, region: Region): FeatureCollection {
  const kommuner = { type: 'FeatureCollection', features: region.kommuner.map((k) => k.feature) } as FeatureCollection;
  const sl = region.counties.some((c) => c.code === '01');
  switch (layer) {
    case 'land': {
      // the county polygons are coarse: the region's own municipalities add the islands they miss (Lidingö, Värmdö)
      return slim([...read(bundled.lan).features, ...kommuner.features], (p) => ({ name: p.kom_namn ?? p.name ?? p.lan_namn ?? null }));
    }
    case 'municipalities': return slim(kommuner.features, (p) => ({ code: p.id ?? null, name: p.kom_namn ?? null }));
    case 'municipality-labels': return labels(kommuner, (p) => String(p.kom_namn ?? ''));
    case 'districts': return region.stockholmCity ? slim(read(bundled.stadsdelar).features, (p) => ({ name: titleCase(String(p.name ?? '')) })) : EMPTY;
    case 'district-labels': return region.stockholmCity ? labels(read(bundled.stadsdelar), (p) => titleCase(String(p.name ?? ''))) : EMPTY;
    case 'water': return region.stockholmCity && fs.existsSync(WATER_FILE) ? read(WATER_FILE) : EMPTY;
    case 'metro': return sl ? slim(read(bundled.metroStations).features, (p) => ({ name: p.name ?? null, kind: 'metro' })) : EMPTY;
    case 'stops': return sl ? slim(read(bundled.transitStops).features, (p) => ({ name: p.name ?? null, kind: 'stop' })) : EMPTY;
  }
}

/** The layer of the region's basemap as a GeoJSON string (cached per region). */
export function basemapLayer(layer: BasemapLayer, region: Region): string {
  const key = `${region.spec}:${layer}`;
  let s = cache.get(key);
  if (!s) { s = JSON.stringify(build(layer, region)); cache.set(key, s); }
  return s;
}
