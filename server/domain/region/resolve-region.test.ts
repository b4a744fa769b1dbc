import { describe, expect, it } from 'vitest';
import { resolveRegion } from './resolve-region.js';

describe('resolveRegion', () => {
  it('the default is Stockholms län: its 26 municipalities, the ids it always had and Stockholm city', () => {
    const r = resolveRegion();
    expect(r).toMatchObject({ spec: 'lan:01', label: 'Stockholms län', countySetId: 'lan-stockholm', kommunSetId: 'kommuner-ab', stockholmCity: true, defaultAreaSet: 'stadsdelar' });
    expect(r.kommuner).toHaveLength(26);
    expect(r.kommuner.every((k) => k.lanCode === '01')).toBe(true);
  });
  it('kommun:1480 is Göteborg alone, in Västra Götalands län, boxed around the city', () => {
    const r = resolveRegion('kommun:1480');
    expect(r).toMatchObject({ spec: 'kommun:1480', label: 'Göteborg', kommunSetId: 'kommuner-1480', countySetId: 'lan-o', stockholmCity: false, defaultAreaSet: 'kommuner-1480' });
    expect(r.kommuner.map((k) => k.name)).toEqual(['Göteborg']);
    expect(r.counties.map((c) => c.name)).toEqual(['Västra Götalands län']);
    const [w, s, e, n] = r.bbox;
    expect(w).toBeGreaterThan(11.4); expect(e).toBeLessThan(12.4); expect(s).toBeGreaterThan(57.4); expect(n).toBeLessThan(58.0);
  });
  it('several parts join; the whole country has all 290 municipalities and 21 counties', () => {
    const two = resolveRegion('kommun:1480,kommun:1481');
    expect(two.label).toBe('Göteborg och Mölndal');
    expect(two.kommunSetId).toBe('kommuner-1480-1481');
    const se = resolveRegion('sverige');
    expect([se.kommuner.length, se.counties.length, se.kommunSetId, se.label]).toEqual([290, 21, 'kommuner-sverige', 'Sverige']);
  });
  it('an unknown code is refused with the way out', () => {
    expect(() => resolveRegion('kommun:9999')).toThrow(/kommunkod 9999.*1480 Göteborg/);
    expect(() => resolveRegion('lan:02')).toThrow(/länskod 02/);
  });
});
