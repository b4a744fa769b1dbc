// The answer of areaProfile (area-profile.ts) — every source with its figures, breakdowns, monthly series and
// weekday × hour matrix, the survey, the places and provenance — as one zod schema, the types derived from it;
// /api/areas/:id/profile serves and documents it, and the lägesbild is built from it.
import { z } from 'zod';
import { SOURCES } from '../../../shared/sources.js';
import { areaStatsRowSchema, areaStatsTotalSchema } from '../area-stats/area-stats-schema.js';
import { comparisonPeriodSchema, labelledPeriodSchema } from '../period/period-schema.js';
import { provenanceSchema } from '../provenance/provenance-schema.js';
import { areaSurveySchema, waveSchema } from '../survey/survey-schema.js';

export const breakdownItemSchema = z.object({
  code: z.string(), label: z.string(), group: z.string().nullable(), count: z.number().nullable(), previousCount: z.number().nullable(), suppressed: z.boolean(),
});
export type BreakdownItem = z.infer<typeof breakdownItemSchema>;

export const sourceProfileSchema = z.object({
  source: z.enum(SOURCES), area: areaStatsRowSchema, city: areaStatsTotalSchema,
  vsRestOfSet: z.object({ ratio: z.number().nullable(), ciLow: z.number().nullable(), ciHigh: z.number().nullable(), significant: z.boolean(), available: z.boolean() })
    .describe('the area\'s rate against the rest of the set (exact conditional test, population as exposure)'),
  byCategory: z.array(breakdownItemSchema),
  monthly: z.array(z.object({ month: z.string(), count: z.number().nullable(), suppressed: z.boolean() })),
  weekdayHour: z.object({ matrix: z.array(z.array(z.number().nullable())).describe('[Monday..Sunday][hour 0..23], aoristic weights'), weekdays: z.array(z.string()), weighting: z.literal('aoristic'), total: z.number().nullable() }),
});
export type SourceProfile = z.infer<typeof sourceProfileSchema>;

export const areaProfileSchema = z.object({
  meta: z.object({
    area: z.object({ id: z.number(), code: z.string(), name: z.string(), areaSetId: z.string(), areaSetName: z.string() }),
    period: labelledPeriodSchema, previousPeriod: comparisonPeriodSchema, monthlyFrom: z.string(), k: z.number(), exact: z.boolean(), roundingBase: z.number().nullable(), suppression: z.string(),
    dataVersion: z.number(), generatedAt: z.string(), provenance: provenanceSchema.extend({ surveyWaves: z.array(waveSchema) }),
  }),
  sources: z.array(sourceProfileSchema),
  survey: areaSurveySchema,
  places: z.array(z.object({ id: z.number(), name: z.string(), status: z.string(), startDate: z.string().nullable(), endDate: z.string().nullable() })),
});
export type AreaProfile = z.infer<typeof areaProfileSchema>;
