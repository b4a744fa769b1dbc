// A counted period as answers give it (meta.period, meta.previousPeriod …): from inclusive, to exclusive, local days
// (Europe/Stockholm), and its length in days. The one schema: the type is derived from it. A period shown to people
// adds its last day (inclusive) and its label; a comparison period adds the rule that chose it.
import { z } from 'zod';
import { COMPARISON_RULES } from '../../../shared/periods.js';

export const periodSchema = z.object({ from: z.string(), to: z.string(), days: z.number() });
export type Period = z.infer<typeof periodSchema>;

const bothLanguages = z.object({ sv: z.string(), en: z.string() });

export const labelledPeriodSchema = periodSchema.extend({
  lastDay: z.string().describe('the last day of the period, inclusive (the day before `to`)'),
  label: bothLanguages.describe('the period as people read it, last day inclusive: "1 jan – 31 dec 2025" / "1 Jan – 31 Dec 2025"'),
});
export type LabelledPeriod = z.infer<typeof labelledPeriodSchema>;

export const comparisonPeriodSchema = labelledPeriodSchema.extend({
  rule: z.enum(COMPARISON_RULES).describe('same-period-last-year: the same calendar month, quarter or year one year earlier (the default for ' +
    'one of those); preceding-equal-length: the period of equal length just before (whole months or days; the default otherwise); ' +
    'custom: the baseline asked for by compareFrom/compareTo'),
  comparison: bothLanguages.describe('what is compared with what: "2025 jämfört med 2024" / "2025 compared with 2024"'),
});
export type ComparisonPeriod = z.infer<typeof comparisonPeriodSchema>;
