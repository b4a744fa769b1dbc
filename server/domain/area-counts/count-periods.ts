// The periods of aggregated counts (counts per area and period, as statistics databases publish them): a calendar
// month, quarter or year, read from the ways such tables write them — `2025-03`, `2025M03`, `2025-03-01` (a month's
// first day, as a spreadsheet date), `2025-Q1`, `2025Q1`, `2025K1`, `2025 K1` (kvartal), `2025`. Pure: used by the
// import (server/ingest/kinds/area-counts.ts) and by the statistics that read the counts (area-counts.ts).
import { addDays, addMonths, monthsBetween } from '../../../shared/dates.js';

export const GRANULARITIES = ['month', 'quarter', 'year'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** A count's period: [from, to) as local days, and its granularity. */
export type CountPeriod = { granularity: Granularity; from: string; to: string };

export const GRANULARITY_MONTHS: Record<Granularity, number> = { month: 1, quarter: 3, year: 12 };
export const GRANULARITY_LABELS: Record<Granularity, { sv: string; en: string }> = {
  month: { sv: 'per månad', en: 'per month' },
  quarter: { sv: 'per kvartal', en: 'per quarter' },
  year: { sv: 'per år', en: 'per year' },
};

const pad = (n: number) => String(n).padStart(2, '0');
const MIN_YEAR = 1900, MAX_YEAR = 2100;

/** A period as written in a file, or the reason it is not one (phrased to follow the quoted value). */
export function parseCountPeriod(raw: string): { ok: true; value: CountPeriod } | { ok: false; reason: string } {
  const s = raw.trim().toUpperCase().replace(/\s+/g, ' ');
  const q = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
  const bad = { ok: false as const, reason: `${q} is not a period (a month 2025-03, a quarter 2025-Q1 or 2025K1, or a year 2025)` };
  let m: RegExpExecArray | null;
  let y: number, first: number, months: number, granularity: Granularity;
  if ((m = /^(\d{4})$/.exec(s))) { y = Number(m[1]); first = 1; months = 12; granularity = 'year'; }
  else if ((m = /^(\d{4}) ?[-/]? ?[QK] ?(\d)$/.exec(s))) {
    y = Number(m[1]); const n = Number(m[2]);
    if (n < 1 || n > 4) return { ok: false, reason: `${q} is not a period (a quarter is 1–4)` };
    first = (n - 1) * 3 + 1; months = 3; granularity = 'quarter';
  } else if ((m = /^(\d{4})(?:-|M|-M)(\d{1,2})(?:-01(?:T00:00(?::00)?)?)?$/.exec(s))) {
    y = Number(m[1]); first = Number(m[2]);
    if (first < 1 || first > 12) return { ok: false, reason: `${q} is not a period (a month is 01–12)` };
    months = 1; granularity = 'month';
  } else if (/^\d{4}-\d{2}-\d{2}/.test(s)) return { ok: false, reason: `${q} is a day, not a period (a month is written 2025-03 or as its first day 2025-03-01)` };
  else return bad;
  if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, reason: `${q} is not a period (year out of range ${MIN_YEAR}–${MAX_YEAR})` };
  const from = `${y}-${pad(first)}-01`;
  return { ok: true, value: { granularity, from, to: addMonths(from, months) } };
}

/** True when [from, to) is whole periods of the granularity (calendar months, quarters or years). */
export function alignsWith(g: Granularity, from: string, to: string): boolean {
  const step = GRANULARITY_MONTHS[g];
  const starts = (d: string) => d.slice(8) === '01' && (Number(d.slice(5, 7)) - 1) % step === 0;
  return starts(from) && starts(to) && monthsBetween(from, to) > 0 && monthsBetween(from, to) % step === 0;
}

/** [from, to) widened outward to whole periods of the granularity (2025-03-05..2025-03-20 by quarter: 2025-01-01..2025-04-01). */
export function widenTo(g: Granularity, p: { from: string; to: string }): { from: string; to: string } {
  const step = GRANULARITY_MONTHS[g];
  const start = (d: string) => { const m = Number(d.slice(5, 7)) - 1; return `${d.slice(0, 4)}-${pad(m - (m % step) + 1)}-01`; };
  const from = start(p.from);
  const lastDay = addDays(p.to, -1);
  return { from, to: addMonths(start(lastDay), step) };
}

/** A period as the counts' own label: 2025-03, 2025-Q1, 2025. */
export function periodLabel(p: { granularity: Granularity; from: string }): string {
  const y = p.from.slice(0, 4), mo = Number(p.from.slice(5, 7));
  return p.granularity === 'year' ? y : p.granularity === 'quarter' ? `${y}-Q${(mo - 1) / 3 + 1}` : `${y}-${pad(mo)}`;
}
