// Day arithmetic on calendar days written 'YYYY-MM-DD' (the API's dates: local days in Europe/Stockholm), shared by
// the server and the web map. A day is computed as UTC midnight, so no time zone or summer-time change can move it.
// Periods are [from, to): from inclusive, to exclusive, as the API defines them.

const MS_PER_DAY = 86_400_000;

const utc = (day: string) => new Date(`${day}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The day n days after `day` (n < 0: before). */
export function addDays(day: string, n: number): string {
  const d = utc(day);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
}

/**
 * The same day of the month n months later (n < 0: earlier). A day the target month lacks runs over into the next
 * month, as Date does: 2024-01-31 + 1 month = 2024-03-02. On the first of a month it always gives a first.
 */
export function addMonths(day: string, n: number): string {
  const d = utc(day);
  d.setUTCMonth(d.getUTCMonth() + n);
  return iso(d);
}

/** The same day n years later (n < 0: earlier); 29 February of a year without one becomes 1 March. */
export function addYears(day: string, n: number): string {
  const d = utc(day);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return iso(d);
}

/** The number of days from `from` to `to` (negative when to is earlier): the length of the period [from, to). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}

/** The first day of the month of `day`. */
export function monthStart(day: string): string {
  return `${day.slice(0, 8)}01`;
}

/** The last day of the month of `day`. */
export function monthLastDay(day: string): string {
  return addDays(addMonths(monthStart(day), 1), -1);
}

/**
 * The end (exclusive) of the whole months that cover the days before `day`: `day` itself when it is a first, else
 * the first of the next month. [monthStart(from), monthEndExclusive(to)) is [from, to) widened to whole months.
 */
export function monthEndExclusive(day: string): string {
  return day.endsWith('-01') ? day : addMonths(monthStart(day), 1);
}

/** Whole months from the month of `from` to the month of `to` (2025-01-01 → 2025-04-01: 3). */
export function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

/** The months ('YYYY-MM') with at least one day in [from, to), in order. */
export function monthKeys(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = monthStart(from); m < to; m = addMonths(m, 1)) out.push(m.slice(0, 7));
  return out;
}
