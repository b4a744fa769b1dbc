// The Weighted Displacement Difference and Quotient of a place evaluation, checked by hand against the papers'
// formulas (Wheeler & Ratcliffe 2018, Bowers & Johnson 2003).
import { describe, expect, it } from 'vitest';
import { weightedDisplacementDifference, weightedDisplacementQuotient } from './weighted-displacement.js';

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
