// A survey indicator's figures come from the same survey results as /api/survey — the indicator area's own set, the
// same basis (own, pooled, containing) and suppression — so a baseline or a current value is never a number of its
// own making. The baseline is the latest wave when the indicator is added, in the public view (a plan is meant to be
// published); the follow-up is the latest wave now, compared with the baseline wave by the test /api/survey uses for
// the difference between waves: the pooled two-proportion z-test for a share (the z-test of two estimates with their
// stratified variances for a pooled figure). A mean has no spread in the data and is not tested: it says so.
import type { Queryable } from '../../db/index.js';
import { DomainProblem, invalid } from '../problems.js';
import { twoProportionTest } from '../statistics/two-proportion-test.js';
import { estimateDifferenceSignificant, Z95 } from '../survey/survey-pooling.js';
import { surveyGroupLabel, surveyResults, type SurveyOptions, type SurveyResult, type SurveyRow } from '../survey/survey-results.js';
import type { IndicatorFollowUp, SurveyBaseline, SurveyIndicator, SurveyIndicatorDefinition } from './action-plan-schema.js';
import { areaSetOf } from './indicator-figures.js';

/**
 * A refusal of the survey's (an unknown indicator or group, no results yet) named by where it sits in the plan
 * (`plan.priorities.0.indicators.1.indicator`), with the valid codes the survey route lists.
 */
function inPlan(e: unknown, path: string, i: SurveyIndicatorDefinition): unknown {
  if (!(e instanceof DomainProblem)) return e;
  if (e.kind === 'not-found') {
    return invalid({ sv: `Trygghetsmätningen har inga resultat för indikatorn "${i.indicator}" ännu.`, en: `The survey has no results for indicator "${i.indicator}" yet.` },
      [{ field: `${path}.indicator`, message: { sv: 'inga resultat', en: 'no results' } }]);
  }
  if (e.kind !== 'invalid') return e;
  const extra = e.info.extra ?? {};
  return new DomainProblem('invalid', e.message, {
    ...e.info,
    fields: (e.info.fields ?? []).map((f) => ({ ...f, field: `${path}.${f.field}` })),
    extra: typeof extra.parameter === 'string' ? { ...extra, parameter: `${path}.${extra.parameter}` } : extra,
  });
}

const waveRef = (r: SurveyResult) => ({ id: r.meta.wave.id, name: r.meta.wave.name, year: r.meta.wave.year });

/** The latest wave's figure for the indicator's area, group and set, as /api/survey answers with these options. */
async function latest(db: Queryable, i: SurveyIndicatorDefinition, areaSetId: string, opts: SurveyOptions): Promise<{ r: SurveyResult; row: SurveyRow | undefined }> {
  const r = await surveyResults(db, { areaSetId, indicator: i.indicator, group: i.group }, opts);
  return { r, row: r.rows.find((x) => x.areaId === i.areaId) };
}

/**
 * The baseline: /api/survey's figure for the public (`minRespondents` is the service's rule) at the latest wave. `path`
 * names the indicator in the plan for a refusal (400 with the valid codes).
 */
export async function surveyBaselineFor(db: Queryable, i: SurveyIndicatorDefinition, minRespondents: number, dataVersion: number, path: string): Promise<SurveyBaseline> {
  const areaSetId = await areaSetOf(db, i.areaId);
  let got: Awaited<ReturnType<typeof latest>>;
  try { got = await latest(db, i, areaSetId, { exact: false, minRespondents }); } catch (e) { throw inPlan(e, path, i); }
  const { r, row } = got;
  return {
    wave: waveRef(r), value: row?.value ?? null, ciLow: row?.ciLow ?? null, ciHigh: row?.ciHigh ?? null, respondents: row?.respondents ?? null,
    suppressed: row?.suppressed ?? false, valueKind: r.meta.indicator.kind, basisKind: row?.basis.kind ?? 'not-available', areaSetId, dataVersion,
  };
}

type Status = IndicatorFollowUp['status'];
type Texts = { sv: string; en: string };

const TEXT = {
  better: { sv: 'Säker förbättring sedan utgångsmätningen (tvåprovstest för andelar, 95 %).', en: 'A certain improvement since the baseline wave (two-proportion test, 95%).' },
  worse: { sv: 'Säker försämring sedan utgångsmätningen (tvåprovstest för andelar, 95 %).', en: 'A certain deterioration since the baseline wave (two-proportion test, 95%).' },
  noChange: { sv: 'Ingen säker förändring sedan utgångsmätningen: skillnaden ryms i slumpens variation.', en: 'No certain change since the baseline wave: the difference is within chance variation.' },
  tooEarly: { sv: 'För tidigt att jämföra: ingen ny mätning sedan utgångsläget.', en: 'Too early to compare: no new survey wave since the baseline.' },
  few: { sv: 'För få svarande för att bedöma (värdet visas inte under gränsen för svarande).', en: 'Too few respondents to judge (the value is not shown below the respondent threshold).' },
  missing: { sv: 'Inget värde för området och gruppen i mätningen.', en: 'No value for the area and group in the wave.' },
  mean: { sv: 'Ett medelvärde kan inte prövas för förändring: mätningen ger ingen spridning. Jämför värdena med försiktighet.', en: 'A mean cannot be tested for change: the survey gives no spread. Compare the values with care.' },
} satisfies Record<string, Texts>;

/** Whether two shown figures of different waves differ: the two-proportion z-test, or for a pooled figure the z-test of two estimates. */
function differs(b: SurveyBaseline, c: { value: number | null; ciLow: number | null; ciHigh: number | null; respondents: number | null; basisKind: string | null }): { significant: boolean; test: 'two-proportion' | 'stratified' } | null {
  if (b.value === null || c.value === null) return null;
  if (b.basisKind === 'pooled' || c.basisKind === 'pooled') {
    const variance = (lo: number | null, hi: number | null) => (lo !== null && hi !== null ? ((hi - lo) / (2 * Z95)) ** 2 : null);
    const s = estimateDifferenceSignificant({ value: c.value, variance: variance(c.ciLow, c.ciHigh) }, { value: b.value, variance: variance(b.ciLow, b.ciHigh) });
    return s === null ? null : { significant: s, test: 'stratified' };
  }
  if (b.respondents === null || c.respondents === null) return null;
  const t = twoProportionTest(c.value, c.respondents, b.value, b.respondents);
  return t ? { significant: t.significant, test: 'two-proportion' } : null;
}

/** The latest wave against the baseline wave, in the viewer's view (`opts`): the current figure, the test, the status. */
export async function followUpSurveyIndicator(db: Queryable, priorityId: string, i: SurveyIndicator, opts: SurveyOptions): Promise<IndicatorFollowUp> {
  const b = i.baseline;
  let got: Awaited<ReturnType<typeof latest>> | null = null;
  try { got = await latest(db, i, b.areaSetId, opts); } catch (e) { if (!(e instanceof DomainProblem)) throw e; }
  const row = got?.row;
  const ind = got?.r.meta.indicator;
  const current = {
    wave: got ? waveRef(got.r) : null, value: row?.value ?? null, ciLow: row?.ciLow ?? null, ciHigh: row?.ciHigh ?? null,
    respondents: row?.respondents ?? null, suppressed: row?.suppressed ?? false, basisKind: row?.basis.kind ?? null,
  };
  const valueKind = ind?.kind ?? b.valueKind;
  const direction = ind?.direction ?? 'higher-is-worse';
  // a new wave: another one, not older than the baseline's
  const newer = current.wave !== null && current.wave.id !== b.wave.id && current.wave.year >= b.wave.year;
  const tested = newer && valueKind === 'share' ? differs(b, current) : null;
  const significant = !!tested?.significant;
  const rose = current.value !== null && b.value !== null && current.value > b.value;
  const better = direction === 'higher-is-better' ? rose : !rose;
  let status: Status, text: Texts;
  if (!newer) { status = 'too-early'; text = TEXT.tooEarly; }
  else if (b.suppressed || current.suppressed) { status = 'not-enough-data'; text = TEXT.few; }
  else if (b.value === null || current.value === null) { status = 'not-enough-data'; text = TEXT.missing; }
  else if (valueKind === 'mean') { status = 'not-enough-data'; text = TEXT.mean; }
  else if (!tested) { status = 'not-enough-data'; text = TEXT.missing; }
  else if (significant) { status = better ? 'on-track' : 'off-track'; text = better ? TEXT.better : TEXT.worse; }
  else { status = 'no-certain-change'; text = TEXT.noChange; }
  const reached = i.targetValue === null || current.value === null ? null
    : direction === 'higher-is-better' ? current.value >= i.targetValue : current.value <= i.targetValue;
  const group = surveyGroupLabel(i.group);
  return {
    priorityId, indicatorId: i.id, label: i.label, kind: 'survey', baseline: null, current: null,
    rateRatio: null, ciLow: null, ciHigh: null, significant,
    targetRate: null, targetReached: reached, status, statusText: text,
    survey: {
      indicator: i.indicator, text: { sv: ind?.textSv ?? i.indicator, en: ind?.textEn ?? i.indicator },
      group: i.group, groupLabel: { sv: group.sv, en: group.en }, valueKind, scale: ind?.scale ?? null, direction,
      baseline: b, current,
      difference: newer && current.value !== null && b.value !== null ? current.value - b.value : null,
      test: tested?.test ?? 'none', targetValue: i.targetValue,
    },
  };
}
