// Query-parameter pieces shared by many routes, so every route validates them the same way.
import { z } from 'zod';
import { CATEGORY_CODE_CHAR as C } from '../../shared/categories.js';
import { SOURCES } from '../../shared/sources.js';
import { isoDate, numericId } from '../domain/value-schemas.js';

export const areaSetId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'an area-set id: lower-case letters, digits, - and _');
// a date and an id are the domain's rules too (its place, goal and measure inputs use them)
export { isoDate, numericId };
/** Comma-separated category codes. */
export const categoryList = z.string().max(2000).regex(new RegExp(`^${C}+(,${C}+)*$`, 'u'), 'comma-separated category codes')
  .transform((s) => s.split(','));
export const problemSchema = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).passthrough();

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
