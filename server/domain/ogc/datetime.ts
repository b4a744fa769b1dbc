// The OGC `datetime` parameter: an instant (date or RFC 3339 date-time) or an interval `start/end` with open ends
// `..` (or empty). Dates mean whole local days (Europe/Stockholm), the same days the rest of the API counts in.
import { invalid } from '../problems.js';
import { addDays } from '../../../shared/dates.js';

export type TimeBound = { kind: 'date'; day: string } | { kind: 'datetime'; at: Date; text: string };
export type DatetimeFilter = { start: TimeBound | null; end: TimeBound | null; instant: boolean };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function bad(why: string) {
  return invalid(`Parameter "datetime" ${why}. Use an instant (2024-05-01 or 2024-05-01T12:00:00Z) or an interval (2024-01-01/2024-12-31, ../2024-12-31, 2024-01-01/..).`,
    [{ field: 'datetime', message: why }]);
}

function realDate(y: string, m: string, d: string): boolean {
  const t = new Date(`${y}-${m}-${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(`${y}-${m}-${d}`) && y >= '1900' && y <= '2200';
}

function parseBound(s: string): TimeBound {
  let m = DATE.exec(s);
  if (m) {
    if (!realDate(m[1], m[2], m[3])) throw bad(`has "${s}", which is not a real date between 1900 and 2200`);
    return { kind: 'date', day: s };
  }
  m = DATE_TIME.exec(s);
  if (m) {
    const at = new Date(s);
    if (!realDate(m[1], m[2], m[3]) || Number.isNaN(at.getTime()) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) {
      throw bad(`has "${s}", which is not a real date-time`);
    }
    return { kind: 'datetime', at, text: s };
  }
  throw bad(`has "${s.slice(0, 60)}", which is neither a date nor an RFC 3339 date-time with a time zone`);
}

/** Parses `datetime`; undefined → null (no filter). */
export function parseDatetime(value: string | undefined): DatetimeFilter | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (v === '' || v.length > 100) throw bad(v === '' ? 'is empty' : 'is too long');
  const parts = v.split('/');
  if (parts.length === 1) {
    if (v === '..') throw bad('is ".." alone; an open end needs the other end');
    const b = parseBound(v);
    return { start: b, end: b, instant: true };
  }
  if (parts.length !== 2) throw bad(`has ${parts.length - 1} slashes`);
  const open = (s: string) => s === '..' || s === '';
  if (open(parts[0]) && open(parts[1])) throw bad('is open at both ends');
  const start = open(parts[0]) ? null : parseBound(parts[0]);
  const end = open(parts[1]) ? null : parseBound(parts[1]);
  if (start && end && startMs(start) > endMs(end)) throw bad('ends before it starts');
  return { start, end, instant: false };
}

// comparable instants (a date taken at UTC midnight is precise enough to order bounds)
function startMs(b: TimeBound): number { return b.kind === 'date' ? Date.parse(`${b.day}T00:00:00Z`) : b.at.getTime(); }
function endMs(b: TimeBound): number { return b.kind === 'date' ? Date.parse(`${addDays(b.day, 1)}T00:00:00Z`) - 1 : b.at.getTime(); }

/**
 * SQL conditions on a timestamptz column: a date start is local midnight (inclusive), a date end the whole local day
 * (exclusive next midnight), a date-time inclusive at both ends. Parameters are numbered from firstParam.
 */
export function datetimeSql(f: DatetimeFilter, column: string, firstParam: number): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  const next = () => `$${firstParam + params.length}`;
  if (f.start) {
    if (f.start.kind === 'date') { sql.push(`${column} >= (${next()}::date)::timestamp AT TIME ZONE 'Europe/Stockholm'`); params.push(f.start.day); }
    else { sql.push(`${column} >= ${next()}::timestamptz`); params.push(f.start.at); }
  }
  if (f.end) {
    if (f.end.kind === 'date') { sql.push(`${column} < (${next()}::date + 1)::timestamp AT TIME ZONE 'Europe/Stockholm'`); params.push(f.end.day); }
    else { sql.push(`${column} <= ${next()}::timestamptz`); params.push(f.end.at); }
  }
  return { sql, params };
}

/**
 * For aggregate collections: the datetime as whole local days, from inclusive / to exclusive (the /api/stats
 * convention). Open ends are left undefined for resolvePeriod to fill (one year from the given end).
 */
export function datetimeToDays(f: DatetimeFilter): { from?: string; to?: string } {
  const day = (b: TimeBound) => {
    if (b.kind !== 'date') throw bad('must use dates (YYYY-MM-DD) for aggregate collections, which count whole local days');
    return b.day;
  };
  return { from: f.start ? day(f.start) : undefined, to: f.end ? addDays(day(f.end), 1) : undefined };
}
