import { describe, expect, it } from 'vitest';
import { MIN_POOLED_COVERAGE, pooledFigure, stratifiedEstimate, Z95, type PoolStratum } from './survey-pooling.js';
import { classifyBasis } from './survey-basis.js';

const fig = (respondents: number, value: number, ci: [number, number] | null = null) => ({ respondents, value, ci_low: ci?.[0] ?? null, ci_high: ci?.[1] ?? null });
const stratum = (areaId: number, population: number | null, cur: ReturnType<typeof fig> | undefined, extra: Partial<PoolStratum> = {}): PoolStratum =>
  ({ areaId, name: `S${areaId}`, population, cur, prev: undefined, curHidden: null, prevHidden: null, ...extra });
const exact = { exact: true, minRespondents: 30 }, pub = { exact: false, minRespondents: 30 };

describe('stratified survey estimate', () => {
  it('weights each stratum by its population, not by its respondents', () => {
    // a small stratum with many respondents must not dominate: 1,000 people at 0.2 and 9,000 at 0.6
    const e = stratifiedEstimate('share', [{ weight: 1000, figure: fig(500, 0.2) }, { weight: 9000, figure: fig(50, 0.6) }])!;
    expect(e.value).toBeCloseTo(0.1 * 0.2 + 0.9 * 0.6, 12);
    const v = 0.1 ** 2 * (0.2 * 0.8) / 500 + 0.9 ** 2 * (0.6 * 0.4) / 50;
    expect(e.variance).toBeCloseTo(v, 15);
    expect(e.ciLow).toBeCloseTo(e.value - Z95 * Math.sqrt(v), 12);
    expect(e.ciHigh).toBeCloseTo(e.value + Z95 * Math.sqrt(v), 12);
  });

  it('clips a share CI to [0, 1]; a mean takes each stratum variance from its CI, and has none without', () => {
    const e = stratifiedEstimate('share', [{ weight: 1, figure: fig(3, 0.02) }])!;
    expect(e.ciLow).toBe(0);
    const m = stratifiedEstimate('mean', [{ weight: 2, figure: fig(100, 3, [2.8, 3.2]) }, { weight: 1, figure: fig(100, 4, [3.6, 4.4]) }])!;
    const se = (w: number) => w / (2 * Z95);
    expect(m.value).toBeCloseTo((2 * 3 + 4) / 3, 12);
    expect(m.variance).toBeCloseTo((2 / 3) ** 2 * se(0.4) ** 2 + (1 / 3) ** 2 * se(0.8) ** 2, 14);
    expect(stratifiedEstimate('mean', [{ weight: 2, figure: fig(100, 3) }, { weight: 1, figure: fig(100, 4, [3.6, 4.4]) }])!.ciLow).toBeNull();
  });
});

describe('pooled survey figure', () => {
  const strata = [stratum(1, 10_000, fig(400, 0.3)), stratum(2, 5_000, fig(200, 0.5)), stratum(3, 200, fig(12, 0.9))];

  it('exact viewers pool every stratum: n is the sum, the value the population-weighted mean', () => {
    const f = pooledFigure('share', strata, exact);
    expect(f.respondents).toBe(612);
    expect(f.value).toBeCloseTo((10_000 * 0.3 + 5_000 * 0.5 + 200 * 0.9) / 15_200, 12);
    expect([f.strataUsed, f.strataOmitted, f.ciSource, f.suppressed]).toEqual([3, [], 'stratified', false]);
  });

  it('the public never gets a hidden stratum pooled in, so "pooled minus the published strata" recovers nothing', () => {
    const f = pooledFigure('share', strata, pub);
    expect(f.strataOmitted).toEqual([{ areaId: 3, name: 'S3', reason: 'hidden' }]);
    expect(f.respondents).toBe(600);
    expect(f.value).toBeCloseTo((10_000 * 0.3 + 5_000 * 0.5) / 15_000, 12);
    // the attack: (pooled·ΣN − Σ published N_h p_h) / N_3 — with the stratum left out it gives nothing like 0.9
    const derived = (f.value! * 15_200 - 10_000 * 0.3 - 5_000 * 0.5) / 200;
    expect(Math.abs(derived - 0.9)).toBeGreaterThan(0.1);
    // a stratum hidden by complementary suppression in its own area is left out as well
    const comp = pooledFigure('share', [strata[0], { ...strata[1], curHidden: 'complementary' }], pub);
    expect(comp.value).toBeNull(); // 10,000 of 15,000 is below the coverage needed
    expect([comp.suppressed, comp.suppression]).toEqual([true, 'complementary']);
  });

  it(`is shown only when the strata used hold at least ${MIN_POOLED_COVERAGE * 100} % of the population`, () => {
    const ok = pooledFigure('share', [stratum(1, 9_000, fig(100, 0.4)), stratum(2, 1_000, fig(10, 0.5))], pub);
    expect(ok.value).toBeCloseTo(0.4, 12);
    const no = pooledFigure('share', [stratum(1, 8_000, fig(100, 0.4)), stratum(2, 2_000, fig(10, 0.5))], pub);
    expect([no.value, no.respondents, no.suppressed]).toEqual([null, null, true]);
    // a stratum without a result is not a privacy matter: missing, not suppressed
    const missing = pooledFigure('share', [stratum(1, 8_000, fig(100, 0.4)), stratum(2, 2_000, undefined)], pub);
    expect([missing.value, missing.suppressed, missing.strataOmitted[0].reason]).toEqual([null, false, 'missing']);
    // an unknown population leaves the weights unknown: no figure
    expect(pooledFigure('share', [stratum(1, 8_000, fig(100, 0.4)), stratum(2, null, fig(100, 0.5))], exact).value).toBeNull();
  });

  it('compares with the previous wave over the same strata and weights, by the stratified variances', () => {
    const s = [stratum(1, 6_000, fig(400, 0.40), { prev: fig(400, 0.30) }), stratum(2, 4_000, fig(300, 0.50), { prev: fig(300, 0.42) })];
    const f = pooledFigure('share', s, pub);
    expect(f.previousWaveValue).toBeCloseTo(0.6 * 0.30 + 0.4 * 0.42, 12);
    expect(f.previousRespondents).toBe(700);
    const v = (a: number, b: number) => 0.36 * a * (1 - a) / 400 + 0.16 * b * (1 - b) / 300;
    const z = (f.value! - f.previousWaveValue!) / Math.sqrt(v(0.4, 0.5) + v(0.3, 0.42));
    expect(f.differenceSignificant).toBe(Math.abs(z) > Z95);
    expect(f.differenceSignificant).toBe(true);
    // a previous wave missing in one stratum: no previous value rather than one over other strata
    const g = pooledFigure('share', [s[0], { ...s[1], prev: undefined }], pub);
    expect([g.previousWaveValue, g.differenceSignificant]).toEqual([null, null]);
  });
});

describe('survey basis from the overlap of an area with the survey areas', () => {
  const o = (surveyId: number, interM2: number, surveyM2: number, surveyPointInArea: boolean, areaPointInSurvey = false) =>
    ({ surveyId, interM2, surveyM2, surveyPointInArea, areaPointInSurvey });

  it('an area inside one survey area borrows it; one made of survey areas pools them; a partial overlap is not available', () => {
    expect(classifyBasis(100, [o(7, 95, 1000, false, true), o(8, 5, 900, false)])).toMatchObject({ kind: 'containing', from: 7 });
    expect(classifyBasis(1000, [o(1, 500, 510, true), o(2, 480, 490, true), o(3, 8, 700, false)])).toMatchObject({ kind: 'pooled', strata: [1, 2] });
    // a survey area split between two areas (as Akalla between Rinkeby-Kista and Spånga-Tensta 2020)
    const split = classifyBasis(1000, [o(1, 600, 610, true), o(2, 300, 700, true), o(3, 100, 500, false)]);
    expect(split.kind).toBe('not-available');
    expect(split.overlapping).toEqual([1, 2, 3]);
    // a larger area that survey areas cover only in part (a county around a city)
    expect(classifyBasis(10_000, [o(1, 500, 500, true), o(2, 400, 400, true)]).kind).toBe('not-available');
    expect(classifyBasis(100, []).kind).toBe('not-available');
  });
});
