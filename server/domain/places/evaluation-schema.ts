// The before/after evaluation of a place (evaluate-place.ts) as one zod schema — with its parts: the counts of a
// region, a difference-in-differences ratio, the WDD and WDQ (weighted-displacement.ts) — and the types derived
// from it; /api/places/:id/evaluation serves and documents it.
import { z } from 'zod';
import { VERDICT_REASONS, VERDICTS } from './evaluation-verdict.js';
import { wddSchema, wdqSchema } from './weighted-displacement-schema.js';

/** A published count (null: fewer than k, for the public). */
const shown = z.number().nullable();

export const regionViewSchema = z.object({ before: shown, after: shown, beforePerDay: shown, afterPerDay: shown });
export type RegionView = z.infer<typeof regionViewSchema>;

export const ratioViewSchema = z.object({
  ratio: z.number(), ciLow: z.number(), ciHigh: z.number(), pValue: z.number(), significant: z.boolean(), continuityCorrected: z.boolean(),
}).nullable();
export type RatioView = z.infer<typeof ratioViewSchema>;

/** A period of the evaluation: both days inclusive, and its length. */
const dayRangeSchema = z.object({ from: z.string(), to: z.string(), days: z.number() });

export const evaluationSchema = z.object({
  placeId: z.number(), placeName: z.string(), synthetic: z.boolean(), source: z.string(), categories: z.array(z.string()).nullable(),
  before: dayRangeSchema, after: dayRangeSchema, clippedToData: z.boolean(), dataCoverage: z.object({ firstDay: z.string().nullable(), lastDay: z.string().nullable() }),
  bufferMetres: z.number(),
  control: z.object({ areaId: z.number(), code: z.string(), name: z.string(), areaSetId: z.string(), isPlaceDistrict: z.boolean(), description: z.string() }),
  areasKm2: z.object({ place: z.number(), buffer: z.number(), control: z.number() }),
  counts: z.object({ place: regionViewSchema, buffer: regionViewSchema, control: regionViewSchema }),
  impreciseNearby: z.object({ before: shown, after: shown, note: z.string() }),
  differenceInDifferences: z.object({ place: ratioViewSchema, buffer: ratioViewSchema }),
  wdd: wddSchema.nullable(),
  wdq: wdqSchema.nullable(),
  verdict: z.enum(VERDICTS), reason: z.enum(VERDICT_REASONS),
  sentence: z.object({ sv: z.string(), en: z.string() }),
  series: z.array(z.object({ month: z.string(), period: z.enum(['before', 'after']), days: z.number(), place: shown, buffer: shown, control: shown })),
  suppressed: z.boolean(), suppressionK: z.number(), exactCounts: z.boolean(), method: z.object({ sv: z.string(), en: z.string() }),
});
export type Evaluation = z.infer<typeof evaluationSchema>;
