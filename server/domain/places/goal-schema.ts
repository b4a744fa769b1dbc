// A SMART goal of a place (goal-store.ts): the one schema of what is sent to create or change one — its indicator
// among it — and of what is served (the goal with its measured baseline, latest value and status), with the types
// derived from them.
import { z } from 'zod';
import { POINT_SOURCES } from '../../../shared/sources.js';
import { isoDate, trimmedText } from '../value-schemas.js';
import { GOAL_DIRECTIONS, GOAL_STATUSES } from './goal-status.js';

const categoryCode = z.string().max(100).regex(/^[\p{L}\p{N}_.:-]+$/u, 'a category code');
const goalDir = z.enum(GOAL_DIRECTIONS).optional().describe('the goal\'s direction; default: fewer incidents, or the survey indicator\'s better direction');
/** The sources a place counts; police events carry no point (placed only by their text at area level), so none lies inside a place. */
export const placeSourceSchema = z.enum(POINT_SOURCES)
  .describe('police-events is not accepted: police events have no exact location, so none can be counted inside a place');

export const goalIndicatorSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('incidents'), source: placeSourceSchema, categories: z.array(categoryCode).max(100).default([]), direction: goalDir }),
  z.strictObject({ type: z.literal('survey'), indicator: z.string().min(1).max(100), group: z.string().min(1).max(100).default('all'), direction: goalDir }),
]);
/** A goal's indicator as stored (defaults applied). */
export type GoalIndicator = z.output<typeof goalIndicatorSchema>;
export type IncidentIndicator = Extract<GoalIndicator, { type: 'incidents' }>;
export type SurveyIndicator = Extract<GoalIndicator, { type: 'survey' }>;

export const goalCreateSchema = z.strictObject({
  description: trimmedText(2000).default(''),
  indicator: goalIndicatorSchema,
  baselineFrom: isoDate, baselineTo: isoDate.describe('inclusive'),
  targetValue: z.number().min(0).max(1e9),
  deadline: isoDate,
});
export type GoalInput = z.output<typeof goalCreateSchema>;
export const goalPatchSchema = z.strictObject({
  description: trimmedText(2000).optional(), indicator: goalIndicatorSchema.optional(), baselineFrom: isoDate.optional(), baselineTo: isoDate.optional(),
  targetValue: z.number().min(0).max(1e9).optional(), deadline: isoDate.optional(),
});
export type GoalPatch = z.output<typeof goalPatchSchema>;

export const measurementSchema = z.object({
  from: z.string(), to: z.string(), value: z.number().nullable(), days: z.number().optional(), count: z.number().nullable().optional(), waveId: z.string().optional(), respondents: z.number().optional(),
  ciLow: z.number().nullable().optional(), ciHigh: z.number().nullable().optional(),
});
export type Measurement = z.infer<typeof measurementSchema>;

export const goalViewSchema = z.object({
  // served as stored; written only through goalIndicatorSchema
  id: z.number(), placeId: z.number(), description: z.string(), indicator: z.custom<GoalIndicator>(),
  baseline: measurementSchema.extend({ storedValue: z.number().nullable() }), targetValue: z.number(), deadline: z.string(),
  direction: z.enum(GOAL_DIRECTIONS), current: measurementSchema.nullable(), expectedNow: z.number().nullable(),
  status: z.enum(GOAL_STATUSES),
  changeFromBaseline: z.object({ ratio: z.number().nullable(), ciLow: z.number().nullable(), ciHigh: z.number().nullable(), significant: z.boolean() }).nullable(),
  suppressed: z.boolean(), createdAt: z.string(),
});
export type GoalView = z.infer<typeof goalViewSchema>;
