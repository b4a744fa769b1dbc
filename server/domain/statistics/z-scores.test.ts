// The z-scores the divergence map compares insecurity and crime by, checked by hand.
import { describe, expect, it } from 'vitest';
import { zScores } from './z-scores.js';

describe('z-scores', () => {
  it('z-scores: [1, 2, 3] → mean 2, population sd √(2/3) → ±1.2247; nulls stay null', () => {
    const z = zScores([1, 2, null, 3]);
    expect(z[0]).toBeCloseTo(-1.224745, 5);
    expect(z[1]).toBe(0);
    expect(z[2]).toBeNull();
    expect(z[3]).toBeCloseTo(1.224745, 5);
    expect(zScores([4, 4])).toEqual([null, null]);
  });
});
