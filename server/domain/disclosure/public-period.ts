// The periods the public may ask for. Any day range would let an attacker difference [d, e) against [d, e + 1 day)
// and, with noise, average many such pairs; so public periods lie on a fixed grid and come in few shapes:
//  - one calendar month,
//  - one calendar quarter,
//  - twelve consecutive months (any month as the start; a calendar year is one of them),
//  - one to three whole calendar years.
// A request is widened to the smallest of these that contains it (its days first widened to whole months), and the
// answer's meta.period says what was counted. The few shapes bound how many different cells contain one month's
// events: a month's count can be estimated from at most a handful of differences, each carrying the noise of
// several cells, never averaged down to the exact value.
import { addMonths, daysBetween, monthEndExclusive, monthsBetween, monthStart } from '../../../shared/dates.js';

export type MonthPeriod = { from: string; to: string };

const ym = (d: string) => ({ y: Number(d.slice(0, 4)), m: Number(d.slice(5, 7)) });
const fmt = (y: number, m: number) => {
  const yy = y + Math.floor((m - 1) / 12), mm = ((((m - 1) % 12) + 12) % 12) + 1;
  return `${String(yy).padStart(4, '0')}-${String(mm).padStart(2, '0')}-01`;
};

export const MAX_PUBLIC_YEARS = 3;


/** The public period that contains [from, to) (to exclusive, local days). */
export function publicPeriod(from: string, to: string): MonthPeriod {
  const a = monthStart(from), b = monthEndExclusive(to);
  const n = Math.max(1, monthsBetween(a, b));
  if (n === 1) return { from: a, to: addMonths(a, 1) };
  const q0 = fmt(ym(a).y, ym(a).m - ((ym(a).m - 1) % 3));
  if (n <= 3 && monthsBetween(q0, b) <= 3) return { from: q0, to: addMonths(q0, 3) };
  // up to a year of days (the common "last 12 months up to the latest data", which touches 13 months): the twelve
  // months ending with the last month asked for
  if (n <= 12 || daysBetween(from, to) <= 366) return { from: addMonths(b, -12), to: b };
  const lastYear = ym(addMonths(b, -1)).y;
  const firstYear = Math.max(ym(a).y, lastYear - MAX_PUBLIC_YEARS + 1);
  return { from: fmt(firstYear, 1), to: fmt(lastYear + 1, 1) };
}

/** True when [from, to) is already one of the public shapes. */
export function isPublicPeriod(from: string, to: string): boolean {
  const p = publicPeriod(from, to);
  return p.from === from && p.to === to;
}
