// The day arithmetic the API's periods rest on: a period's length, its previous period, the months a series shows
// and the public's month grid all come from these functions, on the server and in the browser alike.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, addMonths, addYears, daysBetween, monthEndExclusive, monthKeys, monthLastDay, monthsBetween, monthStart } from './dates.js';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
/** Any day of 1900–2200 (the API's date range). */
const anyDay = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map(isoDay);
const anyMonthStart = anyDay.map(monthStart);

describe('addDays and daysBetween', () => {
  it('cross month and year ends and know leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(daysBetween('2025-03-10', '2025-03-01')).toBe(-9);
  });

  it('undo each other for any day and any shift', () => {
    fc.assert(fc.property(anyDay, fc.integer({ min: -40_000, max: 40_000 }), (d, n) => {
      expect(daysBetween(d, addDays(d, n))).toBe(n);
      expect(addDays(addDays(d, n), -n)).toBe(d);
    }));
  });

  describe('in a Stockholm process', () => {
    const tz = process.env.TZ;
    afterEach(() => { if (tz === undefined) delete process.env.TZ; else process.env.TZ = tz; });

    it('are not moved by the summer-time changes: a March with a 23-hour day still has 31 days', () => {
      process.env.TZ = 'Europe/Stockholm';
      expect(addDays('2025-03-30', 1)).toBe('2025-03-31'); // clocks go forward that night
      expect(addDays('2025-10-26', 1)).toBe('2025-10-27'); // and back
      expect(daysBetween('2025-03-01', '2025-04-01')).toBe(31);
      expect(daysBetween('2025-10-01', '2025-11-01')).toBe(31);
    });
  });
});

describe('addMonths and addYears', () => {
  it('keep the day of the month, and twelve months are a year', () => {
    expect(addMonths('2025-03-15', -12)).toBe('2024-03-15');
    expect(addMonths('2025-11-30', 2)).toBe('2026-01-30');
    expect(addYears('2025-03-15', -1)).toBe('2024-03-15');
    fc.assert(fc.property(anyDay, fc.integer({ min: -5, max: 5 }), (d, n) => { expect(addMonths(d, 12 * n)).toBe(addYears(d, n)); }));
  });

  it('run a day the target month lacks over into the next month, as the web map and the server always did', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-03-02');
    expect(addYears('2024-02-29', 1)).toBe('2025-03-01');
    expect(addMonths('2024-02-29', -12)).toBe('2023-03-01');
  });

  it('move a first of a month to a first, whole months apart', () => {
    fc.assert(fc.property(anyMonthStart, fc.integer({ min: -400, max: 400 }), (m, n) => {
      const r = addMonths(m, n);
      expect(r.endsWith('-01')).toBe(true);
      expect(monthsBetween(m, r)).toBe(n);
    }));
  });
});

describe('the month grid', () => {
  it('finds the first and the last day of a month', () => {
    expect(monthStart('2025-07-19')).toBe('2025-07-01');
    expect(monthLastDay('2024-02-10')).toBe('2024-02-29');
    expect(monthLastDay('2025-02-10')).toBe('2025-02-28');
    expect(monthLastDay('2025-12-01')).toBe('2025-12-31');
    expect(monthLastDay('2025-04-30')).toBe('2025-04-30');
  });

  it('widens [from, to) to whole months: to stays when it is a first, else the next first', () => {
    expect(monthEndExclusive('2025-03-01')).toBe('2025-03-01');
    expect(monthEndExclusive('2025-03-02')).toBe('2025-04-01');
    expect(monthEndExclusive('2025-12-31')).toBe('2026-01-01');
    fc.assert(fc.property(anyDay, (d) => {
      const e = monthEndExclusive(d);
      // the smallest first of a month that is not before d
      expect(e >= d && e.endsWith('-01')).toBe(true);
      expect(addMonths(e, -1) < d || e === d).toBe(true);
    }));
  });

  it('counts whole months between two months', () => {
    expect(monthsBetween('2024-11-01', '2025-02-01')).toBe(3);
    expect(monthsBetween('2025-02-01', '2024-11-01')).toBe(-3);
    expect(monthsBetween('2025-01-01', '2025-01-01')).toBe(0);
  });

  it('lists the months with a day in [from, to): an exclusive first of a month is not one of them', () => {
    expect(monthKeys('2024-11-15', '2025-02-01')).toEqual(['2024-11', '2024-12', '2025-01']);
    expect(monthKeys('2024-11-15', '2025-02-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthKeys('2025-05-01', '2025-05-01')).toEqual([]);
    expect(monthKeys('2025-05-10', '2025-05-11')).toEqual(['2025-05']);
  });

  it('lists every month of a period exactly once, whatever the period', () => {
    fc.assert(fc.property(anyDay, fc.integer({ min: 1, max: 3000 }), (from, n) => {
      const to = addDays(from, n);
      const keys = monthKeys(from, to);
      // every day of the period falls in a listed month, and every listed month has a day of the period
      expect(keys[0]).toBe(from.slice(0, 7));
      expect(keys[keys.length - 1]).toBe(addDays(to, -1).slice(0, 7));
      expect(keys.length).toBe(monthsBetween(from, addDays(to, -1)) + 1);
      expect(new Set(keys).size).toBe(keys.length);
    }));
  });
});
