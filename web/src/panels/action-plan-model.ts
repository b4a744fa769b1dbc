// An action plan as the browser edits it (issue 18): the shapes of /api/action-plans (the server's
// action-plan-schema.ts is the rule; this is its shape in the browser), a lägesbild finding made into a priority with
// its figures and data version, new ids, and a control's value written into the plan by its path. Pure, so it is
// tested beside this file.
import { formatPartners, parsePartners, type Partner } from './partners.js';

export const CAUSAL_STEPS = ['preparation', 'deepenKnowledge', 'likelyCauses', 'testAssumptions', 'chooseMeasures'] as const;
export const TRIANGLE = ['offender', 'target', 'place'] as const;
export const MEASURE_STATUSES = ['planned', 'ongoing', 'done', 'cancelled'] as const;
export const MONTHS = [3, 6, 12, 24] as const;
export type CausalStep = (typeof CAUSAL_STEPS)[number];

export type Baseline = { from: string; to: string; count: number | null; ratePer1000: number | null; suppressed: boolean; areaSetId: string; dataVersion: number };
/** An incident indicator (plans saved before survey indicators have no `kind`: the server answers 'incidents'). */
export type IncidentIndicator = {
  kind?: 'incidents'; id: string; label: string; source: string; categories: string[]; areaId: number; months: number;
  targetRate: number | null; targetDate: string | null; baseline?: Baseline;
};
export type WaveRef = { id: string; name: string; year: number };
/** A survey indicator's baseline: /api/survey's public figure at the latest wave when it was added. */
export type SurveyBaseline = {
  wave: WaveRef; value: number | null; ciLow: number | null; ciHigh: number | null; respondents: number | null; suppressed: boolean;
  valueKind: 'share' | 'mean'; basisKind: string; areaSetId: string; dataVersion: number;
};
/** A survey indicator: a trygghetsmätning indicator (code) for a respondent group in an area; target a share 0–1 or a mean. */
export type SurveyIndicator = {
  kind: 'survey'; id: string; label: string; indicator: string; group: string; areaId: number;
  targetValue: number | null; targetDate: string | null; baseline?: SurveyBaseline;
};
export type Indicator = IncidentIndicator | SurveyIndicator;
/** A survey indicator as GET /api/survey/indicators lists it. */
export type SurveyIndicatorInfo = { code: string; textSv: string; textEn: string; kind: 'share' | 'mean'; scale: { min: number; max: number } | null; direction: 'higher-is-worse' | 'higher-is-better' };
/** A respondent group as GET /api/survey/groups lists it. */
export type SurveyGroupInfo = { code: string; labelSv: string; labelEn: string };
export type FindingOrigin = { kind: 'finding'; finding: { type: string; text: string; figures: Record<string, number | string | boolean | null> }; reportId: number | null; dataVersion: number };
export type Priority = {
  id: string; title: string;
  origin: FindingOrigin | { kind: 'own' };
  causalAnalysis: Record<CausalStep, string> & { triangle: Record<(typeof TRIANGLE)[number], string> };
  indicators: Indicator[];
};
export type Measure = {
  id: string; title: string; owner: string; partners: Partner[];
  start: string | null; end: string | null; status: (typeof MEASURE_STATUSES)[number]; cost: number | null;
  placeIds: number[]; priorityIds: string[];
};
export type PlanDocument = { priorities: Priority[]; measures: Measure[] };
export type ActionPlan = {
  id: number; areaId: number; areaName: string | null; reportId: number | null; title: string;
  status: 'draft' | 'decided' | 'published'; version: number; dataVersion: number;
  createdBy: string | null; createdAt: string; updatedBy: string | null; updatedAt: string; decidedBy: string | null; decidedAt: string | null;
  plan: PlanDocument;
};
export type SurveyFigure = { wave: WaveRef | null; value: number | null; ciLow: number | null; ciHigh: number | null; respondents: number | null; suppressed: boolean };
/** A survey indicator's follow-up: the frozen baseline wave and the latest wave now, with unit, direction and the change. */
export type SurveyFollowUp = {
  indicator: string; text: { sv: string; en: string }; group: string; groupLabel: { sv: string; en: string };
  valueKind: 'share' | 'mean'; scale: { min: number; max: number } | null; direction: 'higher-is-worse' | 'higher-is-better';
  baseline: SurveyBaseline; current: SurveyFigure & { basisKind: string | null }; difference: number | null; test: string; targetValue: number | null;
};
/** incidents: baseline, current and the rate ratio; survey: those are null and `survey` holds the wave figures. */
export type IndicatorFollowUp = {
  priorityId: string; indicatorId: string; label: string; kind?: 'incidents' | 'survey'; baseline: Baseline | null;
  current: { from: string; to: string; count: number | null; ratePer1000: number | null; suppressed: boolean } | null;
  rateRatio: number | null; ciLow: number | null; ciHigh: number | null; significant: boolean;
  targetRate: number | null; targetReached: boolean | null; status: string; statusText: { sv: string; en: string };
  survey?: SurveyFollowUp | null;
};
export type FollowUp = {
  planId: number; areaId: number; status: string; dataVersion: number; asOf: string; indicators: IndicatorFollowUp[];
  measures: { byStatus: Record<string, number>; overdue: { id: string; title: string; end: string }[] };
};

/** A finding of the lägesbild's summary, as the saved report's JSON holds it. */
export type ReportFinding = { key: string; text: string; figure: string; test: string; significant: boolean | null };
/** What a saved report's content offers for priorities: its findings, data version, and the crime groups' figures. */
export type ReportContent = {
  dataVersion: number; summary: ReportFinding[];
  scope?: { crimeGroups?: { code: string; label: string; codes?: string[]; count: number | null; previousCount: number | null; rateRatio: number | null; ciLow: number | null; ciHigh: number | null; changeSignificant: boolean }[] };
};

export function emptyCausalAnalysis(): Priority['causalAnalysis'] {
  return { preparation: '', deepenKnowledge: '', likelyCauses: '', testAssumptions: '', chooseMeasures: '', triangle: { offender: '', target: '', place: '' } };
}

/** A new id like "p3" not yet used among `taken` (the server wants lowercase letters, digits and -). */
export function newId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/** What kind of finding it is, from its key and test: a significant rise of a crime group, a hot spot, a survey indicator … */
export function findingType(f: ReportFinding, c: ReportContent): string {
  const [kind, code] = f.key.split(':');
  if (kind === 'group' || kind === 'change') {
    const g = kind === 'group' ? c.scope?.crimeGroups?.find((x) => x.code === code) : undefined;
    if (!f.significant) return kind === 'group' ? 'crime-group-change' : 'change';
    if (g && g.ciHigh !== null && g.ciHigh < 1) return 'significant-fall';
    return g && g.ciLow !== null && g.ciLow > 1 ? 'significant-rise' : 'significant-change';
  }
  if (kind === 'hotspots') return 'hot-spot';
  if (kind === 'survey') return 'survey-indicator';
  if (kind === 'survey-city') return 'survey-above-city';
  if (kind === 'city') return f.significant ? 'different-from-city' : 'city-comparison';
  return kind.slice(0, 40) || 'finding';
}

/**
 * A priority made from a finding: the finding's text and figures kept as the report stated them, with the report and
 * its data version. For a crime group the group's counts, rate ratio and interval and its category codes go along.
 */
export function priorityFromFinding(f: ReportFinding, c: ReportContent, reportId: number | null, taken: Iterable<string>): Priority {
  const figures: Record<string, number | string | boolean | null> = { key: f.key, figure: f.figure, test: f.test, significant: f.significant };
  const [kind, code] = f.key.split(':');
  const g = kind === 'group' ? c.scope?.crimeGroups?.find((x) => x.code === code) : undefined;
  if (g) Object.assign(figures, { group: g.label, categories: (g.codes ?? [g.code]).join(','), count: g.count, previousCount: g.previousCount, rateRatio: g.rateRatio, ciLow: g.ciLow, ciHigh: g.ciHigh });
  return {
    id: newId('p', taken), title: (g ? g.label : f.text).slice(0, 200),
    origin: { kind: 'finding', finding: { type: findingType(f, c), text: f.text.slice(0, 600), figures }, reportId, dataVersion: c.dataVersion },
    causalAnalysis: emptyCausalAnalysis(), indicators: [],
  };
}

/** An indicator for a priority: a crime group's finding suggests its categories; the plan's area, 12 months. */
export function newIndicator(p: Priority, areaId: number, label: string, taken: Iterable<string>): IncidentIndicator {
  const cats = p.origin.kind === 'finding' && typeof p.origin.finding.figures.categories === 'string' ? p.origin.finding.figures.categories.split(',').filter(Boolean) : [];
  return { kind: 'incidents', id: newId('i', taken), label, source: 'crimes', categories: cats, areaId, months: 12, targetRate: null, targetDate: null };
}

/** The survey indicator a priority came from: the code of a survey finding ("survey:otrygg-kvall", "survey-city:otrygg-kvall"), else null. */
export function surveyCodeOf(p: Priority): string | null {
  if (p.origin.kind !== 'finding') return null;
  const key = p.origin.finding.figures.key;
  const m = typeof key === 'string' ? /^survey(?:-city)?:(.+)$/.exec(key) : null;
  return m ? m[1] : null;
}

/**
 * A survey indicator for a priority: a survey finding suggests its indicator (the lägesbild's finding is about all
 * respondents), else the first of `codes`; the plan's area, group all.
 */
export function newSurveyIndicator(p: Priority, areaId: number, label: string, taken: Iterable<string>, codes: string[]): SurveyIndicator {
  const fromFinding = surveyCodeOf(p);
  return { kind: 'survey', id: newId('i', taken), label, indicator: fromFinding ?? codes[0] ?? '', group: 'all', areaId, targetValue: null, targetDate: null };
}

/** A survey value as people read it (shared with the server's documents). */
export { surveyValueText } from '../../../shared/survey-values.js';

/** A target typed as percent ("25" or "25,5 %") as the share the server takes (0.25); null when empty or not a number. */
export function parsePercent(raw: string): number | null {
  const v = raw.replace(/%/g, '').replace(',', '.').replace(/\s/g, '');
  const n = Number(v);
  return v === '' || !Number.isFinite(n) ? null : Math.round(n * 1e6) / 1e8;
}

/** A share as the percent a control shows (0.255 → "25.5"): the inverse of parsePercent. */
export function formatPercent(v: number | null): string {
  return v === null ? '' : String(Math.round(v * 1e8) / 1e6);
}

export function newMeasure(taken: Iterable<string>): Measure {
  return { id: newId('m', taken), title: '', owner: '', partners: [], start: null, end: null, status: 'planned', cost: null, placeIds: [], priorityIds: [] };
}

/** Every indicator id of the plan (ids are unique within the plan, so a baseline stays with its indicator). */
export const indicatorIds = (d: PlanDocument): string[] => d.priorities.flatMap((p) => p.indicators.map((i) => i.id));

export type ValueKind = 'text' | 'number' | 'int' | 'date' | 'list' | 'partners' | 'percent';

/** A control's value as the plan holds it: numbers, dates or null when empty, comma lists as arrays. */
export function parseValue(kind: ValueKind, raw: string): unknown {
  const v = raw.trim();
  switch (kind) {
    case 'number': { const n = Number(v.replace(',', '.').replace(/\s/g, '')); return v === '' || !Number.isFinite(n) ? null : n; }
    case 'int': return Number.parseInt(v, 10);
    case 'date': return v === '' ? null : v;
    case 'list': return v.split(',').map((x) => x.trim()).filter(Boolean);
    case 'partners': return parsePartners(raw);
    case 'percent': return parsePercent(raw);
    default: return raw;
  }
}

/** The control's text for a value: the inverse of parseValue. */
export function formatValue(kind: ValueKind, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (kind === 'list') return (v as string[]).join(', ');
  if (kind === 'partners') return formatPartners(v as Partner[]);
  if (kind === 'percent') return formatPercent(v as number);
  return String(v);
}

/** Writes `value` at a dotted path ("priorities.0.causalAnalysis.triangle.place") of the plan. */
export function setAt(root: unknown, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = root as Record<string, unknown>;
  for (const k of parts.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object') throw new Error(`no ${path}`);
    o = o[k] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]] = value;
}

/** What the server takes on save: the plan as it is (baselines sent back are kept only when they are the stored ones). */
export function planInput(d: PlanDocument): PlanDocument {
  return JSON.parse(JSON.stringify(d)) as PlanDocument;
}
