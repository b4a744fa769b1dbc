// The period filter: what "last 30 days", "last 12 months" and "calendar year" mean relative to the latest data,
// the comparison year, and the time slider's month steps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween } from '../../../shared/dates.js';
import { baselinePeriod, compareParams, inclusivePeriodText, isIsoDate, monthSteps, periodText, presetPeriod, PRESETS, stepText, type Comparison } from './period.js';

// `end` is exclusive: the day after the latest data (here the latest incident is on 2025-06-14)
const END = '2025-06-15';

describe('presets', () => {
  it('end the day after the latest data and reach back 30 days, 90 days or 12 months', () => {
    expect(presetPeriod('30d', END)).toEqual({ from: '2025-05-16', to: END });
    expect(daysBetween(presetPeriod('30d', END).from, END)).toBe(30);
    expect(daysBetween(presetPeriod('90d', END).from, END)).toBe(90);
    expect(presetPeriod('12m', END)).toEqual({ from: '2024-06-15', to: END });
  });

  it('"calendar year" is the last complete year before the latest data, also on 1 January', () => {
    expect(presetPeriod('year', END)).toEqual({ from: '2024-01-01', to: '2025-01-01' });
    expect(presetPeriod('year', '2025-01-01')).toEqual({ from: '2024-01-01', to: '2025-01-01' });
    expect(presetPeriod('year', '2025-12-31')).toEqual({ from: '2024-01-01', to: '2025-01-01' });
  });

  it('every preset gives a period that ends at the data and is not empty', () => {
    for (const p of PRESETS) {
      const r = presetPeriod(p, END);
      expect(r.from < r.to, p).toBe(true);
      expect(r.to <= END, p).toBe(true);
    }
  });
});

describe('what a period is compared with', () => {
  const auto: Comparison = { compareRule: 'auto', compareFrom: '', compareTo: '' };
  it('by default: a calendar year, quarter or month against the same one a year earlier, other periods against the equally long one before', () => {
    expect(baselinePeriod({ from: '2025-01-01', to: '2026-01-01' }, auto)).toEqual({ from: '2024-01-01', to: '2025-01-01' });
    expect(baselinePeriod({ from: '2025-02-01', to: '2025-03-01' }, auto)).toEqual({ from: '2024-02-01', to: '2024-03-01' });
    expect(baselinePeriod({ from: '2025-03-17', to: '2025-06-15' }, auto)).toEqual({ from: '2024-12-17', to: '2025-03-17' });
    expect(compareParams(auto)).toEqual({});
  });

  it('by a rule chosen by name, or a baseline of one\'s own — and says so to the API', () => {
    const pre: Comparison = { ...auto, compareRule: 'preceding-equal-length' };
    expect(baselinePeriod({ from: '2025-01-01', to: '2026-01-01' }, pre)).toEqual({ from: '2024-01-01', to: '2025-01-01' });
    expect(baselinePeriod({ from: '2025-04-01', to: '2025-07-01' }, pre)).toEqual({ from: '2025-01-01', to: '2025-04-01' });
    expect(compareParams(pre)).toEqual({ compare: 'preceding-equal-length' });
    const last: Comparison = { ...auto, compareRule: 'same-period-last-year' };
    expect(baselinePeriod({ from: '2024-06-15', to: '2025-06-15' }, last)).toEqual({ from: '2023-06-15', to: '2024-06-15' });
    const custom: Comparison = { compareRule: 'custom', compareFrom: '2022-01-01', compareTo: '2022-07-01' };
    expect(baselinePeriod({ from: '2025-01-01', to: '2026-01-01' }, custom)).toEqual({ from: '2022-01-01', to: '2022-07-01' });
    expect(compareParams(custom)).toEqual({ compareFrom: '2022-01-01', compareTo: '2022-07-01' });
    // a custom choice without valid dates falls back to the default rule
    const half: Comparison = { compareRule: 'custom', compareFrom: '2022-01-01', compareTo: '' };
    expect(compareParams(half)).toEqual({});
    expect(baselinePeriod({ from: '2025-01-01', to: '2026-01-01' }, half)).toEqual({ from: '2024-01-01', to: '2025-01-01' });
  });
});

describe('periods as the map shows them', () => {
  it('state the last day inclusive, never the exclusive end', () => {
    expect(periodText({ from: '2025-01-01', to: '2026-01-01' }, 'sv')).toBe('1 jan – 31 dec 2025');
    expect(periodText({ from: '2025-01-01', to: '2026-01-01' }, 'en')).toBe('1 Jan – 31 Dec 2025');
    expect(periodText({ from: '2024-06-15', to: '2025-06-15' }, 'sv')).toBe('15 jun 2024 – 14 jun 2025');
    // the place evaluation's periods include both ends already
    expect(inclusivePeriodText({ from: '2024-01-01', to: '2024-12-31' }, 'sv')).toBe('1 jan – 31 dec 2024');
  });

  it('name the slider\'s month steps', () => {
    expect(stepText({ from: '2025-03-01', to: '2025-04-01' }, 'sv')).toBe('mar 2025');
    expect(stepText({ from: '2025-05-01', to: '2025-06-01' }, 'en')).toBe('May 2025');
    expect(stepText({ from: '2025-03-15', to: '2025-04-01' }, 'sv')).toBe('15 mar – 31 mar 2025');
  });
});

describe('the time slider\'s month steps', () => {
  it('start and end with the period, clipped to it, and step by calendar month', () => {
    expect(monthSteps('2024-11-15', '2025-02-10')).toEqual([
      { from: '2024-11-15', to: '2024-12-01' },
      { from: '2024-12-01', to: '2025-01-01' },
      { from: '2025-01-01', to: '2025-02-01' },
      { from: '2025-02-01', to: '2025-02-10' },
    ]);
    // a period of whole months has no partial step
    expect(monthSteps('2025-01-01', '2025-04-01').map((s) => s.from)).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
  });

  it('cover the period exactly: no gap, no overlap, every step inside it', () => {
    const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(fc.property(day, fc.integer({ min: 1, max: 2000 }), (from, n) => {
      const to = new Date(Date.parse(`${from}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
      const steps = monthSteps(from, to);
      expect(steps[0].from).toBe(from);
      expect(steps[steps.length - 1].to).toBe(to);
      for (let i = 1; i < steps.length; i++) expect(steps[i].from).toBe(steps[i - 1].to);
      for (const s of steps) expect(s.from < s.to).toBe(true);
    }));
  });

  it('stop at 400 months for an absurd period instead of freezing the page', () => {
    expect(monthSteps('1900-01-01', '2200-01-01')).toHaveLength(400);
  });
});

describe('dates from the URL', () => {
  it('accept YYYY-MM-DD only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    for (const bad of [null, undefined, '', '2024-2-01', '2024-13-01', '24-01-01', '2024-01-01T00:00', '2024/01/01', 'yesterday', '2024-02-30', '2025-02-29', '2024-04-31']) {
      expect(isIsoDate(bad), String(bad)).toBe(false);
    }
  });
});
