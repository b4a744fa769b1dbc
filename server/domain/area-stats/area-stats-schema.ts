// The answer of areaStats (area-stats.ts) — per-area figures, the set total and meta — as one zod schema. The types
// are derived from it, and /api/stats (and the area profile, which embeds a row and the total) serves and documents it.
import { z } from 'zod';
import { SOURCES } from '../../../shared/sources.js';
import { disclosureMethodSchema } from '../disclosure/disclosure-method-schema.js';
import { comparisonPeriodSchema, labelledPeriodSchema, periodSchema } from '../period/period-schema.js';
import { POPULATION_SOURCES } from '../population/area-population.js';
import { provenanceSchema } from '../provenance/provenance-schema.js';
import { aggregatedMetaSchema } from '../area-counts/area-counts-schema.js';

export const SUPPRESSION_KINDS = ['none', 'primary', 'complementary'] as const;

export const areaStatsFiguresSchema = z.object({
  count: z.number().nullable().describe('incidents placed in the area in the period; null when suppressed'),
  population: z.number().nullable().describe('inhabitants (nearest year available; see meta.populationSource); null when unknown'),
  ratePer1000: z.number().nullable().describe('count per 1,000 inhabitants over the period (the whole period, not per year)'),
  previousCount: z.number().nullable().describe('the comparison period\'s count (meta.previousPeriod: by default the same calendar month, quarter or year a year earlier, else the preceding period of equal length)'),
  rateRatio: z.number().nullable().describe('(count/(population·days)) / (previousCount/(previous population·previous days)): rates per person-day; null when undefined or suppressed'),
  rateRatioCiLow: z.number().nullable(),
  rateRatioCiHigh: z.number().nullable().describe('null also when infinite (previousCount 0)'),
  changeSignificant: z.boolean().describe('the exact 95 % CI of the rate ratio excludes 1'),
  unplacedAtThisLevel: z.number().nullable().describe('imprecise incidents that may lie here but cannot be placed at this level'),
  suppressed: z.boolean().describe('the current count is hidden (primary or complementary suppression)'),
  suppression: z.enum(SUPPRESSION_KINDS),
  previousSuppressed: z.boolean(),
});
export type AreaStatsFigures = z.infer<typeof areaStatsFiguresSchema>;
export type SuppressionKind = AreaStatsFigures['suppression'];

export const areaStatsRowSchema = z.object({ areaId: z.number(), code: z.string(), name: z.string(), parentCode: z.string().nullable() }).merge(areaStatsFiguresSchema);
export type AreaStatsRow = z.infer<typeof areaStatsRowSchema>;

/** The set total: every area's count summed (the city reference). */
export const areaStatsTotalSchema = z.object({ areaId: z.null(), code: z.string(), name: z.string(), parentCode: z.null(), areas: z.number() }).merge(areaStatsFiguresSchema);
export type AreaStatsTotal = z.infer<typeof areaStatsTotalSchema>;

export const areaStatsMetaSchema = z.object({
  areaSet: z.object({ id: z.string(), name: z.string(), level: z.string(), vintage: z.number().nullable() }),
  source: z.enum(SOURCES), categories: z.array(z.string()).nullable(),
  period: labelledPeriodSchema.describe('from inclusive, to exclusive, local days (Europe/Stockholm); an incident counts by its occurred_from; lastDay and label state the last day inclusive'),
  previousPeriod: comparisonPeriodSchema.describe('the period the counts are compared with, and the rule that chose it'), k: z.number(), exact: z.boolean(),
  suppression: z.object({ method: z.enum(['none', 'cell-key']), description: z.string(), primary: z.number(), complementary: z.number() }),
  roundingBase: z.number().nullable().describe('published counts are multiples of this (public view); null for exact data'),
  disclosure: disclosureMethodSchema,
  requestedPeriod: periodSchema.nullable().describe('the period asked for, when the public grid widened it (meta.period is what was counted)'),
  populationSource: z.enum(POPULATION_SOURCES),
  populationYear: z.number().nullable(), previousPopulationYear: z.number().nullable(),
  areasWithoutPopulation: z.number().describe('areas whose population is unknown (no rate); the total\'s population sums the others'),
  rateRatioMethod: z.string(), unplacedDefinition: z.string(), dataVersion: z.number(), provenance: provenanceSchema, generatedAt: z.string(),
  aggregated: aggregatedMetaSchema.nullable().optional()
    .describe('set when the figures are aggregated counts (import kind area-counts) rather than counted events: their granularity, span and files'),
});
export type AreaStatsMeta = z.infer<typeof areaStatsMetaSchema>;

export const areaStatsResultSchema = z.object({ meta: areaStatsMetaSchema, total: areaStatsTotalSchema, rows: z.array(areaStatsRowSchema) });
export type AreaStatsResult = z.infer<typeof areaStatsResultSchema>;
