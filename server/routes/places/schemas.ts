// Request and response schemas of the /api/places routes (also the OpenAPI description).
import { z } from 'zod';
import { GOAL_STATUSES } from '../../domain/places/goal-status.js';
import { MEASURE_TYPES } from '../../domain/places/measure-store.js';
import { PLACE_STATUSES } from '../../domain/places/place-store.js';
import { VERDICTS } from '../../domain/places/evaluation-verdict.js';
import { SOURCES } from '../../../shared/sources.js';
import { categoryList, isoDate, numericId } from '../shared-schemas.js';

const text = (max: number) => z.string().trim().max(max);

export const PolygonGeometry = z.object({
  type: z.enum(['Polygon', 'MultiPolygon']),
  coordinates: z.array(z.array(z.unknown())).min(1),
}).describe('GeoJSON Polygon or MultiPolygon in WGS84 (longitude, latitude); closed rings, ≤ 5,000 vertices, inside Sweden, 100 m²–25 km². A slightly invalid polygon is repaired only when that changes its area by ≤ 0.1 %.');

export const PartnerSchema = z.strictObject({ organisation: text(200).min(1), role: text(200).default('') });

export const PlaceCreate = z.strictObject({
  name: text(200).min(1),
  geometry: PolygonGeometry,
  status: z.enum(PLACE_STATUSES).default('planned'),
  startDate: isoDate.nullable().optional(),
  endDate: isoDate.nullable().optional(),
  description: text(5000).default(''),
  partners: z.array(PartnerSchema).max(50).default([]),
  synthetic: z.boolean().default(false),
  districtAreaId: numericId.nullable().optional().describe('Override the computed district (the stadsdel containing the polygon); an areas.id of a stadsdel or stadsdelsområde, or null for none.'),
});

export const PlacePatch = z.strictObject({
  name: text(200).min(1).optional(),
  geometry: PolygonGeometry.optional(),
  status: z.enum(PLACE_STATUSES).optional(),
  startDate: isoDate.nullable().optional(),
  endDate: isoDate.nullable().optional(),
  description: text(5000).optional(),
  partners: z.array(PartnerSchema).max(50).optional(),
  synthetic: z.boolean().optional(),
  districtAreaId: numericId.nullable().optional(),
});

const categoryCode = z.string().max(100).regex(/^[\p{L}\p{N}_.:-]+$/u, 'a category code');
const goalDir = z.enum(['decrease', 'increase']).optional().describe('the goal\'s direction; default: fewer incidents, or the survey indicator\'s better direction');
// police events carry no point (placed only by their text at area level): they can never be counted inside a place
const placeSource = z.enum(SOURCES).exclude(['police-events'])
  .describe('police-events is not accepted: police events have no exact location, so none can be counted inside a place');
export const IndicatorSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('incidents'), source: placeSource, categories: z.array(categoryCode).max(100).default([]), direction: goalDir }),
  z.strictObject({ type: z.literal('survey'), indicator: z.string().min(1).max(100), group: z.string().min(1).max(100).default('all'), direction: goalDir }),
]);

export const GoalCreate = z.strictObject({
  description: text(2000).default(''),
  indicator: IndicatorSchema,
  baselineFrom: isoDate, baselineTo: isoDate.describe('inclusive'),
  targetValue: z.number().min(0).max(1e9),
  deadline: isoDate,
});
export const GoalPatch = z.strictObject({
  description: text(2000).optional(), indicator: IndicatorSchema.optional(), baselineFrom: isoDate.optional(), baselineTo: isoDate.optional(),
  targetValue: z.number().min(0).max(1e9).optional(), deadline: isoDate.optional(),
});

export const MeasureCreate = z.strictObject({ type: z.enum(MEASURE_TYPES), date: isoDate, description: text(2000).default('') });
export const MeasurePatch = z.strictObject({ type: z.enum(MEASURE_TYPES).optional(), date: isoDate.optional(), description: text(2000).optional() });

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
  source: placeSource.default('crimes'),
  category: categoryList.optional(),
  before: dayRange.optional().describe('YYYY-MM-DD..YYYY-MM-DD, both inclusive; default the year before the start date'),
  after: dayRange.optional().describe('YYYY-MM-DD..YYYY-MM-DD, both inclusive; default from the start date to the last day with data'),
  controlAreaId: numericId.optional().describe('areas.id of the control area; default the place\'s district (minus the place and the ring)'),
  bufferMetres: z.coerce.number().min(0).max(2000).default(250),
});

// ---- responses
const District = z.object({ id: z.number(), code: z.string(), name: z.string(), areaSetId: z.string(), parentCode: z.string().nullable(), overridden: z.boolean() });
const Partner = z.object({ organisation: z.string(), role: z.string() });
export const PlaceSummaryOut = z.object({
  id: z.number(), externalId: z.string().nullable(), name: z.string(), status: z.enum(PLACE_STATUSES),
  startDate: z.string().nullable(), endDate: z.string().nullable(), description: z.string(), partners: z.array(Partner),
  synthetic: z.boolean(), district: District.nullable(), areaM2: z.number(), goalCount: z.number(), measureCount: z.number(),
  createdAt: z.string(), updatedAt: z.string(),
});
const Measurement = z.object({
  from: z.string(), to: z.string(), value: z.number().nullable(), days: z.number().optional(), count: z.number().nullable().optional(), waveId: z.string().optional(), respondents: z.number().optional(),
  ciLow: z.number().nullable().optional(), ciHigh: z.number().nullable().optional(),
});
export const GoalOut = z.object({
  id: z.number(), placeId: z.number(), description: z.string(), indicator: z.unknown(),
  baseline: Measurement.extend({ storedValue: z.number().nullable() }), targetValue: z.number(), deadline: z.string(),
  direction: z.enum(['decrease', 'increase']), current: Measurement.nullable(), expectedNow: z.number().nullable(),
  status: z.enum(GOAL_STATUSES),
  changeFromBaseline: z.object({ ratio: z.number().nullable(), ciLow: z.number().nullable(), ciHigh: z.number().nullable(), significant: z.boolean() }).nullable(),
  suppressed: z.boolean(), createdAt: z.string(),
});
export const MeasureOut = z.object({ id: z.number(), placeId: z.number(), type: z.enum(MEASURE_TYPES), date: z.string(), description: z.string(), createdAt: z.string() });
export const PlaceDetailOut = PlaceSummaryOut.extend({ geometry: z.unknown(), goals: z.array(GoalOut), measures: z.array(MeasureOut) });

const Shown = z.number().nullable();
const RegionView = z.object({ before: Shown, after: Shown, beforePerDay: Shown, afterPerDay: Shown });
const Ratio = z.object({ ratio: z.number(), ciLow: z.number(), ciHigh: z.number(), pValue: z.number(), significant: z.boolean(), continuityCorrected: z.boolean() }).nullable();
const Range = z.object({ from: z.string(), to: z.string(), days: z.number() });
export const EvaluationOut = z.object({
  placeId: z.number(), placeName: z.string(), synthetic: z.boolean(), source: z.string(), categories: z.array(z.string()).nullable(),
  before: Range, after: Range, clippedToData: z.boolean(), dataCoverage: z.object({ firstDay: z.string().nullable(), lastDay: z.string().nullable() }),
  bufferMetres: z.number(),
  control: z.object({ areaId: z.number(), code: z.string(), name: z.string(), areaSetId: z.string(), isPlaceDistrict: z.boolean(), description: z.string() }),
  areasKm2: z.object({ place: z.number(), buffer: z.number(), control: z.number() }),
  counts: z.object({ place: RegionView, buffer: RegionView, control: RegionView }),
  impreciseNearby: z.object({ before: Shown, after: Shown, note: z.string() }),
  differenceInDifferences: z.object({ place: Ratio, buffer: Ratio }),
  wdd: z.object({
    local: z.number(), localSe: z.number(), displacement: z.number(), displacementSe: z.number(), wdd: z.number(), se: z.number(), z: z.number(),
    pValue: z.number(), ciLow: z.number(), ciHigh: z.number(), significant: z.boolean(),
    weights: z.object({ timeRatio: z.number(), placeToControl: z.number(), bufferToControl: z.number(), basis: z.object({ place: z.enum(['counts', 'area']), buffer: z.enum(['counts', 'area']) }) }),
  }).nullable(),
  wdq: z.object({
    successMeasure: z.number().nullable(), displacementMeasure: z.number().nullable(), wdq: z.number().nullable(),
    interpretation: z.enum(['not-defined', 'diffusion-of-benefits', 'displacement', 'displacement-exceeds-benefit', 'no-change-in-buffer']),
  }).nullable(),
  verdict: z.enum(VERDICTS), reason: z.enum(['tested', 'no-incidents', 'no-control-incidents', 'no-data-in-period']),
  sentence: z.object({ sv: z.string(), en: z.string() }),
  series: z.array(z.object({ month: z.string(), period: z.enum(['before', 'after']), days: z.number(), place: Shown, buffer: Shown, control: Shown })),
  suppressed: z.boolean(), suppressionK: z.number(), exactCounts: z.boolean(), method: z.object({ sv: z.string(), en: z.string() }),
});
