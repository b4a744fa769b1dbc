// The survey figure of an area that CONTAINS several survey areas (strata h, e.g. the 11 stadsdelar of Järva):
// a population-weighted stratified estimate. Pure.
//
//   p = Σ N_h p_h / Σ N_h            (N_h: the stratum's population, p_h its share or mean)
//   V = Σ (N_h/N)² v_h               v_h = p_h(1−p_h)/n_h for a share; for a mean the square of the stratum's
//                                     standard error, (ci_high − ci_low)/(2·1.96), from its reported CI (none: no CI)
//   95 % CI = p ± 1.96 √V            (normal approximation; a share's CI clipped to [0, 1])
//   n = Σ n_h                         respondents
// The weights are the strata's whole population for every group (sex, age band): the population tables' age bands
// (0-5, 6-15, 16-19, 20-44, …) do not match the survey's (16-29, 30-44, …), so one set of weights serves all groups.
// The change since the previous wave is pooled over the same strata with the same weights and tested with
// z = (p₁ − p₀)/√(V₁ + V₀) (two-sided, α 0.05; shares only, as for a single area).
//
// Privacy (for the public and staff): a stratum whose figure the viewer may not see (fewer than minRespondents, or
// hidden by complementary suppression within its own area) is LEFT OUT of the pool — never pooled in. The pooled
// figure is then a function of published figures and public population only, so no differencing (the pooled area
// minus the other published strata, or one pooled area against another level or set) can recover a hidden
// stratum. The strata left out are named in the figure (strataOmitted). The pooled figure is published only when
// the strata it is built from hold at least MIN_POOLED_COVERAGE of the contained strata's population; otherwise
// it is hidden (suppression 'complementary' when strata were left out for privacy) or missing. The minimum
// respondents rule applies to the pooled n as to any figure. Analysts pool every stratum.
import type { SuppressionReason } from './survey-suppression.js';
import type { OMIT_REASONS, SurveyFigure } from './survey-schema.js';

export const Z95 = 1.959963984540054;
/** The share of the contained strata's population a pooled figure must be built from to be shown. */
export const MIN_POOLED_COVERAGE = 0.9;

export type RawFigure = { respondents: number; value: number; ci_low: number | null; ci_high: number | null };
export type PoolStratum = {
  areaId: number; name: string; population: number | null;
  cur: RawFigure | undefined; prev: RawFigure | undefined;
  /** the stratum's own suppression verdicts for the viewer (complementary suppression within its area) */
  curHidden: SuppressionReason | null; prevHidden: SuppressionReason | null;
};
export type OmitReason = (typeof OMIT_REASONS)[number];

/** The stratified estimate over strata with weights N_h: value, variance (null: a stratum has none) and 95 % CI. */
export function stratifiedEstimate(kind: 'share' | 'mean', parts: { weight: number; figure: RawFigure }[]):
  { value: number; variance: number | null; ciLow: number | null; ciHigh: number | null } | null {
  const total = parts.reduce((s, p) => s + p.weight, 0);
  if (!(total > 0) || parts.some((p) => !(p.figure.respondents > 0))) return null;
  let value = 0, variance: number | null = 0;
  for (const { weight, figure: f } of parts) {
    const w = weight / total;
    value += w * f.value;
    let v: number | null;
    if (kind === 'share') v = (f.value * (1 - f.value)) / f.respondents;
    else v = f.ci_low !== null && f.ci_high !== null ? ((f.ci_high - f.ci_low) / (2 * Z95)) ** 2 : null;
    variance = variance === null || v === null ? null : variance + w * w * v;
  }
  if (variance === null) return { value, variance: null, ciLow: null, ciHigh: null };
  const half = Z95 * Math.sqrt(variance);
  const clip = (x: number) => (kind === 'share' ? Math.min(1, Math.max(0, x)) : x);
  return { value, variance, ciLow: clip(value - half), ciHigh: clip(value + half) };
}

/** Two-sided z-test of two independent estimates with known variances (α 0.05); null when untestable. */
export function estimateDifferenceSignificant(a: { value: number; variance: number | null }, b: { value: number; variance: number | null }): boolean | null {
  if (a.variance === null || b.variance === null) return null;
  const se = Math.sqrt(a.variance + b.variance);
  if (!(se > 0)) return null;
  return Math.abs(a.value - b.value) / se > Z95;
}

/**
 * The pooled figure of one group (current and previous wave) over the strata of an area, in the viewer's view:
 * exact viewers pool every stratum with a result; the others only the strata they may see (see above).
 */
export function pooledFigure(kind: 'share' | 'mean', strata: PoolStratum[], opts: { exact: boolean; minRespondents: number }): SurveyFigure {
  const shown = (f: RawFigure | undefined, hidden: SuppressionReason | null) =>
    !!f && (opts.exact || (hidden === null && f.respondents >= opts.minRespondents));
  const omitted: SurveyFigure['strataOmitted'] = [];
  const used: PoolStratum[] = [];
  for (const s of strata) {
    // a figure hidden from the viewer is 'hidden' whatever it holds (its respondents are not the viewer's to learn)
    const reason: OmitReason | null = s.population === null ? 'no-population'
      : !s.cur ? 'missing'
      : !shown(s.cur, s.curHidden) ? 'hidden'
      : !(s.cur.respondents > 0) ? 'missing' : null;
    if (reason) omitted.push({ areaId: s.areaId, name: s.name, reason }); else used.push(s);
  }
  const known = strata.reduce((a, s) => a + (s.population ?? 0), 0);
  const covered = used.reduce((a, s) => a + s.population!, 0);
  const unknownPopulation = strata.some((s) => s.population === null);
  const none: SurveyFigure = {
    value: null, ciLow: null, ciHigh: null, ciSource: null, respondents: null, previousWaveValue: null, previousRespondents: null,
    differenceSignificant: null, suppressed: false, suppression: null, lowRespondents: false, strataUsed: 0, strataOmitted: omitted,
  };
  if (!used.length || unknownPopulation || !(known > 0) || covered / known < MIN_POOLED_COVERAGE) {
    // too little of the area behind it: hidden when strata were left out for privacy, else simply not available
    const hidden = omitted.some((o) => o.reason === 'hidden');
    return { ...none, suppressed: hidden, suppression: hidden ? 'complementary' : null };
  }
  const cur = stratifiedEstimate(kind, used.map((s) => ({ weight: s.population!, figure: s.cur! })));
  if (!cur) return none;
  const respondents = used.reduce((a, s) => a + s.cur!.respondents, 0);
  const low = respondents < opts.minRespondents;
  if (low && !opts.exact) return { ...none, suppressed: true, suppression: 'primary', lowRespondents: true };
  // the previous wave over the same strata and weights, when every one of them is there and may be seen
  const prevOk = used.every((s) => s.prev && s.prev.respondents > 0 && shown(s.prev, s.prevHidden));
  const prev = prevOk ? stratifiedEstimate(kind, used.map((s) => ({ weight: s.population!, figure: s.prev! }))) : null;
  const prevRespondents = prev ? used.reduce((a, s) => a + s.prev!.respondents, 0) : null;
  return {
    value: cur.value, ciLow: cur.ciLow, ciHigh: cur.ciHigh, ciSource: cur.ciLow === null ? null : 'stratified', respondents,
    previousWaveValue: prev?.value ?? null, previousRespondents: prevRespondents,
    differenceSignificant: prev && kind === 'share' ? estimateDifferenceSignificant(cur, prev) : null,
    suppressed: false, suppression: null, lowRespondents: low, strataUsed: used.length, strataOmitted: omitted,
  };
}
