// The choropleth's numbers: which figure of /api/stats an area is painted by, that hidden (suppressed) areas are
// told apart from areas without data and never shape the classes, and what "no data" means for the map's message.
// The API is a stubbed fetch; the geometry and the rows are small and hand-made.
import type { FeatureCollection } from 'geojson';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCapabilities } from '../api/capabilities.js';
import { defaultState, type State } from '../state/store.js';
import { joinFeatures, loadChoroData, type ChoroData, type StatsRow } from './choropleth-data.js';

const square = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 59], [x + 0.01, 59], [x + 0.01, 59.01], [x, 59]]] });
const GEOMETRY: FeatureCollection = {
  type: 'FeatureCollection',
  features: [1, 2, 3, 4, 5].map((id) => ({ type: 'Feature', id, geometry: square(18 + id / 10), properties: { name: `Område ${id}`, code: `A${id}` } })),
};

function row(areaId: number, f: Partial<StatsRow>): StatsRow {
  return {
    areaId, code: `A${areaId}`, name: `Område ${areaId}`, count: null, population: 1000, ratePer1000: null, previousCount: null,
    rateRatio: null, rateRatioCiLow: null, rateRatioCiHigh: null, changeSignificant: false, unplacedAtThisLevel: 0, suppressed: false, ...f,
  };
}

let statsRows: StatsRow[] = [];
let requested: string[] = [];

function respond(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

beforeEach(async () => {
  requested = [];
  vi.stubGlobal('fetch', async (url: string) => {
    requested.push(url);
    if (url === '/docs/json') return respond({ paths: { '/api/stats': {}, '/api/divergence': {}, '/api/survey': {} } });
    if (url.startsWith('/api/survey')) {
      const text = (sv: string) => ({ sv, en: sv });
      return respond({ rows: [
        { areaId: 1, value: 0.3, ciLow: 0.25, ciHigh: 0.35, respondents: 400, suppressed: false, basis: { kind: 'pooled', text: text('medelvärde av 3 stadsdelar') } },
        { areaId: 2, value: 0.5, ciLow: 0.4, ciHigh: 0.6, respondents: 120, suppressed: false, basis: { kind: 'containing', text: text('Trygghetsmätningen redovisas för Husby, som omfattar Område 2.') } },
        { areaId: 3, value: 0.2, ciLow: 0.1, ciHigh: 0.3, respondents: 90, suppressed: false, basis: { kind: 'own', text: text('egen') } },
      ] });
    }
    if (url.startsWith('/api/area-sets/')) return respond(GEOMETRY);
    if (url.startsWith('/api/stats')) return respond({ meta: { k: 5, period: { from: '2024-01-01', to: '2025-01-01' } }, total: row(0, { count: 0 }), rows: statsRows });
    if (url.startsWith('/api/divergence')) {
      return respond({ rows: [{ areaId: 1, class: 'fear-above-crime', fearZ: 1.5, crimeZ: -0.5 }, { areaId: 2, class: 'aligned', fearZ: 0.1, crimeZ: 0 }, { areaId: 3, fearZ: null, crimeZ: null }] });
    }
    return new Response('not found', { status: 404 });
  });
  await loadCapabilities();
});
afterEach(() => { vi.unstubAllGlobals(); });

const PERIOD = { from: '2024-01-01', to: '2025-01-01' };
const state = (patch: Partial<State>): State => ({ ...defaultState(), from: PERIOD.from, to: PERIOD.to, ...patch });

describe('loading the choropleth from /api/stats', () => {
  beforeEach(() => {
    statsRows = [
      row(1, { count: 10, ratePer1000: 10, rateRatio: 2, changeSignificant: true }),
      row(2, { count: 12, ratePer1000: 6, rateRatio: 0.5, changeSignificant: true }),
      row(3, { count: 30, ratePer1000: 30, rateRatio: 1.02 }),
      row(4, { count: null, ratePer1000: null, rateRatio: null, suppressed: true }),
    ];
  });

  it('asks for the state\'s set, source, categories and period', async () => {
    await loadChoroData(state({ areaSet: 'stadsdelar', source: 'shootings', categories: ['skott-dod'] }), PERIOD);
    const stats = requested.find((u) => u.startsWith('/api/stats'))!;
    const q = new URLSearchParams(stats.split('?')[1]);
    expect(Object.fromEntries(q)).toEqual({ areaSet: 'stadsdelar', source: 'shootings', category: 'skott-dod', from: PERIOD.from, to: PERIOD.to });
  });

  it('paints by the rate, the count or the rate ratio, as the metric says', async () => {
    const byMetric = async (metric: State['metric']) => {
      const d = await loadChoroData(state({ metric }), PERIOD);
      return [1, 2, 3].map((id) => d.values.get(id)!.value);
    };
    expect(await byMetric('rate')).toEqual([10, 6, 30]);
    expect(await byMetric('count')).toEqual([10, 12, 30]);
    expect(await byMetric('change')).toEqual([2, 0.5, 1.02]);
  });

  it('marks a significant rise +1 and a significant fall −1, anything else 0', async () => {
    const d = await loadChoroData(state({ metric: 'change' }), PERIOD);
    expect([1, 2, 3].map((id) => d.values.get(id)!.significant)).toEqual([1, -1, 0]);
  });

  it('builds the classes from the shown areas only: a hidden area is neither a class nor the minimum', async () => {
    const d = await loadChoroData(state({ metric: 'rate' }), PERIOD);
    expect(d.values.get(4)!.suppressed).toBe(true);
    expect([d.classes!.min, d.classes!.max]).toEqual([6, 30]);
    expect(d.classes!.colors).toHaveLength(3);
    expect(d.k).toBe(5);
  });

  it('centres the change classes on 1 and gives the legend the shown range', async () => {
    const d = await loadChoroData(state({ metric: 'change' }), PERIOD);
    expect(d.classes!.breaks).toEqual([0.8, 0.95, 1.05, 1.25]);
    expect([d.classes!.min, d.classes!.max]).toEqual([0.5, 2]);
  });

  it('is "no data" only when no area has an incident and none is hidden', async () => {
    expect((await loadChoroData(state({}), PERIOD)).empty).toBe(false);
    statsRows = [row(1, { count: 0, ratePer1000: 0 }), row(2, { count: 0, ratePer1000: 0 })];
    expect((await loadChoroData(state({}), PERIOD)).empty).toBe(true);
    // a hidden count is a count between 1 and k − 1, not nothing
    statsRows = [row(1, { count: 0, ratePer1000: 0 }), row(2, { count: null, suppressed: true })];
    expect((await loadChoroData(state({}), PERIOD)).empty).toBe(false);
  });
});

describe('loading the divergence map', () => {
  it('gives each area its class, and an area without a class is shown as hidden', async () => {
    const d = await loadChoroData(state({ metric: 'divergence', survey: { indicator: 'otrygg-kvall', wave: '2024', group: 'all' } }), PERIOD);
    expect(d.values.get(1)).toMatchObject({ category: 'fear-above-crime', value: 2, suppressed: false });
    expect(d.values.get(2)).toMatchObject({ category: 'aligned', suppressed: false });
    expect(d.values.get(3)).toMatchObject({ suppressed: true, value: null });
    expect(d.categories!.map((c) => c.key)).toEqual(['crime-above-fear', 'aligned', 'fear-above-crime']);
  });
});

describe('joining the numbers to the polygons', () => {
  function data(patch: Partial<ChoroData>): ChoroData {
    return { metric: 'rate', geometry: GEOMETRY, values: new Map(), classes: { breaks: [10, 20], colors: ['a', 'b', 'c'], min: 0, max: 30 }, k: 5, empty: false, ...patch };
  }

  it('gives each polygon its class, −1 without data and −2 when hidden, and the "< k" text for the tooltip', () => {
    const values = new Map([
      [1, { areaId: 1, code: 'A1', name: 'Område 1', value: 5, suppressed: false, significant: 0 as const }],
      [2, { areaId: 2, code: 'A2', name: 'Område 2', value: 15, suppressed: false, significant: 1 as const }],
      [3, { areaId: 3, code: 'A3', name: 'Område 3', value: 25, suppressed: false, significant: -1 as const }],
      [4, { areaId: 4, code: 'A4', name: 'Område 4', value: null, suppressed: true, significant: 0 as const }],
    ]);
    const fc = joinFeatures(data({ values }), 'sv');
    const props = fc.features.map((f) => f.properties!);
    expect(props.map((p) => p.cls)).toEqual([0, 1, 2, -2, -1]);
    expect(props.map((p) => p.sig)).toEqual([0, 1, -1, 0, 0]);
    expect(props[4].v).toBeNull();
    expect(props[0]).toMatchObject({ id: 1, name: 'Område 1', code: 'A1', k: '< 5', lang: 'sv' });
    expect(fc.features.map((f) => f.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('paints the divergence classes by their key, an unknown class as no data', () => {
    const values = new Map([
      [1, { areaId: 1, code: 'A1', name: '', value: 1, suppressed: false, significant: 0 as const, category: 'fear-above-crime' }],
      [2, { areaId: 2, code: 'A2', name: '', value: 0, suppressed: false, significant: 0 as const, category: 'something-new' }],
    ]);
    const cats = [{ key: 'crime-above-fear', color: 'x' }, { key: 'aligned', color: 'y' }, { key: 'fear-above-crime', color: 'z' }];
    const props = joinFeatures(data({ values, classes: null, categories: cats }), 'en').features.map((f) => f.properties!);
    expect(props.slice(0, 2).map((p) => p.cls)).toEqual([2, -1]);
  });

  it('reads the area id from the feature id or, failing that, from its properties', () => {
    const geometry: FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: square(18), properties: { id: 7, name: 'Sju' } }] };
    const values = new Map([[7, { areaId: 7, code: 'S', name: 'Sju', value: 25, suppressed: false, significant: 0 as const }]]);
    const f = joinFeatures(data({ geometry, values }), 'sv').features[0];
    expect(f.id).toBe(7);
    expect(f.properties!.cls).toBe(2);
  });
});

describe('the survey choropleth at any level', () => {
  it('paints own and pooled figures, never a survey area\'s figure on an area inside it — the tooltip names that area instead', async () => {
    const d = await loadChoroData(state({ metric: 'survey', survey: { indicator: 'otrygg-kvall', wave: '2024', group: 'all' } }), PERIOD);
    expect(d.values.get(1)).toMatchObject({ value: 30, respondents: 400, note: { sv: 'medelvärde av 3 stadsdelar' } });
    expect(d.values.get(2)).toMatchObject({ value: null, ciLow: null, respondents: null, suppressed: false, note: { sv: 'Trygghetsmätningen redovisas för Husby, som omfattar Område 2.' } });
    expect(d.values.get(3)!.value).toBe(20);
    expect(d.values.get(3)!.note).toBeUndefined();
    // the borrowed figure shapes no class either
    expect(d.classes!.min).toBe(20);
    expect(d.classes!.max).toBe(30);
  });
});
