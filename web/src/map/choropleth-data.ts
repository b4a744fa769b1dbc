// The choropleth's numbers for one state and period: the area set's polygons joined with /api/stats (count, rate,
// change), /api/survey or /api/divergence, classified once. The map, legend, tooltip and CSV export all read this.
import type { FeatureCollection, Geometry } from 'geojson';
import { api, qs } from '../api/client.js';
import { capabilities } from '../api/capabilities.js';
import type { State } from '../state/store.js';
import { compareParams } from '../state/period.js';
import { type Classes, naturalBreaks, ratioClasses, zClasses, classOf, DIVERGING } from './classify.js';

export type StatsRow = {
  areaId: number; code: string; name: string; count: number | null; population: number | null; ratePer1000: number | null;
  previousCount: number | null; rateRatio: number | null; rateRatioCiLow: number | null; rateRatioCiHigh: number | null;
  changeSignificant: boolean; unplacedAtThisLevel: number | null; suppressed: boolean;
};
export type StatsResponse = { meta: { period?: { from: string; to: string }; previousPeriod?: { from: string; to: string }; k?: number; roundingBase?: number | null; populationYear?: number | null; [k: string]: unknown }; total: StatsRow; rows: StatsRow[] };

export type AreaValue = {
  areaId: number; code: string; name: string; value: number | null; suppressed: boolean; significant: -1 | 0 | 1;
  ciLow?: number | null; ciHigh?: number | null; respondents?: number | null; category?: string; row?: Record<string, unknown>;
  /** survey: how the figure was obtained, when it is not the area's own (pooled, or the containing survey area's — then not painted) */
  note?: { sv: string; en: string };
};

export type ChoroData = {
  metric: State['metric'];
  geometry: FeatureCollection;
  values: Map<number, AreaValue>;
  classes: Classes | null;
  /** categorical classes (divergence) */
  categories?: { key: string; color: string }[];
  k: number;
  total?: StatsRow;
  meta?: StatsResponse['meta'];
  /** survey: what the figures are (a share in %, or a mean on a scale), of which wave and group, and the n rule */
  survey?: SurveyInfo;
  empty: boolean;
};

export type SurveyInfo = { kind: 'share' | 'mean'; scale: [number, number] | null; indicator: { sv: string; en: string }; wave: string; group: string; minRespondents: number };

type SurveyMeta = { indicator?: { code?: string; textSv?: string; textEn?: string; kind?: string }; wave?: { name?: string; id?: string }; group?: string; minRespondents?: number };

/** A survey indicator's scale from its text ("1 = mycket otrygg … 5 = mycket trygg"), or 1–5 when it does not say. */
function scaleOf(text: string): [number, number] {
  const n = [...text.matchAll(/(\d+)\s*=/g)].map((m) => Number(m[1]));
  return n.length >= 2 ? [Math.min(...n), Math.max(...n)] : [1, 5];
}

export function surveyInfo(meta: SurveyMeta | undefined): SurveyInfo {
  const kind = meta?.indicator?.kind === 'mean' ? 'mean' : 'share';
  const sv = meta?.indicator?.textSv ?? meta?.indicator?.code ?? '', en = meta?.indicator?.textEn ?? sv;
  return { kind, scale: kind === 'mean' ? scaleOf(sv) : null, indicator: { sv, en }, wave: meta?.wave?.name ?? meta?.wave?.id ?? '', group: meta?.group ?? 'all', minRespondents: meta?.minRespondents ?? 30 };
}

const geomCache = new Map<string, Promise<FeatureCollection>>();
export function areaGeometry(areaSet: string): Promise<FeatureCollection> {
  let p = geomCache.get(areaSet);
  if (!p) {
    p = api<FeatureCollection>(`/api/area-sets/${encodeURIComponent(areaSet)}/areas?f=geojson`);
    p.catch(() => geomCache.delete(areaSet));
    geomCache.set(areaSet, p);
  }
  return p;
}

export const DIVERGENCE_CLASSES = [
  { key: 'crime-above-fear', color: DIVERGING[0] },
  { key: 'aligned', color: '#d9d9d9' },
  { key: 'fear-above-crime', color: DIVERGING[4] },
];

type SurveyRow = { areaId: number; code?: string; name?: string; value: number | null; ciLow: number | null; ciHigh: number | null; respondents: number | null; differenceSignificant?: boolean; previousWaveValue?: number | null; suppressed: boolean;
  basis?: { kind: string; text?: { sv: string; en: string } } };
type DivergenceRow = { areaId: number; code?: string; name?: string; class?: string; classification?: string; fearZ?: number | null; crimeZ?: number | null; [k: string]: unknown };

function rowsOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const b = body as { rows?: T[]; items?: T[]; data?: T[] };
  return b.rows ?? b.items ?? b.data ?? [];
}

export async function loadChoroData(s: State, period: { from: string; to: string }, signal?: AbortSignal): Promise<ChoroData> {
  const caps = capabilities();
  const geometry = await areaGeometry(s.areaSet);
  const values = new Map<number, AreaValue>();
  const base = { metric: s.metric, geometry, values, classes: null as Classes | null, k: 5, empty: true };
  if (s.metric === 'survey') {
    if (!caps.survey) return base;
    const body = await api<unknown>(`/api/survey${qs({ areaSet: s.areaSet, wave: s.survey.wave, indicator: s.survey.indicator, group: s.survey.group === 'all' ? undefined : s.survey.group })}`, { signal });
    const survey = surveyInfo((body as { meta?: SurveyMeta }).meta);
    // a share comes as a fraction and is shown in %; a mean stays on its own scale (trygghetsindex 1–5)
    const factor = survey.kind === 'share' ? 100 : 1;
    for (const r of rowsOf<SurveyRow>(body)) {
      // an area inside a survey area is not painted with that area's figure as if it were its own: the tooltip names it
      const borrowed = r.basis?.kind === 'containing';
      const scale = (x: number | null | undefined) => (x === null || x === undefined || borrowed ? null : x * factor);
      const note = r.basis && r.basis.kind !== 'own' ? r.basis.text : undefined;
      values.set(r.areaId, { areaId: r.areaId, code: r.code ?? '', name: r.name ?? '', value: scale(r.value), suppressed: r.suppressed && !borrowed, significant: r.differenceSignificant && !borrowed ? (r.previousWaveValue !== null && r.value !== null && r.value! > r.previousWaveValue! ? 1 : -1) : 0, ciLow: scale(r.ciLow), ciHigh: scale(r.ciHigh), respondents: borrowed ? null : r.respondents, row: r as unknown as Record<string, unknown>, ...(note ? { note } : {}) });
    }
    const classes = naturalBreaks([...values.values()].filter((v) => !v.suppressed && v.value !== null).map((v) => v.value!));
    return { ...base, classes, k: survey.minRespondents, survey, empty: ![...values.values()].some((v) => v.value !== null || v.suppressed) };
  }
  if (s.metric === 'divergence') {
    if (!caps.divergence) return base;
    const body = await api<unknown>(`/api/divergence${qs({ areaSet: s.areaSet, wave: s.survey.wave, indicator: s.survey.indicator, from: period.from, to: period.to, source: s.source })}`, { signal });
    for (const r of rowsOf<DivergenceRow>(body)) {
      const cat = String(r.class ?? r.classification ?? '');
      values.set(r.areaId, { areaId: r.areaId, code: r.code ?? '', name: r.name ?? '', value: typeof r.fearZ === 'number' && typeof r.crimeZ === 'number' ? r.fearZ - r.crimeZ : null, suppressed: !cat, significant: 0, category: cat, row: r });
    }
    return { ...base, categories: DIVERGENCE_CLASSES, empty: values.size === 0 };
  }
  if (!caps.stats) return base;
  // the comparison chosen in the map (default: the API's rule) decides the change and its significance
  const body = await api<StatsResponse>(`/api/stats${qs({ areaSet: s.areaSet, source: s.source, category: s.categories, from: period.from, to: period.to, ...compareParams(s) })}`, { signal });
  const k = body.meta?.k ?? 5;
  for (const r of body.rows) {
    const value = s.metric === 'count' ? r.count : s.metric === 'change' ? r.rateRatio : r.ratePer1000;
    const sig: -1 | 0 | 1 = r.changeSignificant ? ((r.rateRatio ?? 1) >= 1 ? 1 : -1) : 0;
    values.set(r.areaId, { areaId: r.areaId, code: r.code, name: r.name, value, suppressed: r.suppressed, significant: sig, ciLow: r.rateRatioCiLow, ciHigh: r.rateRatioCiHigh, row: r as unknown as Record<string, unknown> });
  }
  const shown = [...values.values()].filter((v) => !v.suppressed && v.value !== null).map((v) => v.value!);
  const empty = !body.rows.some((r) => (r.count ?? 0) > 0 || r.suppressed);
  // no data in the period: no classes, so nothing is filled and the legend says "Inga data" instead of "≥ 0"
  const classes = empty ? null : s.metric === 'change' ? ratioClasses() : naturalBreaks(shown);
  if (classes && s.metric === 'change' && shown.length) { classes.min = Math.min(...shown); classes.max = Math.max(...shown); }
  const total = body.total;
  return { ...base, classes, k, total, meta: body.meta, empty };
}

/** Polygons with the class and value of each area as properties (cls −1 = no data, −2 = suppressed). */
export function joinFeatures(d: ChoroData, lang: 'sv' | 'en'): FeatureCollection<Geometry> {
  const features = d.geometry.features.map((f) => {
    const id = Number(f.id ?? (f.properties as { id?: number })?.id);
    const v = d.values.get(id);
    let cls = -1;
    if (v?.suppressed) cls = -2;
    else if (d.categories && v?.category) cls = Math.max(-1, d.categories.findIndex((c) => c.key === v.category));
    else if (v && v.value !== null && d.classes) cls = classOf(d.classes, v.value);
    const p = f.properties as { name?: string; code?: string };
    return { ...f, id, properties: { id, name: p?.name ?? v?.name ?? '', code: p?.code ?? '', cls, v: v?.value ?? null, sig: v?.significant ?? 0, k: `< ${d.k}`, lang } };
  });
  return { type: 'FeatureCollection', features };
}
