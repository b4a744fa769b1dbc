// Periods as people read them and the period each is compared with: the rule the API, the report, the CSV exports
// and the map all use. Expected values are written out by hand from a calendar, and properties check every day.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from './dates.js';
import { calendarUnit, comparisonLabel, comparisonPeriod, defaultComparisonRule, periodLabel, periodName } from './periods.js';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const anyDay = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2150-01-01T00:00:00Z'), noInvalidDate: true }).map(isoDay);

describe('the comparison period', () => {
  it('of a calendar year is the year before, not the 365 days before', () => {
    expect(comparisonPeriod({ from: '2025-01-01', to: '2026-01-01' })).toEqual({ from: '2024-01-01', to: '2025-01-01', rule: 'same-period-last-year' });
    // a leap year before: 366 days against 365, still the whole year
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(comparisonPeriod({ from: '2024-01-01', to: '2025-01-01' })).toEqual({ from: '2023-01-01', to: '2024-01-01', rule: 'same-period-last-year' });
  });

  it('of a quarter or a month is the same quarter or month one year earlier, February with its leap day', () => {
    expect(comparisonPeriod({ from: '2025-04-01', to: '2025-07-01' })).toEqual({ from: '2024-04-01', to: '2024-07-01', rule: 'same-period-last-year' });
    expect(comparisonPeriod({ from: '2025-01-01', to: '2025-02-01' })).toEqual({ from: '2024-01-01', to: '2024-02-01', rule: 'same-period-last-year' });
    const feb = comparisonPeriod({ from: '2025-02-01', to: '2025-03-01' });
    expect(feb).toEqual({ from: '2024-02-01', to: '2024-03-01', rule: 'same-period-last-year' });
    expect(daysBetween(feb.from, feb.to)).toBe(29);
    expect(comparisonPeriod({ from: '2024-02-01', to: '2024-03-01' })).toEqual({ from: '2023-02-01', to: '2023-03-01', rule: 'same-period-last-year' });
  });

  it('of any other period is the preceding one of equal length: days, or whole months when it is whole months', () => {
    // 90 days
    expect(comparisonPeriod({ from: '2025-03-17', to: '2025-06-15' })).toEqual({ from: '2024-12-17', to: '2025-03-17', rule: 'preceding-equal-length' });
    expect(daysBetween('2024-12-17', '2025-03-17')).toBe(90);
    // twelve months that are not a calendar year; two months; three calendar years
    expect(comparisonPeriod({ from: '2024-07-01', to: '2025-07-01' })).toEqual({ from: '2023-07-01', to: '2024-07-01', rule: 'preceding-equal-length' });
    expect(comparisonPeriod({ from: '2025-02-01', to: '2025-04-01' })).toEqual({ from: '2024-12-01', to: '2025-02-01', rule: 'preceding-equal-length' });
    expect(comparisonPeriod({ from: '2023-01-01', to: '2026-01-01' })).toEqual({ from: '2020-01-01', to: '2023-01-01', rule: 'preceding-equal-length' });
  });

  it('follows a rule asked for by name', () => {
    expect(comparisonPeriod({ from: '2025-04-01', to: '2025-07-01' }, 'preceding-equal-length')).toEqual({ from: '2025-01-01', to: '2025-04-01', rule: 'preceding-equal-length' });
    expect(comparisonPeriod({ from: '2025-03-17', to: '2025-06-15' }, 'same-period-last-year')).toEqual({ from: '2024-03-17', to: '2024-06-15', rule: 'same-period-last-year' });
    // 29 February has no twin: the period starts on the 28th and keeps its end
    expect(comparisonPeriod({ from: '2024-02-29', to: '2024-03-01' }, 'same-period-last-year')).toEqual({ from: '2023-02-28', to: '2023-03-01', rule: 'same-period-last-year' });
  });

  it('always ends no later than the period starts, is not empty, and under the default rule is as long in days or months', () => {
    fc.assert(fc.property(anyDay, fc.integer({ min: 1, max: 1200 }), (from, n) => {
      const to = addDays(from, n);
      const prev = comparisonPeriod({ from, to });
      expect(prev.from < prev.to).toBe(true);
      expect(prev.to <= from).toBe(true);
      expect(prev.rule).toBe(defaultComparisonRule({ from, to }));
      if (prev.rule === 'preceding-equal-length' && !(from.endsWith('-01') && to.endsWith('-01'))) expect(daysBetween(prev.from, prev.to)).toBe(n);
    }));
  });
});

describe('calendar units', () => {
  it('know a month, a quarter, a year and several years, and nothing else', () => {
    expect(calendarUnit({ from: '2025-02-01', to: '2025-03-01' })).toBe('month');
    expect(calendarUnit({ from: '2025-10-01', to: '2026-01-01' })).toBe('quarter');
    expect(calendarUnit({ from: '2025-02-01', to: '2025-05-01' })).toBeNull();
    expect(calendarUnit({ from: '2025-01-01', to: '2026-01-01' })).toBe('year');
    expect(calendarUnit({ from: '2023-01-01', to: '2026-01-01' })).toBe('years');
    expect(calendarUnit({ from: '2024-07-01', to: '2025-07-01' })).toBeNull();
    expect(calendarUnit({ from: '2025-01-02', to: '2026-01-01' })).toBeNull();
  });
});

describe('periods as people read them', () => {
  it('state the last day inclusive', () => {
    expect(periodLabel({ from: '2025-01-01', to: '2026-01-01' }, 'sv')).toBe('1 jan – 31 dec 2025');
    expect(periodLabel({ from: '2025-01-01', to: '2026-01-01' }, 'en')).toBe('1 Jan – 31 Dec 2025');
    expect(periodLabel({ from: '2024-02-01', to: '2024-03-01' }, 'sv')).toBe('1 feb – 29 feb 2024');
    expect(periodLabel({ from: '2024-12-17', to: '2025-03-17' }, 'sv')).toBe('17 dec 2024 – 16 mar 2025');
    expect(periodLabel({ from: '2025-05-01', to: '2025-06-01' }, 'sv')).toBe('1 maj – 31 maj 2025');
    expect(periodLabel({ from: '2025-10-01', to: '2026-01-01' }, 'en')).toBe('1 Oct – 31 Dec 2025');
    expect(periodLabel({ from: '2025-06-14', to: '2025-06-15' }, 'sv')).toBe('14 jun 2025');
  });

  it('name calendar periods by their name, others by their days', () => {
    expect(periodName({ from: '2025-01-01', to: '2026-01-01' }, 'sv')).toBe('2025');
    expect(periodName({ from: '2023-01-01', to: '2026-01-01' }, 'en')).toBe('2023–2025');
    expect(periodName({ from: '2025-01-01', to: '2025-04-01' }, 'sv')).toBe('kvartal 1 2025');
    expect(periodName({ from: '2025-10-01', to: '2026-01-01' }, 'en')).toBe('Q4 2025');
    expect(periodName({ from: '2025-01-01', to: '2025-02-01' }, 'sv')).toBe('jan 2025');
    expect(periodName({ from: '2025-05-01', to: '2025-06-01' }, 'en')).toBe('May 2025');
    expect(periodName({ from: '2025-03-17', to: '2025-06-15' }, 'sv')).toBe('17 mar – 14 jun 2025');
  });

  it('say what is compared with what', () => {
    const y = { from: '2025-01-01', to: '2026-01-01' };
    expect(comparisonLabel(y, comparisonPeriod(y), 'sv')).toBe('2025 jämfört med 2024');
    expect(comparisonLabel(y, comparisonPeriod(y), 'en')).toBe('2025 compared with 2024');
    const m = { from: '2025-01-01', to: '2025-02-01' };
    expect(comparisonLabel(m, comparisonPeriod(m), 'sv')).toBe('jan 2025 jämfört med jan 2024');
    const q = { from: '2025-01-01', to: '2025-04-01' };
    expect(comparisonLabel(q, comparisonPeriod(q), 'sv')).toBe('kvartal 1 2025 jämfört med kvartal 1 2024');
  });
});
