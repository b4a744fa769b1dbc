// Query-parameter pieces shared by many routes, so every route validates them the same way.
import { z } from 'zod';
import { CATEGORY_CODE_CHAR as C } from '../../shared/categories.js';
import { SOURCES } from '../../shared/sources.js';

export const areaSetId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'an area-set id: lower-case letters, digits, - and _');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && s >= '1900-01-01' && s <= '2200-01-01';
}, 'not a real date between 1900 and 2200');
/** Comma-separated category codes. */
export const categoryList = z.string().max(2000).regex(new RegExp(`^${C}+(,${C}+)*$`, 'u'), 'comma-separated category codes')
  .transform((s) => s.split(','));
export const problemSchema = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).passthrough();
export const numericId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * The incident filter every data route takes (stats, hotspots, tiles, OGC, reports): one code path for filters.
 * from inclusive, to exclusive, local days (Europe/Stockholm). Omitted dates → the 12 months up to the latest data.
 */
export const incidentFilterQuery = z.object({
  source: z.enum(SOURCES).default('crimes'),
  category: categoryList.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type IncidentFilterQuery = z.infer<typeof incidentFilterQuery>;
