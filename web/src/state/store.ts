// The one state object of the app. Everything (map, legend, panels, charts, lists, exports) reads it; every change
// goes through update(), which notifies subscribers and mirrors the state in the URL so a reload restores the view.
import { categoryCodesOf } from '../../../shared/categories.js';
import { isSource, type Source } from '../../../shared/sources.js';
import { COMPARE_CHOICES, isIsoDate, monthSteps, type CompareChoice, type Preset, PRESETS } from './period.js';

export const METRICS = ['rate', 'count', 'change', 'survey', 'divergence'] as const;
export type Metric = (typeof METRICS)[number];
export const LAYERS = ['choropleth', 'hexbins', 'hotspots', 'incidents', 'places', 'transit'] as const;
export type LayerId = (typeof LAYERS)[number];
export type Lang = 'sv' | 'en';
export type Selection = { kind: 'area' | 'place'; id: number } | null;
export type Camera = { lng: number; lat: number; zoom: number };

export type State = {
  lang: Lang;
  view: 'map' | 'report';
  areaSet: string;
  metric: Metric;
  source: Source;
  categories: string[];
  preset: Preset;
  from: string;
  to: string;
  compare: boolean;
  /** what the period is compared with (change, the area panel's ▲/▼ and the compare map): the API's rule, a rule by name, or custom */
  compareRule: CompareChoice;
  /** the custom baseline (from inclusive, to exclusive) when compareRule is 'custom' */
  compareFrom: string;
  compareTo: string;
  survey: { indicator: string; wave: string; group: string };
  layers: Record<LayerId, boolean>;
  camera: Camera;
  selected: Selection;
  /** time-slider step (index of the month within [from, to)); null = the whole period */
  frame: number | null;
  /** the table beside the map (the map's text alternative) is shown */
  table: boolean;
};

export const DEFAULT_CAMERA: Camera = { lng: 18.03, lat: 59.33, zoom: 10.2 };

export function defaultState(): State {
  return {
    lang: 'sv', view: 'map', areaSet: 'stadsdelar', metric: 'rate', source: 'crimes', categories: [], preset: '12m',
    from: '', to: '', compare: false, compareRule: 'auto', compareFrom: '', compareTo: '', survey: { indicator: '', wave: '', group: 'all' },
    layers: { choropleth: true, hexbins: false, hotspots: false, incidents: false, places: true, transit: true },
    camera: { ...DEFAULT_CAMERA }, selected: null, frame: null, table: false,
  };
}

const LAYER_CODES: Record<LayerId, string> = { choropleth: 'ch', hexbins: 'hx', hotspots: 'hs', incidents: 'in', places: 'pl', transit: 'tr' };

/** State → URL query (only what differs from the defaults, in a fixed order so URLs are stable). */
export function toQuery(s: State): string {
  const d = defaultState();
  const q = new URLSearchParams();
  if (s.view !== 'map') q.set('view', s.view);
  if (s.lang !== d.lang) q.set('lang', s.lang);
  q.set('set', s.areaSet);
  q.set('m', s.metric);
  q.set('src', s.source);
  if (s.categories.length) q.set('cat', s.categories.join(','));
  q.set('p', s.preset);
  if (s.from) q.set('from', s.from);
  if (s.to) q.set('to', s.to);
  if (s.compare) q.set('cmp', '1');
  if (s.compareRule !== 'auto') q.set('cr', s.compareRule);
  if (s.compareRule === 'custom' && s.compareFrom) q.set('cf', s.compareFrom);
  if (s.compareRule === 'custom' && s.compareTo) q.set('ct', s.compareTo);
  if (s.survey.indicator) q.set('si', s.survey.indicator);
  if (s.survey.wave) q.set('sw', s.survey.wave);
  if (s.survey.group !== 'all') q.set('sg', s.survey.group);
  q.set('ly', LAYERS.filter((l) => s.layers[l]).map((l) => LAYER_CODES[l]).join(','));
  q.set('c', `${s.camera.lng.toFixed(5)},${s.camera.lat.toFixed(5)},${s.camera.zoom.toFixed(2)}`);
  if (s.frame !== null) q.set('fr', String(s.frame));
  if (s.selected) q.set('sel', `${s.selected.kind === 'area' ? 'a' : 'p'}${s.selected.id}`);
  if (s.table) q.set('tbl', '1');
  return q.toString();
}

/** URL query → state; anything missing or invalid keeps its default. `area` is the report view's alias of sel. */
export function fromQuery(search: string): State {
  const s = defaultState();
  const q = new URLSearchParams(search);
  if (q.get('view') === 'report') s.view = 'report';
  if (q.get('lang') === 'en' || q.get('lang') === 'sv') s.lang = q.get('lang') as Lang;
  const set = q.get('set') ?? q.get('areaSet');
  if (set && /^[a-z0-9][a-z0-9_-]{0,62}$/.test(set)) s.areaSet = set;
  const m = q.get('m');
  if (m && (METRICS as readonly string[]).includes(m)) s.metric = m as Metric;
  const src = q.get('src') ?? q.get('source');
  if (src && isSource(src)) s.source = src;
  const cat = q.get('cat');
  if (cat) s.categories = categoryCodesOf(cat);
  const p = q.get('p');
  if (p && (PRESETS as readonly string[]).includes(p)) s.preset = p as Preset;
  const from = q.get('from'), to = q.get('to');
  if (isIsoDate(from) && isIsoDate(to) && from < to) { s.from = from; s.to = to; if (!p) s.preset = 'custom'; }
  s.compare = q.get('cmp') === '1';
  const cr = q.get('cr');
  if (cr && (COMPARE_CHOICES as readonly string[]).includes(cr)) s.compareRule = cr as CompareChoice;
  const cf = q.get('cf'), ct = q.get('ct');
  if (s.compareRule === 'custom' && isIsoDate(cf) && isIsoDate(ct) && cf < ct) { s.compareFrom = cf; s.compareTo = ct; }
  s.survey.indicator = q.get('si') ?? '';
  s.survey.wave = q.get('sw') ?? '';
  s.survey.group = q.get('sg') ?? 'all';
  const ly = q.get('ly');
  if (ly !== null) {
    const codes = new Set(ly.split(','));
    for (const l of LAYERS) s.layers[l] = codes.has(LAYER_CODES[l]);
  }
  s.camera = parseCamera(q.get('c')) ?? s.camera;
  const fr = q.get('fr');
  if (fr && /^\d{1,3}$/.test(fr)) s.frame = Number(fr);
  const sel = q.get('sel');
  const area = q.get('area') ?? q.get('areaId');
  if (sel && /^[ap]\d+$/.test(sel)) s.selected = { kind: sel[0] === 'a' ? 'area' : 'place', id: Number(sel.slice(1)) };
  else if (area && /^\d+$/.test(area)) s.selected = { kind: 'area', id: Number(area) };
  s.table = q.get('tbl') === '1';
  return s;
}

/** A link's camera `c=lng,lat,zoom`, or null when it has none or an invalid one. */
export function parseCamera(v: string | null): Camera | null {
  const c = v?.split(',').map(Number);
  if (c && c.length === 3 && c.every(Number.isFinite) && Math.abs(c[0]) <= 180 && Math.abs(c[1]) <= 85) return { lng: c[0], lat: c[1], zoom: Math.max(0, Math.min(22, c[2])) };
  return null;
}

type Listener = (s: State, prev: State) => void;

export class Store {
  private listeners: Listener[] = [];
  constructor(public state: State) {}

  subscribe(fn: Listener): () => void {
    this.listeners.push(fn);
    return () => { this.listeners = this.listeners.filter((l) => l !== fn); };
  }

  update(patch: Partial<State> | ((s: State) => Partial<State>)): void {
    const prev = this.state;
    const p = typeof patch === 'function' ? patch(prev) : patch;
    this.state = { ...prev, ...p };
    this.writeUrl();
    for (const l of this.listeners) l(this.state, prev);
  }

  /** Camera moves replace the URL without notifying (the map is already there). */
  setCamera(camera: Camera): void {
    this.state = { ...this.state, camera };
    this.writeUrl();
  }

  private writeUrl(): void {
    const url = `${location.pathname}?${toQuery(this.state)}`;
    if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
  }
}

/** The period everything shows: the slider's month when one is chosen, else the whole filter period. */
export function effectivePeriod(s: State): { from: string; to: string } {
  if (s.frame !== null) {
    const steps = monthSteps(s.from, s.to);
    if (steps[s.frame]) return steps[s.frame];
  }
  return { from: s.from, to: s.to };
}
