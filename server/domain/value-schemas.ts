// zod pieces for values that the domain's own input schemas (a place, a goal, a measure) share with the routes'
// parameter parsing (the HTTP edge's shared query schemas re-export them): one rule for a calendar date and for an id.
import { z } from 'zod';

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && s >= '1900-01-01' && s <= '2200-01-01';
}, 'not a real date between 1900 and 2200');
export const numericId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** Free text as people type it: trimmed, at most max characters. */
export const trimmedText = (max: number) => z.string().trim().max(max);
