import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { resolveRegion } from '../domain/region/resolve-region.js';
import './crs.js';
import { boxIn3006, inExtent } from './extent.js';

const at = (lon: number, lat: number) => proj4('EPSG:4326', 'EPSG:3006', [lon, lat]) as [number, number];
const within = (spec: string, lon: number, lat: number) => inExtent({ ...boxIn3006(resolveRegion(spec).bbox), label: '' }, ...at(lon, lat));

describe('the region box in EPSG:3006', () => {
  it('holds the ends of the country for sverige, also the middle of its southern edge (Smygehuk)', () => {
    expect(within('sverige', 13.359, 55.3375)).toBe(true); // Smygehuk, the southernmost point
    expect(within('sverige', 24.15, 65.83)).toBe(true); // Haparanda
    expect(within('sverige', 20.55, 69.06)).toBe(true); // Treriksröset
    expect(within('sverige', 11.1, 58.9)).toBe(true); // Strömstad
  });
  it('Göteborg holds its centre and not Stockholm', () => {
    expect(within('kommun:1480', 11.9668, 57.7072)).toBe(true);
    expect(within('kommun:1480', 18.0604, 59.3314)).toBe(false);
  });
});
