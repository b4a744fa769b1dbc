// The verdict of a place evaluation: decided from the tests only, and calibrated on simulated Poisson counts — it
// rarely claims a change when there is none and finds a real fall in a busy place.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { decideVerdict } from './evaluation-verdict.js';

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
});
