// Query-parameter pieces shared by many routes, so every route validates them the same way.
import { z } from 'zod';
import { CATEGORY_CODE_CHAR as C } from '../../shared/categories.js';
import { SOURCES } from '../../shared/sources.js';
import { COMPARISON_RULES } from '../../shared/periods.js';
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

/**
 * What a period is compared with (domain/period/comparison.ts): a rule by name, or a custom baseline. Omitted: one
 * calendar month, quarter or year against the same one a year earlier, any other period against the equally long
 * period before it.
 */
export const comparisonQuery = z.object({
  compare: z.enum(COMPARISON_RULES).optional()
    .describe('same-period-last-year | preceding-equal-length | custom (= compareFrom/compareTo; implied by them); default: by the period (meta.previousPeriod.rule)'),
  compareFrom: isoDate.optional().describe('a custom baseline\'s first day (inclusive); with compareTo. For the public widened to the public grid as `from` is'),
  compareTo: isoDate.optional().describe('a custom baseline\'s end (exclusive); with compareFrom. Must not overlap the period'),
});
