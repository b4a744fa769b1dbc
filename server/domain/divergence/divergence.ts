// Survey insecurity vs register crime per area: both as z-scores relative to the set's own areas (mean 0, sd 1
// over the areas where both are known and shown), and a class from the gap d = zFear − zCrime:
//   d > 1  → 'fear-above-crime'  (people feel less safe than the registered crime alone would suggest)
//   d < −1 → 'crime-above-fear'
//   else   → 'aligned'
// A gap of one standard deviation is the threshold (DIVERGENCE_THRESHOLD). For an indicator whose higher values
// are better (e.g. "feel safe"), insecurity is its negation before scoring. The crime rate is the published
// ratePer1000 of /api/stats (so the public view derives nothing from hidden counts); an area with a hidden
// count, an unknown population or a hidden survey value gets no scores and class null. The survey value is the area's
// own or pooled (/api/survey at any level); an area that only lies inside a survey area has none here.
import type { Disclosure } from '../disclosure/disclosure-control.js';
import type { Queryable } from '../../db/index.js';
import type { Source } from '../../../shared/sources.js';
import { zScores } from '../statistics/z-scores.js';
import { areaStats } from '../area-stats/area-stats.js';
import { surveyResults } from '../survey/survey-results.js';
import type { DivergenceClass, DivergenceResult, DivergenceRow } from './divergence-schema.js';

export const DIVERGENCE_THRESHOLD = 1;
// the answer's shape: one zod schema (divergence-schema.ts), the types derived from it
export type { DivergenceClass, DivergenceResult, DivergenceRow };

export const DIVERGENCE_METHOD =
  'zFear = z-score of the survey share (negated when higher is better) and zCrime = z-score of ratePer1000, both over the areas ' +
  'of the set where both are known and shown; gap = zFear - zCrime; |gap| > threshold classifies fear-above-crime / crime-above-fear, else aligned.';

export function classify(gap: number | null, threshold = DIVERGENCE_THRESHOLD): DivergenceClass | null {
  if (gap === null) return null;
  return gap > threshold ? 'fear-above-crime' : gap < -threshold ? 'crime-above-fear' : 'aligned';
}

export async function divergence(db: Queryable, q: { areaSetId: string; wave?: string; indicator: string; source: Source; categories?: string[]; from?: string; to?: string },
  opts: { disclosure: Disclosure; surveyMinRespondents: number }): Promise<DivergenceResult> {
  const exact = opts.disclosure.exact;
  const survey = await surveyResults(db, { areaSetId: q.areaSetId, wave: q.wave, indicator: q.indicator, group: 'all' }, { exact, minRespondents: opts.surveyMinRespondents });
  const stats = await areaStats(db, { areaSetId: q.areaSetId, source: q.source, categories: q.categories, from: q.from, to: q.to }, { disclosure: opts.disclosure });
  const rate = new Map(stats.rows.map((r) => [r.areaId, r.ratePer1000]));
  const sign = survey.meta.indicator.direction === 'higher-is-better' ? -1 : 1;
  const both = survey.rows.map((r) => {
    const rt = rate.get(r.areaId) ?? null;
    // an area scored on its own or pooled survey figures, never on those of a survey area it lies in
    return r.value !== null && rt !== null && r.basis.kind !== 'containing' ? { fear: sign * r.value, crime: rt } : null;
  });
  const zf = zScores(both.map((b) => b?.fear ?? null));
  const zc = zScores(both.map((b) => b?.crime ?? null));
  const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  const rows = survey.rows.map((r, i) => {
    const gap = zf[i] !== null && zc[i] !== null ? zf[i]! - zc[i]! : null;
    const own = r.basis.kind !== 'containing';
    return { areaId: r.areaId, code: r.code, name: r.name, surveyValue: own ? r.value : null, respondents: own ? r.respondents : null, ratePer1000: rate.get(r.areaId) ?? null,
      zFear: round(zf[i]), zCrime: round(zc[i]), gap: round(gap), class: classify(gap) };
  });
  return {
    meta: { areaSetId: q.areaSetId, wave: survey.meta.wave, indicator: survey.meta.indicator, source: q.source, categories: stats.meta.categories,
      period: stats.meta.period, threshold: DIVERGENCE_THRESHOLD, method: DIVERGENCE_METHOD, areasScored: rows.filter((r) => r.class !== null).length,
      exact, generatedAt: new Date().toISOString() },
    rows,
  };
}
