import { describe, expect, it } from 'vitest';
import { DERIVED_RULES, comparisonPeriod } from '../../../shared/periods.js';
import { addDays } from '../../../shared/dates.js';
import { isPublicPeriod, publicPeriod } from './public-period.js';

describe('publicPeriod', () => {
  it('widens a day range inside one month to that month', () => {
    expect(publicPeriod('2025-03-14', '2025-03-15')).toEqual({ from: '2025-03-01', to: '2025-04-01' });
    expect(publicPeriod('2025-03-01', '2025-04-01')).toEqual({ from: '2025-03-01', to: '2025-04-01' });
  });
  it('gives the same answer for [d, e) and [d, e + 1 day) (no day differencing)', () => {
    for (let e = 2; e <= 27; e++) {
      const d1 = `2025-06-${String(e).padStart(2, '0')}`, d2 = `2025-06-${String(e + 1).padStart(2, '0')}`;
      expect(publicPeriod('2025-06-01', d1)).toEqual(publicPeriod('2025-06-01', d2));
    }
  });
  it('widens two or three months within a quarter to the quarter', () => {
    expect(publicPeriod('2025-04-10', '2025-06-20')).toEqual({ from: '2025-04-01', to: '2025-07-01' });
    expect(publicPeriod('2025-11-01', '2026-01-01')).toEqual({ from: '2025-10-01', to: '2026-01-01' });
  });
  it('widens other spans up to a year to the twelve months ending with the last month asked for', () => {
    expect(publicPeriod('2025-02-01', '2025-05-01')).toEqual({ from: '2024-05-01', to: '2025-05-01' });
    expect(publicPeriod('2025-01-01', '2025-12-31')).toEqual({ from: '2025-01-01', to: '2026-01-01' });
    expect(publicPeriod('2024-12-01', '2025-12-01')).toEqual({ from: '2024-12-01', to: '2025-12-01' });
    // the default "twelve months up to the latest data" touches thirteen months
    expect(publicPeriod('2024-11-30', '2025-11-30')).toEqual({ from: '2024-12-01', to: '2025-12-01' });
  });
  it('widens longer spans to whole calendar years, at most three', () => {
    expect(publicPeriod('2023-03-01', '2025-12-31')).toEqual({ from: '2023-01-01', to: '2026-01-01' });
    expect(publicPeriod('2000-01-01', '2100-01-01')).toEqual({ from: '2097-01-01', to: '2100-01-01' });
    expect(publicPeriod('2024-06-01', '2025-08-01')).toEqual({ from: '2024-01-01', to: '2026-01-01' });
  });
  it('is idempotent and its results are public periods', () => {
    for (const [a, b] of [['2025-03-14', '2025-03-15'], ['2025-02-01', '2025-05-01'], ['2023-03-01', '2025-12-31']]) {
      const p = publicPeriod(a, b);
      expect(isPublicPeriod(p.from, p.to)).toBe(true);
    }
  });
  it('compared by either rule, a public period gives a public period of the same shape (nothing off the grid enters as a baseline)', () => {
    expect(comparisonPeriod({ from: '2025-03-01', to: '2025-04-01' }, 'preceding-equal-length')).toMatchObject({ from: '2025-02-01', to: '2025-03-01' });
    expect(comparisonPeriod({ from: '2025-03-01', to: '2025-04-01' })).toMatchObject({ from: '2024-03-01', to: '2024-04-01' });
    expect(comparisonPeriod({ from: '2025-01-01', to: '2026-01-01' })).toMatchObject({ from: '2024-01-01', to: '2025-01-01' });
    // every public period of 2020–2026 asked for day by day (months, quarters, twelve months, 1–3 years)
    const seen = new Set<string>();
    for (let a = '2020-01-01'; a < '2026-01-01'; a = addDays(a, 9)) {
      for (const n of [1, 40, 80, 200, 400, 800, 1000]) {
        const p = publicPeriod(a, addDays(a, n));
        if (seen.has(`${p.from}|${p.to}`)) continue;
        seen.add(`${p.from}|${p.to}`);
        for (const rule of DERIVED_RULES) {
          const c = comparisonPeriod(p, rule);
          expect(isPublicPeriod(c.from, c.to), `${rule} of ${p.from}..${p.to}: ${c.from}..${c.to}`).toBe(true);
          expect(publicPeriod(c.from, c.to)).toEqual({ from: c.from, to: c.to });
        }
      }
    }
    expect(seen.size).toBeGreaterThan(100);
  });
});
