// The survey answers (survey-results.ts) as one zod schema per shape — indicators, waves, the per-area figure, how
// an area's figures were obtained (the basis: own, pooled, borrowed from the containing survey area, not
// available), the rows and meta of /api/survey, the survey of the area profile — with the types derived from them.
import { z } from 'zod';
import { POPULATION_SOURCES } from '../population/area-population.js';
import { SUPPRESSION_REASONS } from './survey-suppression.js';

export const indicatorSchema = z.object({
  code: z.string(), textSv: z.string(), textEn: z.string(),
  kind: z.enum(['share', 'mean']).describe('share: a proportion 0–1 of the respondents; mean: an average answer on the scale (trygghetsindex)'),
  unit: z.enum(['percent', 'mean']).describe('how to show a value: percent = value × 100 with "%" (0,32 → 32 %); mean = the number on its scale (3,2 (1–5))'),
  scale: z.object({ min: z.number(), max: z.number() }).nullable().describe('mean: the answer scale (1–5); share: null (0–1, shown as percent)'),
  direction: z.enum(['higher-is-worse', 'higher-is-better']),
});
export type Indicator = z.infer<typeof indicatorSchema>;

export const waveSchema = z.object({ id: z.string(), name: z.string(), year: z.number(), areaSetId: z.string().nullable() });
export type Wave = z.infer<typeof waveSchema>;

/** A wave as /api/survey/waves lists it: with its indicators and the number of areas it has results for. */
export const waveSummarySchema = waveSchema.extend({ indicators: z.array(z.string()), areas: z.number(),
  groups: z.array(z.string()).describe('the respondent groups the wave has results for (labels: GET /api/survey/groups)') });
export type WaveSummary = z.infer<typeof waveSummarySchema>;

/** A respondent group as /api/survey/groups lists it: its code (the `group` parameter), labels, and the waves that have it. */
export const surveyGroupSchema = z.object({
  code: z.string(), labelSv: z.string(), labelEn: z.string(),
  kind: z.enum(['all', 'sex', 'age', 'other']).describe('all respondents, a sex, an age band, or another grouping of the file'),
  waves: z.array(z.string()).describe('the waves with results for this group (newest first)'),
});
export type SurveyGroup = z.infer<typeof surveyGroupSchema>;

export const surveyGroupsSchema = z.object({
  meta: z.object({
    wave: z.string().nullable(), indicator: z.string().nullable(),
    minRespondents: z.number().describe('figures from fewer respondents are hidden for roles without exact data'),
    suppressionLabel: z.object({ sv: z.string(), en: z.string() }).describe('the rule in a few words, for a legend: "< 30 svarande"'),
    suppressionRule: z.object({ sv: z.string(), en: z.string() }).describe('the rule in a sentence'),
  }),
  groups: z.array(surveyGroupSchema).describe('all, female, male, then the age bands from the youngest'),
});
export type SurveyGroups = z.infer<typeof surveyGroupsSchema>;

export const SURVEY_BASIS_KINDS = ['own', 'pooled', 'containing', 'not-available'] as const;
export type SurveyBasisKind = (typeof SURVEY_BASIS_KINDS)[number];
export const OMIT_REASONS = ['hidden', 'missing', 'no-population'] as const;

const areaRefSchema = z.object({ areaId: z.number(), code: z.string(), name: z.string() });

/** How an area's survey figures were obtained (survey-basis.ts). */
export const surveyBasisSchema = z.object({
  kind: z.enum(SURVEY_BASIS_KINDS).describe('own = the survey is reported for this area; pooled = the population-weighted stratified estimate over the '
    + 'survey areas inside this area (strata); containing = the figures are those of the one survey area this area lies in (surveyArea), shown under '
    + 'its name, not this area\'s own; not-available = survey areas overlap this area only partly (overlapping), or none covers it'),
  surveyAreaSetId: z.string().nullable().describe('the area set the survey is reported for'),
  surveyArea: areaRefSchema.nullable().describe('own: this area; containing: the survey area whose figures these are'),
  strata: z.array(areaRefSchema.extend({ population: z.number().nullable().describe('N_h, the weight') }))
    .describe('pooled: the survey areas inside this area (their interior point in it), with their population'),
  population: z.object({ areaSetId: z.string(), year: z.number().nullable(), source: z.enum(POPULATION_SOURCES) }).nullable()
    .describe('pooled: where the weights N_h come from (the survey area set\'s population for the year nearest the wave)'),
  overlapping: z.array(areaRefSchema).describe('not-available: the survey areas that overlap this area only in part'),
  mismatch: z.number().nullable().describe('the share of this area\'s surface that the survey area(s) used do not match (symmetric difference / area); '
    + 'at most the tolerance for pooled and containing'),
  text: z.object({ sv: z.string(), en: z.string() }).describe('the basis in a sentence, for people'),
});
export type SurveyBasis = z.infer<typeof surveyBasisSchema>;

export const surveyFigureSchema = z.object({
  value: z.number().nullable().describe('share 0–1 (or mean); null when hidden (see suppression) or missing'),
  ciLow: z.number().nullable(), ciHigh: z.number().nullable(),
  ciSource: z.enum(['file', 'wilson', 'stratified']).nullable().describe('file = the survey\'s own CI; wilson = Wilson 95 % from the respondents; '
    + 'stratified = a pooled figure\'s normal-approximation CI from the stratified variance'),
  respondents: z.number().nullable().describe('null when hidden'), previousWaveValue: z.number().nullable(), previousRespondents: z.number().nullable(),
  differenceSignificant: z.boolean().nullable().describe('two-proportion z-test vs the previous wave (shares)'),
  suppressed: z.boolean(),
  suppression: z.enum(SUPPRESSION_REASONS).nullable()
    .describe('why a value is hidden from your role: primary = fewer than minRespondents respondents; complementary = hidden so that a hidden group of the same sex or age partition cannot be worked out as all minus the visible groups'),
  lowRespondents: z.boolean(),
  strataUsed: z.number().nullable().describe('pooled: the number of strata (survey areas) this figure is built from; null otherwise'),
  strataOmitted: z.array(z.object({ areaId: z.number(), name: z.string(), reason: z.enum(OMIT_REASONS) }))
    .describe('pooled: strata left out of this figure — hidden = its figure is hidden from your role (pooling it in would let it be worked out), '
      + 'missing = no result, no-population = no weight'),
});
export type SurveyFigure = z.infer<typeof surveyFigureSchema>;

export const surveyRowSchema = z.object({ areaId: z.number(), code: z.string(), name: z.string() }).merge(surveyFigureSchema)
  .extend({ basis: surveyBasisSchema });
export type SurveyRow = z.infer<typeof surveyRowSchema>;

export const surveyResultSchema = z.object({
  meta: z.object({ areaSetId: z.string(), surveyAreaSetId: z.string().describe('the area set the wave was reported for'),
    wave: waveSchema, previousWave: waveSchema.nullable(), indicator: indicatorSchema, group: z.string(), minRespondents: z.number(), exact: z.boolean(),
    waves: z.array(waveSchema), indicators: z.array(z.string()), groups: z.array(z.string()), method: z.string(), generatedAt: z.string() }),
  rows: z.array(surveyRowSchema),
});
export type SurveyResult = z.infer<typeof surveyResultSchema>;

/** One indicator × group of an area's latest wave (the area profile's survey items). */
export const areaSurveyItemSchema = z.object({ indicator: z.string(), text: z.string(), kind: z.string(), direction: z.string(), group: z.string() }).merge(surveyFigureSchema);
export type AreaSurveyItem = z.infer<typeof areaSurveyItemSchema>;

/** The survey of one area (the area profile's survey): the wave, how the figures were obtained, every item. */
export const areaSurveySchema = z.object({
  wave: waveSchema.nullable(), previousWave: waveSchema.nullable(), minRespondents: z.number(),
  basis: surveyBasisSchema.nullable().describe('how the figures were obtained; null when there is no survey at all'),
  items: z.array(areaSurveyItemSchema),
});
export type AreaSurvey = z.infer<typeof areaSurveySchema>;
