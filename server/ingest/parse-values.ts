// Parsers for the values in import files. Each returns the value or the reason it is not acceptable, phrased to
// follow the quoted input: `"2025-13-01" is not a date`.
import { stockholmLocalToUtc } from './local-time.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * ISO 8601 date or date-time, with or without an offset; without one it is Europe/Stockholm local time.
 * A date alone is local midnight. Rejects impossible calendar values and years outside 1900–2100.
 */
export function parseInstant(raw: string): Parsed<Date> {
  const s = raw.trim();
  const q = JSON.stringify(raw.length > 60 ? raw.slice(0, 60) + '…' : raw);
  if (/^[+-]?\d{5,}-/.test(s)) return { ok: false, reason: `${q} is not a date (year out of range ${MIN_YEAR}–${MAX_YEAR})` };
  const m = ISO.exec(s);
  if (!m) return { ok: false, reason: `${q} is not a date (use ISO 8601, e.g. 2025-03-01T18:30:00+01:00)` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, sec] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return { ok: false, reason: `${q} is not a date` };
  if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, reason: `${q} is not a date (year out of range ${MIN_YEAR}–${MAX_YEAR})` };
  const tz = m[8];
  let t: number;
  if (!tz) t = stockholmLocalToUtc(y, mo, d, h, mi, sec, ms);
  else {
    const wall = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
    if (tz === 'Z' || tz === 'z') t = wall;
    else {
      const sign = tz[0] === '-' ? -1 : 1;
      const digits = tz.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2)), om = Number(digits.slice(2) || 0);
      if (oh > 14 || om > 59) return { ok: false, reason: `${q} has an impossible UTC offset` };
      t = wall - sign * (oh * 60 + om) * 60000;
    }
  }
  return { ok: true, value: new Date(t) };
}

const NUM = /^[+-]?(\d+([.]\d*)?|[.]\d+)([eE][+-]?\d+)?$/;

/** A finite decimal number ("NaN", "Infinity", "1e999" and the empty string are refused). decimalComma: "674032,5". */
export function parseFiniteNumber(raw: string, decimalComma = false): Parsed<number> {
  const s0 = raw.trim();
  const s = decimalComma && /^[+-]?\d+,\d+$/.test(s0) ? s0.replace(',', '.') : s0;
  const q = JSON.stringify(raw.length > 40 ? raw.slice(0, 40) + '…' : raw);
  if (!NUM.test(s)) return { ok: false, reason: `${q} is not a finite number` };
  const v = Number(s);
  if (!Number.isFinite(v)) return { ok: false, reason: `${q} is not a finite number` };
  return { ok: true, value: v };
}

export function parseBool(raw: string): Parsed<boolean> {
  const s = raw.trim().toLowerCase();
  if (['true', 't', '1', 'yes', 'y', 'ja', 'j'].includes(s)) return { ok: true, value: true };
  if (['false', 'f', '0', 'no', 'n', 'nej'].includes(s)) return { ok: true, value: false };
  return { ok: false, reason: `${JSON.stringify(raw)} is not true/false` };
}

export function parseIntStrict(raw: string, min: number, max: number): Parsed<number> {
  const s = raw.trim();
  if (!/^[+-]?\d+$/.test(s)) return { ok: false, reason: `${JSON.stringify(raw)} is not a whole number` };
  const v = Number(s);
  if (v < min || v > max) return { ok: false, reason: `${JSON.stringify(raw)} is outside ${min}–${max}` };
  return { ok: true, value: v };
}
