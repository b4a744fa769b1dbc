// A measure taken at a place (measure-store.ts): the one schema of what is sent to create or change one and of what
// is served, with the types derived from them.
import { z } from 'zod';
import { isoDate, trimmedText } from '../value-schemas.js';

export const MEASURE_TYPES = ['lighting', 'cameras', 'guards', 'cleaning', 'place-activation', 'physical-change', 'social-effort', 'other'] as const;
export type MeasureType = (typeof MEASURE_TYPES)[number];

export const measureCreateSchema = z.strictObject({ type: z.enum(MEASURE_TYPES), date: isoDate, description: trimmedText(2000).default('') });
export type MeasureInput = z.input<typeof measureCreateSchema>;
export const measurePatchSchema = z.strictObject({ type: z.enum(MEASURE_TYPES).optional(), date: isoDate.optional(), description: trimmedText(2000).optional() });
export type MeasurePatch = z.input<typeof measurePatchSchema>;

export const measureSchema = z.object({ id: z.number(), placeId: z.number(), type: z.enum(MEASURE_TYPES), date: z.string(), description: z.string(), createdAt: z.string() });
export type Measure = z.infer<typeof measureSchema>;
