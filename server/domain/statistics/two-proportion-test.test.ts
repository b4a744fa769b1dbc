// The survey's test of a change between two waves, checked by hand.
import { describe, expect, it } from 'vitest';
import { twoProportionTest } from './two-proportion-test.js';

describe('two-proportion test', () => {
  it('two proportions 0.30 (n=400) vs 0.20 (n=400): pooled 0.25, se = √(0.1875·2/400) = 0.030619, z = 3.2660', () => {
    const t = twoProportionTest(0.3, 400, 0.2, 400)!;
    expect(t.z).toBeCloseTo(3.26599, 4);
    expect(t.pValue).toBeCloseTo(0.001091, 5);
    expect(t.significant).toBe(true);
    expect(twoProportionTest(0.3, 40, 0.25, 40)!.significant).toBe(false);
  });
});
