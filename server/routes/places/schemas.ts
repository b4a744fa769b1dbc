// Parameter and query schemas of the /api/places routes. What is sent and what is served — a place, a goal, a
// measure, the evaluation — are the domain's one schema each (domain/places/*-schema.ts).
import { z } from 'zod';
import { PLACE_STATUSES } from '../../domain/places/place-schema.js';
import { placeSourceSchema } from '../../domain/places/goal-schema.js';
import { categoryList, isoDate, numericId } from '../shared-schemas.js';

export const PlaceParams = z.object({ id: numericId });
export const GoalParams = z.object({ id: numericId, goalId: numericId });
export const MeasureParams = z.object({ id: numericId, measureId: numericId });

export const PlaceListQuery = z.object({
  f: z.enum(['json', 'geojson']).default('json'),
  status: z.enum(PLACE_STATUSES).optional(),
  districtAreaId: numericId.optional(),
  synthetic: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
});

const dayRange = z.string().max(30).regex(/^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/, 'a period as YYYY-MM-DD..YYYY-MM-DD (both days inclusive)')
  .transform((s, ctx) => {
    const [from, to] = s.split('..');
    for (const d of [from, to]) if (!isoDate.safeParse(d).success) { ctx.addIssue({ code: 'custom', message: `${d} is not a real date` }); return z.NEVER; }
    return { from, to };
  });

export const EvaluationQuery = z.object({
  source: placeSourceSchema.default('crimes'),
  category: categoryList.optional(),
  before: dayRange.optional().describe('YYYY-MM-DD..YYYY-MM-DD, both inclusive; default the year before the start date'),
  after: dayRange.optional().describe('YYYY-MM-DD..YYYY-MM-DD, both inclusive; default from the start date to the last day with data'),
  controlAreaId: numericId.optional().describe('areas.id of the control area; default the place\'s district (minus the place and the ring)'),
  bufferMetres: z.coerce.number().min(0).max(2000).default(250),
});
