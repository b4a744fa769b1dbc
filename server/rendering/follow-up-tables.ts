// The follow-up report's tables and facts as plain rows of words and figures (the shared model of report-tables.ts),
// used by its HTML/PDF and its Word document alike, so both print the same columns, wording and figures. A suppressed
// count is "< k" and its rate is not shown (a rate times the population would tell the count).
import { periodLabel } from '../../shared/periods.js';
import type { IndicatorFollowUp, Measure, Priority } from '../domain/action-plans/action-plan-schema.js';
import type { FollowUpDocument } from '../domain/action-plans/follow-up-document.js';
import { FOLLOW_UP_TEXTS } from '../domain/action-plans/follow-up-texts.js';
import { TEXTS, fill, fmtCount, fmtDate, fmtNumber } from '../domain/reports/texts.js';
import type { Lang } from '../domain/reports/types.js';
import { ratioText, type Cell, type TableModel, type Tone } from './report-tables.js';
import { surveyValueText as sharedSurveyValueText } from '../../shared/survey-values.js';

const num = (text: string, note?: string, tone?: Tone): Cell => ({ text, numeric: true, ...(note ? { note } : {}), ...(tone ? { tone } : {}) });

/** on track: a certain fall (green), off track: a certain rise (red), anything else grey */
const STATUS_TONE: Record<IndicatorFollowUp['status'], Tone> = {
  'on-track': 'down', 'off-track': 'up', 'no-certain-change': 'nosig', 'not-enough-data': 'nosig', 'too-early': 'nosig',
};

/** "180" with "9,1 per 1 000 inv. · 1 jan – 31 dec 2025" under it; "< 5" and no rate when suppressed. */
function figureCell(d: FollowUpDocument, f: { from: string; to: string; count: number | null; ratePer1000: number | null; suppressed: boolean }): Cell {
  const t = FOLLOW_UP_TEXTS[d.lang];
  const rate = !f.suppressed && f.ratePer1000 !== null ? fill(t.perThousand, { rate: fmtNumber(d.lang, f.ratePer1000, 1) }) : null;
  const period = periodLabel({ from: f.from, to: f.to }, d.lang);
  return num(fmtCount(d.lang, f.count, f.suppressed, d.viewer.suppressionK), [rate, period].filter(Boolean).join(' · '));
}

/** A survey value as people read it: a share as percent ("32 %"), a mean on its scale ("3,2 (1–5)"). */
export function surveyValueText(lang: Lang, v: number, kind: 'share' | 'mean', scale: { min: number; max: number } | null): string {
  return sharedSurveyValueText(v, kind, scale, (n, digits) => fmtNumber(lang, n, digits));
}

type SurveyFigureCell = { wave: { name: string } | null; value: number | null; ciLow: number | null; ciHigh: number | null; respondents: number | null; suppressed: boolean };

/** "32 %" with "KI 28–36 % · 212 svarande · Trygghetsmätning 2024" under it; "< 30 svarande" when hidden. */
function surveyCell(d: FollowUpDocument, s: NonNullable<IndicatorFollowUp['survey']>, f: SurveyFigureCell): Cell {
  const t = FOLLOW_UP_TEXTS[d.lang];
  const wave = f.wave?.name ?? t.noWave;
  if (f.suppressed) return num(fill(t.surveySuppressed, { m: d.viewer.surveyMinRespondents }), wave);
  if (f.value === null) return num('–', wave);
  const ci = f.ciLow !== null && f.ciHigh !== null
    ? fill(t.ci, { lo: s.valueKind === 'share' ? fmtNumber(d.lang, f.ciLow * 100) : fmtNumber(d.lang, f.ciLow, 1), hi: s.valueKind === 'share' ? `${fmtNumber(d.lang, f.ciHigh * 100)} %` : fmtNumber(d.lang, f.ciHigh, 1) })
    : '';
  const n = f.respondents !== null ? fill(t.respondents, { n: fmtNumber(d.lang, f.respondents) }) : '';
  return num(surveyValueText(d.lang, f.value, s.valueKind, s.scale), [ci, n, wave].filter(Boolean).join(' · '));
}

/** A survey indicator's change: "+8 procentenheter" for a share, "−0,3" for a mean. */
function surveyDifference(d: FollowUpDocument, s: NonNullable<IndicatorFollowUp['survey']>): string {
  if (s.difference === null) return '–';
  const signed = (x: string, v: number) => (v > 0 ? `+${x}` : v < 0 ? `−${x}` : x);
  if (s.valueKind === 'share') return fill(FOLLOW_UP_TEXTS[d.lang].percentPoints, { d: signed(fmtNumber(d.lang, Math.abs(s.difference) * 100), s.difference) });
  return signed(fmtNumber(d.lang, Math.abs(s.difference), 1), s.difference);
}

/** One priority's indicators: label, baseline, now, rate ratio with CI (a survey indicator: the change), the status in words, target and whether reached. */
export function indicatorTable(d: FollowUpDocument, priority: Priority): TableModel {
  const t = FOLLOW_UP_TEXTS[d.lang];
  const c = t.indCols;
  const defs = new Map(priority.indicators.map((i) => [i.id, i]));
  return {
    head: [{ text: c.indicator }, { text: c.baseline, numeric: true }, { text: c.current, numeric: true }, { text: c.ratio, numeric: true }, { text: c.status }, { text: c.target, numeric: true }],
    rows: d.followUp.indicators.filter((f) => f.priorityId === priority.id).map((f) => {
      const def = defs.get(f.indicatorId);
      const reached = f.targetReached === null ? '' : f.targetReached ? t.reached : t.notReached;
      const by = def?.targetDate ? fill(t.targetBy, { date: fmtDate(d.lang, def.targetDate) }) : '';
      const status: Cell = { text: f.statusText[d.lang], tone: STATUS_TONE[f.status] };
      if (f.survey) {
        const s = f.survey;
        const where = [def ? d.areaNames[def.areaId] : '', t.survey, s.text[d.lang], s.groupLabel[d.lang]].filter(Boolean).join(' · ');
        return [
          { text: f.label, note: where },
          surveyCell(d, s, s.baseline),
          surveyCell(d, s, s.current),
          num(surveyDifference(d, s)),
          status,
          s.targetValue === null ? num('–') : num(surveyValueText(d.lang, s.targetValue, s.valueKind, null), [reached, by].filter(Boolean).join(', '), f.targetReached === true ? 'down' : undefined),
        ];
      }
      const where = def?.kind === 'incidents' ? [d.areaNames[def.areaId], TEXTS[d.lang].sources[def.source], fill(t.months, { n: def.months })].filter(Boolean).join(' · ') : '';
      const target = f.targetRate === null ? null : fill(t.perThousand, { rate: fmtNumber(d.lang, f.targetRate, 1) });
      return [
        { text: f.label, ...(where ? { note: where } : {}) },
        f.baseline ? figureCell(d, f.baseline) : num('–'),
        f.current ? figureCell(d, f.current) : num('–'),
        num(ratioText(d.lang, f)),
        status,
        target === null ? num('–') : num(target, [reached, by].filter(Boolean).join(', '), f.targetReached === true ? 'down' : undefined),
      ];
    }),
  };
}

/** The plan's measures: title (with its priorities and cost), owner, partners, start–end, status; overdue ones flagged. */
export function measuresTable(d: FollowUpDocument): TableModel {
  const t = FOLLOW_UP_TEXTS[d.lang];
  const c = t.meaCols;
  const overdue = new Map(d.followUp.measures.overdue.map((m) => [m.id, m]));
  const titles = new Map(d.plan.plan.priorities.map((p) => [p.id, p.title]));
  return {
    head: [{ text: c.measure }, { text: c.owner }, { text: c.partners }, { text: c.period }, { text: c.status }],
    rows: d.plan.plan.measures.map((m) => {
      const late = overdue.get(m.id);
      const notes = [
        m.priorityIds.length ? fill(t.forPriorities, { list: m.priorityIds.map((id) => titles.get(id) ?? id).join(', ') }) : '',
        m.cost !== null ? fill(t.cost, { cost: fmtNumber(d.lang, m.cost) }) : '',
      ].filter(Boolean).join(' · ');
      return [
        { text: m.title, ...(notes ? { note: notes } : {}) },
        { text: m.owner },
        { text: m.partners.length ? m.partners.map((p) => (p.role ? `${p.organisation} (${p.role})` : p.organisation)).join(', ') : '–' },
        { text: measurePeriod(d.lang, m) },
        { text: t.measureStatus[m.status] ?? m.status, ...(late ? { tone: 'up' as const, note: fill(t.overdue, { date: fmtDate(d.lang, late.end) }) } : {}) },
      ];
    }),
  };
}

function measurePeriod(lang: Lang, m: Measure): string {
  if (!m.start && !m.end) return '–';
  return `${m.start ? fmtDate(lang, m.start) : ''} – ${m.end ? fmtDate(lang, m.end) : ''}`.trim();
}

/** The summary: indicators by status, measures by status, overdue measures (each as "word: n"). */
export function summaryTable(d: FollowUpDocument): TableModel {
  const t = FOLLOW_UP_TEXTS[d.lang];
  const byStatus = new Map<string, number>();
  for (const i of d.followUp.indicators) byStatus.set(i.status, (byStatus.get(i.status) ?? 0) + 1);
  const list = (m: Map<string, number> | Record<string, number>, words: Record<string, string>) =>
    [...(m instanceof Map ? m.entries() : Object.entries(m))].map(([k, n]) => `${words[k] ?? k}: ${fmtNumber(d.lang, n)}`).join('; ') || '–';
  return {
    head: [{ text: '' }, { text: '' }],
    rows: [
      [{ text: t.summaryIndicators }, { text: list(byStatus, t.followStatus) }],
      [{ text: t.summaryMeasures }, { text: list(d.followUp.measures.byStatus, t.measureStatus) }],
      [{ text: t.summaryOverdue }, { text: fmtNumber(d.lang, d.followUp.measures.overdue.length), ...(d.followUp.measures.overdue.length ? { tone: 'up' as const } : {}) }],
    ],
  };
}

/** The cover's facts: plan, area, status, decided by and when, version, data versions, follow-up date. */
export function coverFacts(d: FollowUpDocument): [string, string][] {
  const t = FOLLOW_UP_TEXTS[d.lang];
  const p = d.plan;
  return [
    [t.plan, p.title],
    [t.area, d.areaNames[p.areaId] ?? p.areaName ?? '–'],
    [t.status, t.planStatus[p.status] ?? p.status],
    [t.decidedBy, p.decidedAt ? d.decidedByName ?? t.byDistrict : t.notDecided],
    [t.decidedAt, p.decidedAt ? fmtDate(d.lang, p.decidedAt.slice(0, 10)) : '–'],
    [t.version, String(p.version)],
    [t.planDataVersion, String(p.dataVersion)],
    [t.dataVersion, String(d.followUp.dataVersion)],
    [t.asOf, fmtDate(d.lang, d.followUp.asOf)],
  ];
}

/** Where a priority came from: the finding's text and its frozen figures, or the district's own. */
export function originLines(d: FollowUpDocument, p: Priority): string[] {
  const t = FOLLOW_UP_TEXTS[d.lang];
  if (p.origin.kind === 'own') return [t.originOwn];
  const figures = Object.entries(p.origin.finding.figures).map(([k, v]) =>
    `${k}: ${typeof v === 'number' ? fmtNumber(d.lang, v, Number.isInteger(v) ? 0 : 2) : v === null ? '–' : String(v)}`);
  return [
    `${t.originFinding}: ${p.origin.finding.text}`,
    ...(figures.length ? [`${fill(t.originFigures, { v: p.origin.dataVersion })}: ${figures.join('; ')}`] : []),
  ];
}

/** The orsaksanalys steps (the lägesbild's names) and the problem triangle, as label → text ('' when not filled in). */
export function causalRows(d: FollowUpDocument, p: Priority): { steps: [string, string][]; triangle: [string, string][] } {
  const ca = TEXTS[d.lang].ca;
  const t = FOLLOW_UP_TEXTS[d.lang];
  const a = p.causalAnalysis;
  return {
    steps: (['preparation', 'deepenKnowledge', 'likelyCauses', 'testAssumptions', 'chooseMeasures'] as const).map((k, i) => [`${i + 1}. ${ca[k]}`, a[k]]),
    triangle: (['offender', 'target', 'place'] as const).map((k) => [t.triangleParts[k], a.triangle[k]]),
  };
}
