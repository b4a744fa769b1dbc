// The area sets and the areas of a set as /api/area-sets lists them (list-area-sets.ts, list-areas.ts): the one
// schema per shape, the types derived from them.
import { z } from 'zod';

export const areaSetSummarySchema = z.object({
  id: z.string(), name: z.string(), level: z.string(), vintage: z.number().nullable(), parentSetId: z.string().nullable(),
  areaCount: z.number(), isReference: z.boolean(), hasPopulation: z.boolean(),
});
export type AreaSetSummary = z.infer<typeof areaSetSummarySchema>;

export const areaRowSchema = z.object({
  id: z.number(), code: z.string(), name: z.string(), parentCode: z.string().nullable(), areaKm2: z.number(),
  population: z.number().nullable(), populationYear: z.number().nullable(),
});
export type AreaRow = z.infer<typeof areaRowSchema>;
