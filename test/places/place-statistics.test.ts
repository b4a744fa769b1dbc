// The pure statistics behind the place evaluation: WDD/WDQ arithmetic checked by hand, the DiD rate ratio, the
// verdict's calibration on simulated Poisson counts, and goal status.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { didRateRatio } from '../../server/domain/places/difference-in-differences.js';
import { evaluationSentence } from '../../server/domain/places/evaluation-sentence.js';
import { decideVerdict } from '../../server/domain/places/evaluation-verdict.js';
import { goalDirection, goalStatus } from '../../server/domain/places/goal-status.js';
import { weightedDisplacementDifference, weightedDisplacementQuotient } from '../../server/domain/places/weighted-displacement.js';

function poisson(rng: () => number, lambda: number): number {
  // Knuth for small λ, normal approximation (rounded, ≥ 0) for large λ
  if (lambda > 50) {
    const u = 1 - rng(), v = rng();
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
  }
  const l = Math.exp(-lambda);
  let k = 0, p = 1;
  do { k++; p *= rng(); } while (p > l);
  return k - 1;
}

describe('weighted displacement difference', () => {
  it('matches the hand calculation (equal periods)', () => {
    // place 40 → 20, ring 30 → 36, control 400 → 380, one year each.
    // kT = 40/400 = 0.1, kD = 30/400 = 0.075, r = 1.
    // ΔT = −20, ΔD = +6, ΔC = −20.
    // local = −20 − 0.1·(−20) = −18; displacement = 6 − 0.075·(−20) = 7.5; WDD = −10.5.
    // Var = 20 + 40 + 36 + 30 + (0.1 + 0.075)²·(380 + 400) = 126 + 0.030625·780 = 149.8875; SE = 12.2429; z = −0.8576.
    const w = weightedDisplacementDifference({
      place: { before: 40, after: 20 }, buffer: { before: 30, after: 36 }, control: { before: 400, after: 380 },
      daysBefore: 365, daysAfter: 365, areas: { place: 2e4, buffer: 2.5e5, control: 4e6 },
    });
    expect(w.local).toBeCloseTo(-18, 10);
    expect(w.displacement).toBeCloseTo(7.5, 10);
    expect(w.wdd).toBeCloseTo(-10.5, 10);
    expect(w.se ** 2).toBeCloseTo(149.8875, 8);
    expect(w.z).toBeCloseTo(-10.5 / Math.sqrt(149.8875), 10);
    expect(w.z).toBeCloseTo(-0.8576, 3);
    expect(w.pValue).toBeCloseTo(0.3911, 3);
    expect(w.significant).toBe(false);
    expect(w.localSe ** 2).toBeCloseTo(20 + 40 + 0.01 * 780, 8);
    expect(w.weights).toMatchObject({ timeRatio: 1, placeToControl: 0.1, bufferToControl: 0.075, basis: { place: 'counts', buffer: 'counts' } });
  });

  it('reduces to Wheeler & Ratcliffe\'s basic example when the control is the place\'s twin', () => {
    // W&R / ptools example: control 20 → 20, treated 20 → 10, no displacement area: WDD = −10, SE = √70.
    const w = weightedDisplacementDifference({
      place: { before: 20, after: 10 }, buffer: { before: 0, after: 0 }, control: { before: 20, after: 20 },
      daysBefore: 100, daysAfter: 100, areas: { place: 1, buffer: 0, control: 1 },
    });
    expect(w.local).toBeCloseTo(-10, 10);
    expect(w.localSe).toBeCloseTo(Math.sqrt(70), 10);
    expect(w.wdd).toBeCloseTo(-10, 10);
  });

  it('scales the before period to the after period\'s length', () => {
    // before 730 days, after 365: r = 0.5. Place 100 → 30: ΔT = 30 − 50 = −20. Control 1000 → 500: ΔC = 0.
    // Var(local) = 30 + 0.25·100 + 0.01·(500 + 0.25·1000) = 55 + 7.5 = 62.5
    const w = weightedDisplacementDifference({
      place: { before: 100, after: 30 }, buffer: { before: 0, after: 0 }, control: { before: 1000, after: 500 },
      daysBefore: 730, daysAfter: 365, areas: { place: 1, buffer: 1, control: 100 },
    });
    expect(w.local).toBeCloseTo(-20, 10);
    expect(w.localSe ** 2).toBeCloseTo(62.5, 10);
    expect(w.weights.basis.buffer).toBe('area');
    expect(w.weights.bufferToControl).toBeCloseTo(0.01, 12);
  });

  it('computes the WDQ by hand and reads its sign as Bowers & Johnson do', () => {
    // success = 20/380 − 40/400 = 0.052632 − 0.1 = −0.047368; displacement = 36/380 − 30/400 = 0.094737 − 0.075 = 0.019737
    // WDQ = 0.019737 / −0.047368 = −0.41667 → displacement (some of the benefit moved into the ring)
    const q = weightedDisplacementQuotient({ before: 40, after: 20 }, { before: 30, after: 36 }, { before: 400, after: 380 });
    expect(q.successMeasure).toBeCloseTo(20 / 380 - 0.1, 12);
    expect(q.displacementMeasure).toBeCloseTo(36 / 380 - 0.075, 12);
    expect(q.wdq).toBeCloseTo(-0.41667, 4);
    expect(q.interpretation).toBe('displacement');
    expect(weightedDisplacementQuotient({ before: 40, after: 20 }, { before: 30, after: 20 }, { before: 400, after: 380 }).interpretation).toBe('diffusion-of-benefits');
    expect(weightedDisplacementQuotient({ before: 20, after: 40 }, { before: 30, after: 36 }, { before: 400, after: 380 }).wdq).toBeNull();
  });
});

describe('difference-in-differences rate ratio', () => {
  it('matches the hand calculation', () => {
    // RR = (20/40)/(380/400) = 0.5/0.95 = 0.526316; SE(log) = √(1/20 + 1/40 + 1/380 + 1/400) = √0.0801316 = 0.283075
    // CI = exp(ln 0.526316 ± 1.959964·0.283075) = 0.3022 … 0.9166
    const r = didRateRatio({ after: 20, before: 40, controlAfter: 380, controlBefore: 400 });
    expect(r.ratio).toBeCloseTo(0.526316, 5);
    expect(r.logSe).toBeCloseTo(0.283075, 5);
    expect(r.ciLow).toBeCloseTo(0.3022, 3);
    expect(r.ciHigh).toBeCloseTo(0.9166, 3);
    expect(r.significant).toBe(true);
    expect(r.direction).toBe('down');
    expect(r.corrected).toBe(false);
  });

  it('adds 0.5 to every count when one is zero and stays finite', () => {
    const r = didRateRatio({ after: 0, before: 6, controlAfter: 100, controlBefore: 100 });
    expect(r.corrected).toBe(true);
    expect(r.ratio).toBeCloseTo((0.5 / 6.5) / (100.5 / 100.5), 10);
    expect(Number.isFinite(r.ciHigh)).toBe(true);
    expect(r.ciHigh).toBeGreaterThan(1); // 6 → 0 is not enough to claim a change
    expect(r.significant).toBe(false);
  });

  it('is unchanged by the period lengths (they cancel)', () => {
    const a = didRateRatio({ after: 30, before: 60, controlAfter: 500, controlBefore: 1000 });
    expect(a.ratio).toBeCloseTo(1, 12);
  });
});

describe('verdict', () => {
  it('decides from the tests only', () => {
    expect(decideVerdict({ before: 150, after: 90 }, { before: 100, after: 100 }, { before: 1000, after: 1000 }).verdict).toBe('improved');
    expect(decideVerdict({ before: 150, after: 90 }, { before: 100, after: 160 }, { before: 1000, after: 1000 }).verdict).toBe('displacement-suspected');
    expect(decideVerdict({ before: 90, after: 150 }, { before: 100, after: 100 }, { before: 1000, after: 1000 }).verdict).toBe('worsened');
    // 5 → 3 is no evidence of anything
    expect(decideVerdict({ before: 5, after: 3 }, { before: 4, after: 4 }, { before: 1000, after: 1000 }).verdict).toBe('no-detectable-change');
    // a general fall everywhere is not the place's doing
    expect(decideVerdict({ before: 150, after: 90 }, { before: 100, after: 60 }, { before: 1000, after: 600 }).verdict).toBe('no-detectable-change');
    expect(decideVerdict({ before: 10, after: 5 }, { before: 4, after: 4 }, { before: 0, after: 10 })).toMatchObject({ verdict: 'no-detectable-change', reason: 'no-control-incidents' });
    expect(decideVerdict({ before: 0, after: 0 }, { before: 0, after: 0 }, { before: 10, after: 10 })).toMatchObject({ verdict: 'no-detectable-change', reason: 'no-incidents' });
  });

  it('rarely claims a change when there is none (simulated Poisson counts, 4,000 runs)', () => {
    const rng = seedrandom('no-effect');
    let claims = 0;
    const runs = 4000;
    for (let i = 0; i < runs; i++) {
      const trend = 0.8 + 0.4 * rng(); // a common trend that the control must absorb
      const c = { before: poisson(rng, 800), after: poisson(rng, 800 * trend) };
      const t = { before: poisson(rng, 40), after: poisson(rng, 40 * trend) };
      const d = { before: poisson(rng, 60), after: poisson(rng, 60 * trend) };
      if (decideVerdict(t, d, c).verdict !== 'no-detectable-change') claims++;
    }
    // nominal: 2.5 % improved + 2.5 % worsened + ≈ 1.3 % displacement ≈ 6 %
    expect(claims / runs).toBeLessThan(0.09);
    expect(claims / runs).toBeGreaterThan(0.02);
  });

  it('finds a 40 % fall in a busy place most of the time (power)', () => {
    const rng = seedrandom('effect');
    let found = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      const c = { before: poisson(rng, 1000), after: poisson(rng, 1000) };
      const t = { before: poisson(rng, 150), after: poisson(rng, 90) };
      const d = { before: poisson(rng, 100), after: poisson(rng, 100) };
      if (decideVerdict(t, d, c).verdict === 'improved') found++;
    }
    expect(found / runs).toBeGreaterThan(0.85);
  });

  it('writes the sentence with the numbers, and without them when suppressed', () => {
    const base = {
      placeName: 'Torget', sourceLabel: { sv: 'anmälda brott', en: 'reported crimes' }, bufferMetres: 250, controlName: 'Husby',
      verdict: 'improved' as const, reason: 'tested' as const, place: { before: 40, after: 20 }, buffer: { before: 30, after: 36 },
      daysBefore: 366, daysAfter: 365, placeRr: { ratio: 0.526, ciLow: 0.302, ciHigh: 0.917 }, bufferRr: { ratio: 1.26, ciLow: 0.77, ciHigh: 2.06 },
    };
    const s = evaluationSentence({ ...base, suppressed: false });
    expect(s.en).toContain('from 40 to 20');
    expect(s.en).toContain('−47 %');
    expect(s.en).toContain('0.3–0.92');
    expect(s.sv).toContain('från 40 till 20');
    expect(s.sv).toContain('0,53');
    expect(s.sv).toContain('statistiskt säkerställd förbättring');
    const h = evaluationSentence({ ...base, suppressed: true, place: null, placeRr: null });
    expect(h.en).not.toMatch(/\d{2}/);
    expect(h.en).toContain('significant improvement');
  });
});

describe('goal status', () => {
  it('takes the goal\'s own direction, else the indicator\'s — never a guess from target vs baseline', () => {
    expect(goalDirection(undefined, 'decrease')).toBe('decrease');
    expect(goalDirection('increase', 'decrease')).toBe('increase');
    expect(goalDirection(undefined, 'increase')).toBe('increase');
    // "at most 10" from a baseline of 3 stays a goal to decrease: already met if the data stay low
    expect(goalStatus({ baseline: 3, target: 10, current: 4, direction: goalDirection(undefined, 'decrease'), final: true, progress: 1 }).status).toBe('met');
  });

  it('is met, missed, on or off track, too early or without baseline', () => {
    const g = { baseline: 40, target: 32, direction: 'decrease' as const };
    expect(goalStatus({ ...g, current: 30, final: true, progress: 1 }).status).toBe('met');
    expect(goalStatus({ ...g, current: 32, final: true, progress: 1 }).status).toBe('met');
    expect(goalStatus({ ...g, current: 33, final: true, progress: 1 }).status).toBe('missed');
    // half-way to the deadline the straight line says 36
    expect(goalStatus({ ...g, current: 36, final: false, progress: 0.5 })).toEqual({ status: 'on-track', expectedNow: 36 });
    expect(goalStatus({ ...g, current: 37, final: false, progress: 0.5 }).status).toBe('off-track');
    expect(goalStatus({ ...g, current: null, final: false, progress: 0 }).status).toBe('too-early');
    expect(goalStatus({ ...g, baseline: null, current: 30, final: true, progress: 1 }).status).toBe('no-baseline');
    const up = { baseline: 0.5, target: 0.7, direction: 'increase' as const };
    expect(goalStatus({ ...up, current: 0.71, final: true, progress: 1 }).status).toBe('met');
    expect(goalStatus({ ...up, current: 0.55, final: false, progress: 0.5 }).status).toBe('off-track');
  });
});
