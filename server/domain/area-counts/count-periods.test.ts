import { describe, expect, it } from 'vitest';
import { alignsWith, parseCountPeriod, periodLabel } from './count-periods.js';

const ok = (s: string) => { const r = parseCountPeriod(s); if (!r.ok) throw new Error(r.reason); return r.value; };

describe('periods of aggregated counts', () => {
  it('reads months, quarters and years as statistics tables write them', () => {
    for (const s of ['2025-03', '2025-3', '2025M03', '2025-03-01', '2025-03-01T00:00:00', ' 2025-03 ']) expect(ok(s), s).toEqual({ granularity: 'month', from: '2025-03-01', to: '2025-04-01' });
    expect(ok('2025-12')).toEqual({ granularity: 'month', from: '2025-12-01', to: '2026-01-01' });
    for (const s of ['2025-Q1', '2025Q1', '2025K1', '2025 K1', '2025-k1', '2025 q1']) expect(ok(s), s).toEqual({ granularity: 'quarter', from: '2025-01-01', to: '2025-04-01' });
    expect(ok('2025K4')).toEqual({ granularity: 'quarter', from: '2025-10-01', to: '2026-01-01' });
    expect(ok('2025')).toEqual({ granularity: 'year', from: '2025-01-01', to: '2026-01-01' });
  });

  it('refuses what is no period, with the reason', () => {
    expect(parseCountPeriod('2025-13')).toEqual({ ok: false, reason: '"2025-13" is not a period (a month is 01–12)' });
    expect(parseCountPeriod('2025K5')).toEqual({ ok: false, reason: '"2025K5" is not a period (a quarter is 1–4)' });
    expect(parseCountPeriod('2025-03-15')).toMatchObject({ ok: false, reason: expect.stringContaining('is a day, not a period') });
    expect(parseCountPeriod('1850')).toMatchObject({ ok: false, reason: expect.stringContaining('year out of range') });
    for (const s of ['', 'mars', '25-03', '2025-03-01-02']) expect(parseCountPeriod(s).ok, s).toBe(false);
  });

  it('tells whether a period is whole months, quarters or years', () => {
    expect(alignsWith('month', '2025-03-01', '2025-04-01')).toBe(true);
    expect(alignsWith('month', '2025-03-05', '2025-04-01')).toBe(false);
    expect(alignsWith('quarter', '2025-01-01', '2025-04-01')).toBe(true);
    expect(alignsWith('quarter', '2025-02-01', '2026-02-01')).toBe(false);
    expect(alignsWith('quarter', '2025-01-01', '2025-03-01')).toBe(false);
    expect(alignsWith('year', '2024-01-01', '2026-01-01')).toBe(true);
    expect(alignsWith('year', '2025-03-01', '2026-03-01')).toBe(false);
  });

  it('labels periods as the counts name them', () => {
    expect(periodLabel({ granularity: 'quarter', from: '2025-07-01' })).toBe('2025-Q3');
    expect(periodLabel({ granularity: 'month', from: '2025-07-01' })).toBe('2025-07');
    expect(periodLabel({ granularity: 'year', from: '2025-01-01' })).toBe('2025');
  });
});

describe('widening to the counts\' periods', () => {
  it('widens a period outward to whole months, quarters or years', async () => {
    const { widenTo } = await import('./count-periods.js');
    expect(widenTo('month', { from: '2025-03-05', to: '2025-03-20' })).toEqual({ from: '2025-03-01', to: '2025-04-01' });
    expect(widenTo('month', { from: '2025-03-01', to: '2025-04-01' })).toEqual({ from: '2025-03-01', to: '2025-04-01' });
    expect(widenTo('quarter', { from: '2025-03-01', to: '2025-04-01' })).toEqual({ from: '2025-01-01', to: '2025-04-01' });
    expect(widenTo('quarter', { from: '2025-02-01', to: '2026-02-01' })).toEqual({ from: '2025-01-01', to: '2026-04-01' });
    expect(widenTo('year', { from: '2024-12-15', to: '2025-12-15' })).toEqual({ from: '2024-01-01', to: '2026-01-01' });
  });
});
