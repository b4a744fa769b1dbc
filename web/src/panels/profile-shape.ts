// Reads the area profile (/api/areas/:id/profile) into what the panel draws. Tolerant of the exact nesting
// (sources as an array or keyed by source) so the panel keeps working while the statistics API evolves.
export type Figures = { count: number | null; ratePer1000: number | null; rateRatio: number | null; rateRatioCiLow: number | null; rateRatioCiHigh: number | null; changeSignificant: boolean; suppressed: boolean; previousCount?: number | null };
export type SourceBlock = { source: string; area: Figures; city: Figures | null; monthly: { month: string; count: number | null }[]; weekHour: (number | null)[][] | null; byCategory: { code: string; name: string; count: number | null; suppressed?: boolean }[] };
export type SurveyItem = { indicator: string; name: string; group: string; value: number | null; ciLow: number | null; ciHigh: number | null; respondents: number | null; previous: number | null; suppressed: boolean };
export type PlaceItem = { id: number; name: string; status?: string };
/** How the survey figures were obtained (the profile's survey.basis): own, pooled, borrowed from the containing survey area, not available. */
export type SurveyBasis = { kind: string; surveyArea: string | null; text: { sv: string; en: string } };
export type Profile = { id: number; name: string; code: string; population: number | null; sources: SourceBlock[]; survey: SurveyItem[]; places: PlaceItem[]; k: number; surveyBasis?: SurveyBasis | null };

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function figures(x: Any | undefined | null): Figures | null {
  if (!x) return null;
  return { count: x.count ?? null, ratePer1000: x.ratePer1000 ?? x.rate ?? null, rateRatio: x.rateRatio ?? null, rateRatioCiLow: x.rateRatioCiLow ?? null, rateRatioCiHigh: x.rateRatioCiHigh ?? null, changeSignificant: !!x.changeSignificant, suppressed: !!x.suppressed, previousCount: x.previousCount ?? null };
}

function monthly(x: unknown): { month: string; count: number | null }[] {
  if (!Array.isArray(x)) return [];
  return x.map((m: Any) => ({ month: String(m.month ?? m.period ?? m.from ?? '').slice(0, 7), count: m.suppressed ? null : (m.count ?? m.n ?? null) }));
}

function weekHour(x: unknown): (number | null)[][] | null {
  // a null cell is a hidden one (fewer than k): it stays null, so charts hatch it instead of drawing a 0
  if (Array.isArray(x) && x.length === 7 && Array.isArray(x[0])) return (x as (number | null)[][]).map((row) => row.map((v) => (typeof v === 'number' ? v : null)));
  if (Array.isArray(x) && x.length && typeof x[0] === 'object') {
    const m = Array.from({ length: 7 }, () => new Array(24).fill(0));
    for (const c of x as Any[]) { const d = Number(c.weekday ?? c.dow ?? c.day), h = Number(c.hour); if (d >= 0 && d < 7 && h >= 0 && h < 24) m[d][h] += Number(c.weight ?? c.count ?? c.value ?? 0); }
    return m;
  }
  const o = x as Any | null;
  if (o && Array.isArray(o.matrix)) return weekHour(o.matrix);
  if (o && Array.isArray(o.cells)) return weekHour(o.cells);
  return null;
}

export function normalizeProfile(p: Any, id: number): Profile {
  const area = p.meta?.area ?? p.area ?? p;
  const rawSources: Any[] = Array.isArray(p.sources) ? p.sources : p.sources && typeof p.sources === 'object' ? Object.entries(p.sources).map(([k, v]) => ({ source: k, ...(v as Any) })) : [];
  const sources: SourceBlock[] = rawSources.map((s) => {
    const src = String(s.source ?? '');
    return {
      source: src,
      area: figures(s.area ?? s.figures ?? s) ?? figures({})!,
      city: figures(s.city ?? s.reference ?? s.total ?? null),
      monthly: monthly(s.monthly ?? s.series ?? p.monthly?.[src]),
      weekHour: weekHour(s.weekdayHour ?? s.weekHour ?? p.weekdayHour?.[src]),
      byCategory: ((s.byCategory ?? s.categories ?? s.byOutcome ?? s.byType ?? []) as Any[]).map((c) => ({ code: String(c.code ?? c.category ?? ''), name: String(c.label ?? c.name ?? c.code ?? c.category ?? ''), count: c.count ?? null, suppressed: !!c.suppressed })),
    };
  });
  const rawSurvey: Any[] = Array.isArray(p.survey) ? p.survey : Array.isArray(p.survey?.items) ? p.survey.items : Array.isArray(p.survey?.indicators) ? p.survey.indicators : [];
  const survey: SurveyItem[] = [];
  for (const r of rawSurvey) {
    const groups: Any[] = Array.isArray(r.groups) ? r.groups : Array.isArray(r.byGroup) ? r.byGroup : [r];
    for (const g of groups) survey.push({ indicator: String(r.indicator ?? r.code ?? ''), name: String(r.text ?? r.name ?? r.indicatorName ?? r.indicator ?? r.code ?? ''), group: String(g.group ?? 'all'), value: g.value ?? null, ciLow: g.ciLow ?? null, ciHigh: g.ciHigh ?? null, respondents: g.respondents ?? null, previous: g.previousWaveValue ?? g.previous ?? null, suppressed: !!g.suppressed });
  }
  const places: PlaceItem[] = ((p.places ?? []) as Any[]).map((x) => ({ id: Number(x.id), name: String(x.name ?? x.id), status: x.status }));
  const population = area.population ?? rawSources[0]?.area?.population ?? null;
  const b = p.survey?.basis as Any | null | undefined;
  const surveyBasis: SurveyBasis | null = b && typeof b.kind === 'string'
    ? { kind: b.kind, surveyArea: b.surveyArea?.name ?? null, text: { sv: String(b.text?.sv ?? ''), en: String(b.text?.en ?? b.text?.sv ?? '') } }
    : null;
  return { id, name: String(area.name ?? ''), code: String(area.code ?? ''), population, sources, survey, places, k: Number(p.meta?.k ?? p.k ?? 5), surveyBasis };
}
