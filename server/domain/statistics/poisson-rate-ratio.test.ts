// The exact rate ratio behind every "change against the previous period" (hand-checked, no database): the arithmetic
// is written out so a reader can verify each number against R's poisson.test.
import { describe, expect, it } from 'vitest';
import { clopperPearson } from './clopper-pearson.js';
import { poissonRateRatio } from './poisson-rate-ratio.js';

describe('exact rate ratio', () => {
  it('10 now vs 20 before: Clopper–Pearson on 10/30, transformed to the ratio (R poisson.test(c(10,20)) gives 0.2090–1.1192)', () => {
    // p̂ = 10/30; lower = B⁻¹(0.025; 10, 21) = 0.17287, upper = B⁻¹(0.975; 11, 20) = 0.52812
    const cp = clopperPearson(10, 30);
    expect(cp.low).toBeCloseTo(0.17287, 4);
    expect(cp.high).toBeCloseTo(0.52812, 4);
    // θ = p/(1−p): 0.17287/0.82713 = 0.20900, 0.52812/0.47188 = 1.11918; ratio 10/20 = 0.5
    const rr = poissonRateRatio(10, 20);
    expect(rr.ratio).toBe(0.5);
    expect(rr.ciLow).toBeCloseTo(0.20900, 4);
    expect(rr.ciHigh).toBeCloseTo(1.11918, 4);
    expect(rr.significant).toBe(false); // the CI contains 1: halving from 20 to 10 is not proven
  });

  it('a doubling of 40 vs 10 is significant; equal exposures scale the ratio', () => {
    const rr = poissonRateRatio(40, 10);
    expect(rr.ratio).toBe(4);
    expect(rr.ciLow!).toBeGreaterThan(1);
    expect(rr.significant).toBe(true);
    // the same counts with twice the population now: rate ratio halves, and so do its bounds
    const pop = poissonRateRatio(40, 10, 2000, 1000);
    expect(pop.ratio).toBe(2);
    expect(pop.ciLow).toBeCloseTo(rr.ciLow! / 2, 10);
  });

  it('3 vs 5 is never called a big change; zero counts give open or empty intervals', () => {
    expect(poissonRateRatio(5, 3).significant).toBe(false);
    expect(poissonRateRatio(0, 0)).toEqual({ ratio: null, ciLow: null, ciHigh: null, significant: false });
    const fromZero = poissonRateRatio(5, 0);
    expect(fromZero.ratio).toBeNull(); // infinite
    expect(fromZero.ciHigh).toBeNull(); // infinite
    // lower bound: p = B⁻¹(0.025; 5, 1) = 0.025^(1/5) = 0.47818 → θ = 0.47818/0.52182 = 0.91636
    expect(fromZero.ciLow).toBeCloseTo(0.025 ** 0.2 / (1 - 0.025 ** 0.2), 6);
    const toZero = poissonRateRatio(0, 5);
    expect(toZero.ratio).toBe(0);
    expect(toZero.ciLow).toBe(0);
    // upper: p = 1 − 0.025^(1/5) = 0.52182 → θ = 0.52182/0.47818 = 1.09128
    expect(toZero.ciHigh).toBeCloseTo((1 - 0.025 ** 0.2) / 0.025 ** 0.2, 6);
  });
});
