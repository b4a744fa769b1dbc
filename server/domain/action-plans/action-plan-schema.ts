// The action plan as a document: priorities (each with where it came from and the figures that justified it), the
// orsaksanalys of each priority in the steps of Stockholm's trygghetsprogram and the problem triangle, indicators
// with a baseline filled from the data and a target, and measures with owner, partners, dates, status and links to
// places and priorities. One schema validates what staff send and what the API answers.
import { z } from 'zod';
import { SOURCES } from '../../../shared/sources.js';
import { CausalAnalysisSteps } from '../reports/staff-text.js';
import { SURVEY_BASIS_KINDS } from '../survey/survey-schema.js';

const text = (max: number) => z.string().trim().max(max);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const id = z.string().regex(/^[a-z0-9-]{1,40}$/, 'lowercase letters, digits and -');

/** Where a priority came from: a finding of the lägesbild (frozen with its figures and data version) or the staff's own. */
export const priorityOriginSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('finding'),
    /** the finding as the report stated it: a significant rise, a hot spot, a survey indicator above the city … */
    finding: z.object({ type: text(40), text: text(600), figures: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).default({}) }),
    reportId: z.number().int().positive().nullable().default(null),
    dataVersion: z.number().int().nonnegative(),
  }),
  z.object({ kind: z.literal('own') }),
]);

/** The orsaksanalys: the programme's steps (as in the lägesbild's section 7) and the problem triangle (offender, target or victim, place). */
export const causalAnalysisSchema = CausalAnalysisSteps.extend({
  triangle: z.object({ offender: text(2000).default(''), target: text(2000).default(''), place: text(2000).default('') }).default({ offender: '', target: '', place: '' }),
});

/** An incident indicator: a source (and categories) in one area, over periods of `months` months. */
export const incidentIndicatorDefinitionSchema = z.object({
  /** absent in plans stored before survey indicators: an incident indicator */
  kind: z.literal('incidents').default('incidents'),
  id,
  label: text(200),
  source: z.enum(SOURCES),
  categories: z.array(z.string().regex(/^[a-z0-9_-]{1,40}$/)).max(40).default([]),
  /** the area whose rate is followed (the plan's area, or one inside it) */
  areaId: z.number().int().positive(),
  /** the period length: the baseline is the `months` before the decision, the follow-up the latest `months` */
  months: z.union([z.literal(3), z.literal(6), z.literal(12), z.literal(24)]).default(12),
  /** the goal as a rate per 1 000 inhabitants to reach (lower is better for every incident source) */
  targetRate: z.number().nonnegative().nullable().default(null),
  targetDate: day.nullable().default(null),
});

/** A survey indicator: a trygghetsmätning indicator for a respondent group in one area, wave by wave (as /api/survey). */
export const surveyIndicatorDefinitionSchema = z.object({
  kind: z.literal('survey'),
  id,
  label: text(200),
  /** the survey indicator's code (GET /api/survey/indicators) */
  indicator: z.string().regex(/^[\p{L}\p{N}_.:-]{1,64}$/u, 'a survey indicator code (GET /api/survey/indicators)'),
  /** the respondent group (GET /api/survey/groups): all, female, male or an age band */
  group: z.string().regex(/^(all|female|male|\d{1,3}-\d{1,3}|\d{1,3}\+)$/, 'all, female, male or an age band such as 16-29 or 80+').default('all'),
  areaId: z.number().int().positive(),
  /** the goal: a share 0–1 (0.25 = 25 %) or a mean on the indicator's scale, reached in the indicator's direction */
  targetValue: z.number().nonnegative().nullable().default(null),
  targetDate: day.nullable().default(null),
});

/** What an indicator measures: incidents (the default, `kind` may be left out) or a survey indicator. */
export const indicatorDefinitionSchema = z.discriminatedUnion('kind', [incidentIndicatorDefinitionSchema, surveyIndicatorDefinitionSchema]);

/** An incident indicator's baseline, filled from the statistics when the indicator is added (never typed). */
export const baselineSchema = z.object({
  from: day, to: day, count: z.number().nullable(), ratePer1000: z.number().nullable(), suppressed: z.boolean(),
  areaSetId: z.string(), dataVersion: z.number().int(),
});

const waveRefSchema = z.object({ id: z.string(), name: z.string(), year: z.number().int() });

/**
 * A survey indicator's baseline: what /api/survey answers the public for the area's set, the indicator and group at
 * the latest wave when the indicator is added (never typed; a hidden figure stays hidden: value, CI and respondents null).
 */
export const surveyBaselineSchema = z.object({
  wave: waveRefSchema,
  value: z.number().nullable().describe('share 0–1 or mean; null when hidden or missing'),
  ciLow: z.number().nullable(), ciHigh: z.number().nullable(), respondents: z.number().nullable(), suppressed: z.boolean(),
  valueKind: z.enum(['share', 'mean']), basisKind: z.enum(SURVEY_BASIS_KINDS).describe('how /api/survey obtained the figure (own, pooled, containing, not-available)'),
  areaSetId: z.string(), dataVersion: z.number().int(),
});

export const incidentIndicatorSchema = incidentIndicatorDefinitionSchema.extend({ baseline: baselineSchema });
export const surveyIndicatorSchema = surveyIndicatorDefinitionSchema.extend({ baseline: surveyBaselineSchema });
export const indicatorSchema = z.discriminatedUnion('kind', [incidentIndicatorSchema, surveyIndicatorSchema]);

export const prioritySchema = z.object({
  id,
  title: text(200).min(1),
  origin: priorityOriginSchema,
  causalAnalysis: causalAnalysisSchema.default({ preparation: '', deepenKnowledge: '', likelyCauses: '', testAssumptions: '', chooseMeasures: '', triangle: { offender: '', target: '', place: '' } }),
  indicators: z.array(indicatorSchema).max(10).default([]),
});

export const MEASURE_STATUSES = ['planned', 'ongoing', 'done', 'cancelled'] as const;

export const measureSchema = z.object({
  id,
  title: text(200).min(1),
  owner: text(200).min(1),
  partners: z.array(z.object({ organisation: text(200).min(1), role: text(200).default('') })).max(20).default([]),
  start: day.nullable().default(null),
  end: day.nullable().default(null),
  status: z.enum(MEASURE_STATUSES).default('planned'),
  cost: z.number().nonnegative().nullable().default(null),
  placeIds: z.array(z.number().int().positive()).max(20).default([]),
  priorityIds: z.array(id).max(20).default([]),
}).refine((m) => !m.start || !m.end || m.start <= m.end, { message: 'end must not be before start', path: ['end'] });

/** Priority ids unique, and every measure linked only to priorities of the same plan. */
function linksHold(p: { priorities: { id: string }[]; measures: { priorityIds: string[] }[] }, ctx: z.RefinementCtx): void {
  const ids = new Set(p.priorities.map((x) => x.id));
  if (ids.size !== p.priorities.length) ctx.addIssue({ code: 'custom', path: ['priorities'], message: 'priority ids must be unique' });
  p.measures.forEach((m, i) => m.priorityIds.forEach((pid) => {
    if (!ids.has(pid)) ctx.addIssue({ code: 'custom', path: ['measures', i, 'priorityIds'], message: `no priority "${pid}" in this plan` });
  }));
}

export const planDocumentSchema = z.object({
  priorities: z.array(prioritySchema).max(20).default([]),
  measures: z.array(measureSchema).max(100).default([]),
}).superRefine(linksHold);

export type PlanDocument = z.infer<typeof planDocumentSchema>;
export type Priority = z.infer<typeof prioritySchema>;
export type Indicator = z.infer<typeof indicatorSchema>;
export type IndicatorDefinition = z.infer<typeof indicatorDefinitionSchema>;
export type IncidentIndicator = z.infer<typeof incidentIndicatorSchema>;
export type SurveyIndicator = z.infer<typeof surveyIndicatorSchema>;
export type IncidentIndicatorDefinition = z.infer<typeof incidentIndicatorDefinitionSchema>;
export type SurveyIndicatorDefinition = z.infer<typeof surveyIndicatorDefinitionSchema>;
export type SurveyBaseline = z.infer<typeof surveyBaselineSchema>;
export type Measure = z.infer<typeof measureSchema>;

/** What staff send: the plan with indicators as definitions; the server fills each baseline from the data. */
export const planInputSchema = z.object({
  priorities: z.array(prioritySchema.extend({ indicators: z.array(z.discriminatedUnion('kind', [
    incidentIndicatorDefinitionSchema.extend({ baseline: baselineSchema.optional() }),
    surveyIndicatorDefinitionSchema.extend({ baseline: surveyBaselineSchema.optional() }),
  ])).max(10).default([]) })).max(20).default([]),
  measures: z.array(measureSchema).max(100).default([]),
}).superRefine(linksHold);
export type PlanInput = z.infer<typeof planInputSchema>;

export const PLAN_STATUSES = ['draft', 'decided', 'published'] as const;

export const actionPlanSchema = z.object({
  id: z.number().int(), areaId: z.number().int(), areaName: z.string().nullable(), reportId: z.number().int().nullable(),
  title: z.string(), status: z.enum(PLAN_STATUSES), version: z.number().int(), dataVersion: z.number().int(),
  createdBy: z.string().nullable().describe('who started it (a key or role); null for the public'), createdAt: z.string(),
  updatedBy: z.string().nullable().describe('who saved this version; null for the public'), updatedAt: z.string(),
  decidedBy: z.string().nullable().describe('who decided it; null while a draft, and for the public'), decidedAt: z.string().nullable(),
  plan: planDocumentSchema,
});
export type ActionPlan = z.infer<typeof actionPlanSchema>;

export const FOLLOW_UP_STATUSES = ['on-track', 'off-track', 'no-certain-change', 'not-enough-data', 'too-early'] as const;

/** A survey indicator's current figure: the latest wave now, as /api/survey answers the viewer. */
export const surveyCurrentSchema = z.object({
  wave: waveRefSchema.nullable(), value: z.number().nullable(), ciLow: z.number().nullable(), ciHigh: z.number().nullable(),
  respondents: z.number().nullable(), suppressed: z.boolean(), basisKind: z.enum(SURVEY_BASIS_KINDS).nullable(),
});

/** A survey indicator's follow-up: the indicator, group, unit and direction, the frozen baseline and the current wave. */
export const surveyFollowUpSchema = z.object({
  indicator: z.string(), text: z.object({ sv: z.string(), en: z.string() }),
  group: z.string(), groupLabel: z.object({ sv: z.string(), en: z.string() }),
  valueKind: z.enum(['share', 'mean']).describe('share: 0–1, shown as percent; mean: on the scale'),
  scale: z.object({ min: z.number(), max: z.number() }).nullable(),
  direction: z.enum(['higher-is-worse', 'higher-is-better']),
  baseline: surveyBaselineSchema,
  current: surveyCurrentSchema,
  difference: z.number().nullable().describe('current minus baseline value (shares: 0–1), when both are shown and the waves differ'),
  test: z.enum(['two-proportion', 'stratified', 'none']).describe('two-proportion: the pooled z-test of /api/survey; stratified: the z-test of two pooled estimates; none: untestable (a mean, or no new wave)'),
  targetValue: z.number().nullable(),
});

export const indicatorFollowUpSchema = z.object({
  priorityId: z.string(), indicatorId: z.string(), label: z.string(),
  kind: z.enum(['incidents', 'survey']),
  /** incidents: the frozen baseline and the latest period; null for a survey indicator (its figures are in `survey`) */
  baseline: baselineSchema.nullable(),
  current: z.object({ from: day, to: day, count: z.number().nullable(), ratePer1000: z.number().nullable(), suppressed: z.boolean() }).nullable(),
  /** incidents: the rate ratio with its exact 95 % CI; null for survey indicators */
  rateRatio: z.number().nullable(), ciLow: z.number().nullable(), ciHigh: z.number().nullable(), significant: z.boolean(),
  targetRate: z.number().nullable(), targetReached: z.boolean().nullable(),
  status: z.enum(FOLLOW_UP_STATUSES),
  statusText: z.object({ sv: z.string(), en: z.string() }),
  survey: surveyFollowUpSchema.nullable().describe('survey indicators: the wave figures; null for incident indicators'),
});

export const followUpSchema = z.object({
  planId: z.number().int(), areaId: z.number().int(), status: z.enum(PLAN_STATUSES), dataVersion: z.number().int(), asOf: day,
  indicators: z.array(indicatorFollowUpSchema),
  measures: z.object({ byStatus: z.record(z.string(), z.number()), overdue: z.array(z.object({ id: z.string(), title: z.string(), end: day })) }),
});
export type FollowUp = z.infer<typeof followUpSchema>;
export type IndicatorFollowUp = z.infer<typeof indicatorFollowUpSchema>;

/** The city's overview of an area's latest plan: status, priorities, measures by status, indicators by follow-up status, overdue measures. */
export const planOverviewSchema = z.object({
  id: z.number().int(), status: z.string(), priorities: z.number().int(),
  measures: z.record(z.string(), z.number()).describe('measures by status (planned, ongoing, done, cancelled)'),
  indicators: z.object({
    onTrack: z.number().int(), offTrack: z.number().int(), noCertainChange: z.number().int(), notEnoughData: z.number().int(), tooEarly: z.number().int(),
  }).describe('the plan\'s indicators by their follow-up status, computed as GET /api/action-plans/{id}/follow-up does'),
  overdueMeasures: z.number().int().describe('measures past their end date that are still planned or ongoing'),
});
export type PlanOverview = z.infer<typeof planOverviewSchema>;
