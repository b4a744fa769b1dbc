// meta.aggregated of /api/stats: the figures are aggregated counts (import kind area-counts), their granularity, span
// and the files they come from. One zod schema; the type derived from it.
import { z } from 'zod';
import { GRANULARITIES } from './count-periods.js';

export const aggregatedMetaSchema = z.object({
  kind: z.literal('area-counts').describe('the figures are aggregated counts per area and period as imported, not counted from events'),
  granularity: z.enum(GRANULARITIES).describe('the periods the counts are given for; a period asked for is widened to whole periods of it (meta.requestedPeriod: what was asked)'),
  dataFrom: z.string().describe('the first day of the earliest period with counts'),
  dataTo: z.string().describe('the day after the latest period with counts (exclusive)'),
  complete: z.boolean().describe('the data cover the whole period counted (false: part of it lies before or after the data, which count nothing there)'),
  previousCovered: z.boolean().describe('the comparison period lies within the data (else previousCount is null: not known, not zero)'),
  batches: z.array(z.object({ id: z.number(), provider: z.string(), fileName: z.string().nullable(), sha256: z.string().nullable(), importedAt: z.string(), rows: z.number() }))
    .describe('the import batches the stored counts come from (DELETE /api/imports/:id removes one)'),
  description: z.object({ sv: z.string(), en: z.string() }),
});
export type AggregatedMeta = z.infer<typeof aggregatedMetaSchema>;
