// The answer of divergence (divergence.ts) — per-area z-scores and class, and meta — as one zod schema, the types
// derived from it; /api/divergence serves and documents it.
import { z } from 'zod';
import { SOURCES } from '../../../shared/sources.js';
import { periodSchema } from '../period/period-schema.js';
import { indicatorSchema, waveSchema } from '../survey/survey-schema.js';

export const DIVERGENCE_CLASSES = ['fear-above-crime', 'crime-above-fear', 'aligned'] as const;
export type DivergenceClass = (typeof DIVERGENCE_CLASSES)[number];

export const divergenceRowSchema = z.object({
  areaId: z.number(), code: z.string(), name: z.string(), surveyValue: z.number().nullable(), respondents: z.number().nullable(),
  ratePer1000: z.number().nullable(), zFear: z.number().nullable(), zCrime: z.number().nullable(), gap: z.number().nullable().describe('zFear − zCrime'),
  class: z.enum(DIVERGENCE_CLASSES).nullable(),
});
export type DivergenceRow = z.infer<typeof divergenceRowSchema>;

export const divergenceResultSchema = z.object({
  meta: z.object({
    areaSetId: z.string(), wave: waveSchema, indicator: indicatorSchema, source: z.enum(SOURCES), categories: z.array(z.string()).nullable(),
    period: periodSchema.describe('the period the crime rates count (as meta.period of /api/stats)'),
    threshold: z.number().describe('|gap| above this classifies an area'), method: z.string(),
    areasScored: z.number().describe('areas where both the survey value and the crime rate are known and shown'),
    exact: z.boolean(), generatedAt: z.string(),
  }),
  rows: z.array(divergenceRowSchema),
});
export type DivergenceResult = z.infer<typeof divergenceResultSchema>;
