// The map starts in the deployment's region (REGION, issue 22): a Göteborg deployment opens on Göteborg with its own
// area set, a Stockholm link there falls back to what exists, and the default region keeps the view it always had.
import { describe, expect, it } from 'vitest';
import { FALLBACK_REGION, firstView, hasStockholmDistricts, overviewAreaSet, regionMaxBounds, searchableSets, startAreaSet, type RegionInfo } from './region-start.js';
import { DEFAULT_CAMERA } from './store.js';

const goteborg: RegionInfo = {
  spec: 'kommun:1480', label: 'Göteborg', bbox: [11.59, 57.5, 12.24, 57.87], countySetId: 'lan-o', kommunSetId: 'kommuner-1480',
  defaultAreaSet: 'kommuner-1480', municipalities: [{ code: '1480', name: 'Göteborg' }],
};
const gbgSets = ['lan-o', 'kommuner-1480'];
const sthlmSets = ['lan-stockholm', 'kommuner-ab', 'stadsdelar', 'basomraden', 'stadsdelsomraden-2023'];
const inside = (b: [[number, number], [number, number]], [w, s, e, n]: number[]) => b[0][0] < w && b[0][1] < s && b[1][0] > e && b[1][1] > n;

describe('the first view', () => {
  it('a link without a camera starts on the region box; Stockholm city keeps its view; a link with one keeps it', () => {
    expect(firstView('', goteborg)).toEqual({ bounds: [[11.59, 57.5], [12.24, 57.87]] });
    expect(firstView('?set=kommuner-1480&c=bad', goteborg)).toEqual({ bounds: [[11.59, 57.5], [12.24, 57.87]] });
    expect(firstView('', FALLBACK_REGION)).toEqual({ camera: DEFAULT_CAMERA });
    expect(firstView('?c=11.97,57.7,12', goteborg)).toEqual({ camera: { lng: 11.97, lat: 57.7, zoom: 12 } });
  });

  it('the map may be moved over the region with a margin; for Stockholms län about the bounds it always had', () => {
    const gbg = regionMaxBounds(goteborg.bbox);
    expect(inside(gbg, goteborg.bbox)).toBe(true);
    expect(inside(gbg, [18.0, 59.3, 18.1, 59.4])).toBe(false); // Stockholm is far outside Göteborg's map
    const sthlm = regionMaxBounds(FALLBACK_REGION.bbox);
    const before = [[14.5, 57.8], [21.5, 60.9]];
    sthlm.flat().forEach((v, i) => expect(Math.abs(v - before.flat()[i])).toBeLessThan(0.8));
    const sweden = regionMaxBounds([10.95, 55.33, 24.18, 69.06]);
    expect(inside(sweden, [10.95, 55.33, 24.18, 69.06])).toBe(true);
    expect(sweden[1][1]).toBeLessThanOrEqual(85);
  });
});

describe('the area set', () => {
  it('a link without one gets the region default; one the deployment lacks falls back; an existing one is kept', () => {
    expect(startAreaSet('', gbgSets, goteborg)).toBe('kommuner-1480');
    expect(startAreaSet('?set=stadsdelar', gbgSets, goteborg)).toBe('kommuner-1480');
    expect(startAreaSet('?areaSet=lan-o', gbgSets, goteborg)).toBe('lan-o');
    expect(startAreaSet('?set=basomraden', sthlmSets, FALLBACK_REGION)).toBe('basomraden');
    expect(startAreaSet('', sthlmSets, FALLBACK_REGION)).toBe('stadsdelar');
    // the list could not be read: the link is trusted (the server then says what is wrong)
    expect(startAreaSet('?set=imported-2026', null, goteborg)).toBe('imported-2026');
  });

  it('search offers only sets that exist, with the region municipalities; the overview lists districts where they exist', () => {
    const wanted: [string, string][] = [['stadsdelar', 'Stadsdel'], ['basomraden', 'Basområde']];
    expect(searchableSets(wanted, gbgSets, goteborg)).toEqual([['kommuner-1480', 'Kommun']]);
    expect(searchableSets(wanted, sthlmSets, FALLBACK_REGION)).toEqual([...wanted, ['kommuner-ab', 'Kommun']]);
    expect(overviewAreaSet(gbgSets, goteborg)).toBe('kommuner-1480');
    expect(overviewAreaSet(sthlmSets, FALLBACK_REGION)).toBe('stadsdelar');
  });

  it('the texts speak of districts where Stockholm\'s are, also when the list could not be read; elsewhere of areas', () => {
    expect(hasStockholmDistricts(sthlmSets)).toBe(true);
    expect(hasStockholmDistricts(null)).toBe(true);
    expect(hasStockholmDistricts(gbgSets)).toBe(false);
  });
});
