import { describe, expect, it } from 'vitest';
import { outsidePointOf, swerefToWgs84 } from './sweref.js';

describe('SWEREF 99 TM to WGS84 for the preview map', () => {
  it('inverts the server\'s projection (18.0546 E, 59.3275 N → 673784.97, 6580506.08 in EPSG:3006)', () => {
    const [lon, lat] = swerefToWgs84(673784.9667, 6580506.0803);
    expect(lat).toBeCloseTo(59.3275, 6);
    expect(lon).toBeCloseTo(18.0546, 6);
  });
  it('reads the point a rejected row names as outside the extent, decimal commas too', () => {
    const p = outsidePointOf('x,y point (500000,0, 6400000,5) in EPSG:3006 lies outside the extent of area set kommuner-ab (wrong --crs?)');
    expect(p![0]).toBeCloseTo(15, 5);
    expect(outsidePointOf('lat,lon point (57.7, 11.97) lies outside Sweden')).toEqual([11.97, 57.7]);
    expect(outsidePointOf('occurred_from "2025-02-30" is not a date')).toBeNull();
  });
});
