// The survey answers (survey-results.ts) as one zod schema per shape — indicators, waves, the per-area figure, the
// rows and meta of /api/survey, an item of the area profile — with the types derived from them.
import { z } from 'zod';
import { SUPPRESSION_REASONS } from './survey-suppression.js';

export const indicatorSchema = z.object({
  code: z.string(), textSv: z.string(), textEn: z.string(), kind: z.enum(['share', 'mean']), direction: z.enum(['higher-is-worse', 'higher-is-better']),
});
export type Indicator = z.infer<typeof indicatorSchema>;

export const waveSchema = z.object({ id: z.string(), name: z.string(), year: z.number(), areaSetId: z.string().nullable() });
export type Wave = z.infer<typeof waveSchema>;

/** A wave as /api/survey/waves lists it: with its indicators and the number of areas it has results for. */
export const waveSummarySchema = waveSchema.extend({ indicators: z.array(z.string()), areas: z.number() });
export type WaveSummary = z.infer<typeof waveSummarySchema>;

export const surveyFigureSchema = z.object({
  value: z.number().nullable().describe('share 0–1 (or mean); null when hidden (see suppression) or missing'),
  ciLow: z.number().nullable(), ciHigh: z.number().nullable(), ciSource: z.enum(['file', 'wilson']).nullable(),
  respondents: z.number().nullable().describe('null when hidden'), previousWaveValue: z.number().nullable(), previousRespondents: z.number().nullable(),
  differenceSignificant: z.boolean().nullable().describe('two-proportion z-test vs the previous wave (shares)'),
  suppressed: z.boolean(),
  suppression: z.enum(SUPPRESSION_REASONS).nullable()
    .describe('why a value is hidden from your role: primary = fewer than minRespondents respondents; complementary = hidden so that a hidden group of the same sex or age partition cannot be worked out as all minus the visible groups'),
  lowRespondents: z.boolean(),
});
export type SurveyFigure = z.infer<typeof surveyFigureSchema>;

export const surveyRowSchema = z.object({ areaId: z.number(), code: z.string(), name: z.string() }).merge(surveyFigureSchema);
export type SurveyRow = z.infer<typeof surveyRowSchema>;

export const surveyResultSchema = z.object({
  meta: z.object({ areaSetId: z.string(), wave: waveSchema, previousWave: waveSchema.nullable(), indicator: indicatorSchema, group: z.string(), minRespondents: z.number(), exact: z.boolean(),
    waves: z.array(waveSchema), indicators: z.array(z.string()), groups: z.array(z.string()), method: z.string(), generatedAt: z.string() }),
  rows: z.array(surveyRowSchema),
});
export type SurveyResult = z.infer<typeof surveyResultSchema>;

/** One indicator × group of an area's latest wave (the area profile's survey items). */
export const areaSurveyItemSchema = z.object({ indicator: z.string(), text: z.string(), kind: z.string(), direction: z.string(), group: z.string() }).merge(surveyFigureSchema);
export type AreaSurveyItem = z.infer<typeof areaSurveyItemSchema>;
