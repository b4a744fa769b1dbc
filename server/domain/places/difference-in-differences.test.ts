// The difference-in-differences rate ratio of a place against its control area, checked by hand.
import { describe, expect, it } from 'vitest';
import { didRateRatio } from './difference-in-differences.js';

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
