// Turns optional from/to into a concrete period. from is inclusive, to exclusive (local days, Europe/Stockholm).
// Defaults: to = the day after the latest incident of the source (or today), from = one year before to.
import type { Queryable } from '../../db/index.js';
import { addDays, addYears, daysBetween } from '../../../shared/dates.js';
import { invalid } from '../problems.js';
import type { Period } from './period-schema.js';

// the day arithmetic lives in shared/dates.ts; re-exported for the report code that still imports it from here
export { addDays, addYears, daysBetween };

export type { Period };

// (the period a period is compared with: comparison.ts, by the rule of shared/periods.ts)

export async function resolvePeriod(db: Queryable, source: string, from?: string, to?: string): Promise<Period> {
  let end = to;
  if (!end) {
    if (from) end = addYears(from, 1);
    else {
      const r = await db.query<{ d: string | null }>(
        `SELECT ((max(occurred_from) AT TIME ZONE 'Europe/Stockholm')::date + 1)::text AS d FROM incidents WHERE source = $1`, [source]);
      end = r.rows[0]?.d ?? new Date().toISOString().slice(0, 10);
    }
  }
  const start = from ?? addYears(end, -1);
  const days = daysBetween(start, end);
  if (days <= 0) throw invalid(`"from" (${start}) must be before "to" (${end}); "to" is exclusive.`, [{ field: 'to', message: 'must be after from' }]);
  // API clients ask for "everything" with wide spans (e.g. 2000-01-01..2100-01-01): allow the whole date domain
  if (days > 366 * 300) throw invalid('The period may be at most 300 years long.', [{ field: 'from', message: 'period too long' }]);
  return { from: start, to: end, days };
}
