// Output schemas of /api/stats (zod → OpenAPI). The same rows go out as JSON, CSV and GeoJSON properties.
import { z } from 'zod';

export const outputFormat = z.enum(['json', 'csv', 'geojson']).default('json');
export const csvSep = z.enum(['comma', 'semicolon']).default('comma')
  .describe('CSV dialect: comma (RFC 4180, decimal point) or semicolon (Swedish spreadsheets: ";", decimal comma, UTF-8 BOM)');

const period = z.object({ from: z.string(), to: z.string(), days: z.number() });
export const disclosureMethodSchema = z.object({
  method: z.enum(['exact', 'cell-key']), k: z.number(), roundingBase: z.number().nullable(), maxNoise: z.number(), maxError: z.number(),
  periods: z.string(), description: z.string(),
}).describe('the disclosure control applied to this answer (README: Privacy and statistics)');
const batch = z.object({ id: z.number(), kind: z.string(), provider: z.string(), fileName: z.string().nullable(), importedAt: z.string(),
  incidents: z.number().optional(), firstOccurred: z.string().optional(), lastOccurred: z.string().optional() });
export const provenanceSchema = z.object({ incidentBatches: z.array(batch), areaSetBatch: batch.nullable(), populationBatches: z.array(batch) });

export const figuresSchema = z.object({
  count: z.number().nullable().describe('incidents placed in the area in the period; null when suppressed'),
  population: z.number().nullable(),
  ratePer1000: z.number().nullable().describe('count per 1,000 inhabitants over the period'),
  previousCount: z.number().nullable().describe('the equally long period before'),
  rateRatio: z.number().nullable(),
  rateRatioCiLow: z.number().nullable(),
  rateRatioCiHigh: z.number().nullable().describe('null also when infinite (previousCount 0)'),
  changeSignificant: z.boolean().describe('the exact 95 % CI of the rate ratio excludes 1'),
  unplacedAtThisLevel: z.number().nullable().describe('imprecise incidents that may lie here but cannot be placed at this level'),
  suppressed: z.boolean(),
  suppression: z.enum(['none', 'primary', 'complementary']),
  previousSuppressed: z.boolean(),
});

export const statsRowSchema = z.object({ areaId: z.number(), code: z.string(), name: z.string(), parentCode: z.string().nullable() }).merge(figuresSchema);
export const statsTotalSchema = z.object({ areaId: z.null(), code: z.string(), name: z.string(), parentCode: z.null(), areas: z.number() }).merge(figuresSchema);

export const statsMetaSchema = z.object({
  areaSet: z.object({ id: z.string(), name: z.string(), level: z.string(), vintage: z.number().nullable() }),
  source: z.string(), categories: z.array(z.string()).nullable(), period, previousPeriod: period, k: z.number(), exact: z.boolean(),
  suppression: z.object({ method: z.string(), description: z.string(), primary: z.number(), complementary: z.number() }),
  roundingBase: z.number().nullable(), disclosure: disclosureMethodSchema, requestedPeriod: period.nullable(), populationSource: z.enum(['own', 'derived-from-basomraden', 'none']),
  populationYear: z.number().nullable(), previousPopulationYear: z.number().nullable(), areasWithoutPopulation: z.number(),
  rateRatioMethod: z.string(), unplacedDefinition: z.string(), dataVersion: z.number(), provenance: provenanceSchema, generatedAt: z.string(),
});

export const statsResponseSchema = z.object({ meta: statsMetaSchema, total: statsTotalSchema, rows: z.array(statsRowSchema) });

export const STATS_CSV_COLUMNS = ['areaId', 'code', 'name', 'count', 'population', 'ratePer1000', 'previousCount', 'rateRatio',
  'rateRatioCiLow', 'rateRatioCiHigh', 'changeSignificant', 'unplacedAtThisLevel', 'suppressed'];
