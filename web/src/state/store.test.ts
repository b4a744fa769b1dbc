// The map's view lives in the URL: a shared or reloaded link must restore the same view, and a hand-edited or
// hostile link must never put anything but valid values into the state.
import { describe, expect, it } from 'vitest';
import { defaultState, effectivePeriod, fromQuery, toQuery, type State } from './store.js';

function view(patch: Partial<State>): State {
  return { ...defaultState(), ...patch };
}

describe('the view in the URL', () => {
  it('a link restores every part of a changed view', () => {
    const s = view({
      lang: 'en', view: 'map', areaSet: 'basomraden', metric: 'change', source: 'shootings', categories: ['skott-dod', 'skott-skadad'],
      preset: 'custom', from: '2024-03-01', to: '2024-09-01', compare: true, compareRule: 'custom', compareFrom: '2023-01-01', compareTo: '2023-07-01',
      survey: { indicator: 'otrygg-kvall', wave: '2024', group: 'female' },
      layers: { choropleth: false, hexbins: true, hotspots: true, incidents: false, places: false, transit: true },
      camera: { lng: 17.94321, lat: 59.40123, zoom: 13.25 }, selected: { kind: 'place', id: 42 }, frame: 3,
    });
    expect(fromQuery(`?${toQuery(s)}`)).toEqual(s);
  });

  it('the default view round-trips too, and its URL does not depend on anything else', () => {
    const d = defaultState();
    expect(fromQuery(toQuery(d))).toEqual(d);
    expect(toQuery(d)).toBe(toQuery(defaultState()));
  });

  it('an empty link is the default view', () => {
    expect(fromQuery('')).toEqual(defaultState());
  });

  it('keeps the old long names: source=, areaSet= and the report\'s area=', () => {
    const s = fromQuery('?source=guard-reports&areaSet=stadsdelsomraden&area=17&view=report');
    expect(s).toMatchObject({ source: 'guard-reports', areaSet: 'stadsdelsomraden', selected: { kind: 'area', id: 17 }, view: 'report' });
  });

  it('dates given without a preset are a custom period', () => {
    expect(fromQuery('?from=2024-01-01&to=2024-07-01')).toMatchObject({ preset: 'custom', from: '2024-01-01', to: '2024-07-01' });
    expect(fromQuery('?p=12m&from=2024-01-01&to=2024-07-01').preset).toBe('12m');
  });

  it('anything invalid keeps its default instead of reaching the map or the API', () => {
    const d = defaultState();
    const s = fromQuery('?src=bombs&m=__proto__&p=forever&set=../../etc&lang=de&from=2024-07-01&to=2024-01-01&c=500,10,3&fr=-1&sel=x1&ly=zz');
    expect(s.source).toBe(d.source);
    expect(s.metric).toBe(d.metric);
    expect(s.preset).toBe(d.preset);
    expect(s.areaSet).toBe(d.areaSet);
    expect(s.lang).toBe(d.lang);
    expect([s.from, s.to]).toEqual([d.from, d.to]); // from after to
    expect(s.camera).toEqual(d.camera); // longitude out of range
    expect(s.frame).toBeNull();
    expect(s.selected).toBeNull();
    expect(Object.values(s.layers).every((on) => !on)).toBe(true); // an explicit ly= with no known layer: all off
  });

  it('keeps the comparison rule and a custom baseline, and drops an invalid one', () => {
    expect(fromQuery('?cr=preceding-equal-length')).toMatchObject({ compareRule: 'preceding-equal-length', compareFrom: '', compareTo: '' });
    expect(fromQuery('?cr=same-period-last-year&cf=2023-01-01&ct=2023-07-01')).toMatchObject({ compareRule: 'same-period-last-year', compareFrom: '', compareTo: '' });
    expect(fromQuery('?cr=custom&cf=2023-07-01&ct=2023-01-01')).toMatchObject({ compareRule: 'custom', compareFrom: '', compareTo: '' });
    expect(fromQuery('?cr=365-days').compareRule).toBe('auto');
  });

  it('drops category codes that are not codes, keeps the rest', () => {
    expect(fromQuery('?cat=rån,<script>,misshandel,a b').categories).toEqual(['rån', 'misshandel']);
  });

  it('clamps the zoom to what the map can show', () => {
    expect(fromQuery('?c=18,59.3,99').camera.zoom).toBe(22);
    expect(fromQuery('?c=18,59.3,-4').camera.zoom).toBe(0);
  });
});

describe('the period shown', () => {
  const s = view({ from: '2024-11-15', to: '2025-02-10' });

  it('is the whole filter period when no month is chosen on the slider', () => {
    expect(effectivePeriod(s)).toEqual({ from: '2024-11-15', to: '2025-02-10' });
  });

  it('is the chosen month of the slider, clipped to the period', () => {
    expect(effectivePeriod({ ...s, frame: 0 })).toEqual({ from: '2024-11-15', to: '2024-12-01' });
    expect(effectivePeriod({ ...s, frame: 2 })).toEqual({ from: '2025-01-01', to: '2025-02-01' });
    expect(effectivePeriod({ ...s, frame: 3 })).toEqual({ from: '2025-02-01', to: '2025-02-10' });
  });

  it('falls back to the whole period when the slider points past it (a link from a longer period)', () => {
    expect(effectivePeriod({ ...s, frame: 40 })).toEqual({ from: '2024-11-15', to: '2025-02-10' });
  });

  it('keeps the table beside the map in the URL', () => {
    expect(fromQuery(`?${toQuery({ ...defaultState(), table: true })}`).table).toBe(true);
    expect(fromQuery('?set=stadsdelar').table).toBe(false);
  });
});
