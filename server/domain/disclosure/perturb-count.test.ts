import { describe, expect, it } from 'vitest';
import { cellKey, KEY_MODULUS } from './cell-key.js';
import { maxError, noiseFor, noiseTable, perturbCount } from './perturb-count.js';

const P = { k: 5, base: 5, maxNoise: 1 };

describe('perturbCount', () => {
  it('never publishes 1..k−1 and does not tell 0 from them', () => {
    for (let n = 0; n < 5; n++) for (let ks = 0; ks < 1000; ks += 37) expect(perturbCount(n, ks * 9973, P)).toBeNull();
  });
  it('stays within the stated bound and never below k for counts ≥ k', () => {
    for (let n = 5; n < 400; n++) for (let j = 0; j < 50; j++) {
      const v = perturbCount(n, j * 335_544 + n, P)!;
      expect(v).toBeGreaterThanOrEqual(5);
      expect(v % 5).toBe(0);
      expect(Math.abs(v - n)).toBeLessThanOrEqual(maxError(P));
    }
    expect(maxError(P)).toBe(3);
    expect(maxError({ ...P, maxNoise: 2 })).toBe(4);
  });
  it('is a function of the count and the key sum only (same events, same value)', () => {
    expect(perturbCount(123, 987_654_321, P)).toBe(perturbCount(123, 987_654_321 % KEY_MODULUS, P));
  });
  it('uses a symmetric, zero-mean noise table over the whole key range', () => {
    const t = noiseTable(2);
    expect(t.length).toBe(5);
    expect(t[4]).toBeCloseTo(1, 12);
    let mean = 0;
    for (let i = 0; i < 10_000; i++) mean += noiseFor((i + 0.5) / 10_000, 2);
    expect(Math.abs(mean / 10_000)).toBeLessThan(0.01);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(noiseFor(cellKey(i * 16_777), 2));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
  });
});
