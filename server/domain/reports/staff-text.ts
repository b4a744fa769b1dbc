// The staff's part of a lägesbild, in the city programme's own structure (Trygghetsprogram 2024–2027, steg 3–4):
// orsaksanalys in five steps, prioritering, and the åtgärdsplan with SMART goals. Validated, size-bounded.
import { z } from 'zod';

const text = (max = 20_000) => z.string().max(max).default('');

export const SmartGoal = z.object({
  goal: text(2000).describe('Målet: vad ska förändras'),
  specific: text(2000).describe('Specifikt: vilken brottstyp eller vilket avgränsat problemområde'),
  measurable: text(2000).describe('Mätbart: indikator (antal, tid, procent eller attityd) och utgångsvärde'),
  accepted: text(2000).describe('Accepterat: vilka parter är överens'),
  realistic: text(2000).describe('Realistiskt: med vilka åtgärder inom utsatt tid'),
  timeBound: text(200).describe('Tidsatt: när förändringen ska vara genomförd (datum)'),
  measures: text(4000).describe('Åtgärder'),
  responsible: text(500).describe('Ansvarig part'),
  followUp: text(2000).describe('Uppföljning: hur och när'),
}).strict();

/** The orsaksanalys in the programme's five steps (the action plan's priorities use the same steps). */
export const CausalAnalysisSteps = z.object({
  preparation: text(),
  deepenKnowledge: text(),
  likelyCauses: text(),
  testAssumptions: text(),
  chooseMeasures: text(),
});

export const StaffTextSchema = z.object({
  causalAnalysis: CausalAnalysisSteps.strict().default({ preparation: '', deepenKnowledge: '', likelyCauses: '', testAssumptions: '', chooseMeasures: '' }),
  priorities: text(),
  actionPlan: z.object({
    summary: text(),
    goals: z.array(SmartGoal).max(50).default([]),
  }).strict().default({ summary: '', goals: [] }),
  comments: text(),
}).strict();

export type StaffText = z.infer<typeof StaffTextSchema>;

/** The partial shape PATCH accepts: only what is sent is changed. */
export const StaffTextPatchSchema = z.object({
  causalAnalysis: z.object({
    preparation: z.string().max(20_000), deepenKnowledge: z.string().max(20_000), likelyCauses: z.string().max(20_000),
    testAssumptions: z.string().max(20_000), chooseMeasures: z.string().max(20_000),
  }).strict().partial().optional(),
  priorities: z.string().max(20_000).optional(),
  actionPlan: z.object({ summary: z.string().max(20_000).optional(), goals: z.array(SmartGoal).max(50).optional() }).strict().optional(),
  comments: z.string().max(20_000).optional(),
}).strict();
export type StaffTextPatch = z.infer<typeof StaffTextPatchSchema>;

export function emptyStaffText(): StaffText {
  return StaffTextSchema.parse({});
}

export function mergeStaffText(base: StaffText, patch: StaffTextPatch): StaffText {
  return StaffTextSchema.parse({
    ...base,
    ...(patch.priorities !== undefined ? { priorities: patch.priorities } : {}),
    ...(patch.comments !== undefined ? { comments: patch.comments } : {}),
    causalAnalysis: { ...base.causalAnalysis, ...(patch.causalAnalysis ?? {}) },
    actionPlan: { ...base.actionPlan, ...(patch.actionPlan ?? {}) },
  });
}

/** The staff-text fields in the order the report shows them, as the paths a version's `changed` list names. */
export const STAFF_TEXT_FIELDS = [
  'causalAnalysis.preparation', 'causalAnalysis.deepenKnowledge', 'causalAnalysis.likelyCauses', 'causalAnalysis.testAssumptions',
  'causalAnalysis.chooseMeasures', 'priorities', 'actionPlan.summary', 'actionPlan.goals', 'comments',
] as const;
export type StaffTextField = (typeof STAFF_TEXT_FIELDS)[number];

function fieldValue(s: StaffText, f: StaffTextField): unknown {
  const [a, b] = f.split('.') as [keyof StaffText, string | undefined];
  const v = s[a];
  return b === undefined ? v : (v as Record<string, unknown>)[b];
}

/** Which fields differ between two staff texts (goals compared as a whole list), in the report's order. */
export function changedStaffFields(before: StaffText, after: StaffText): StaffTextField[] {
  return STAFF_TEXT_FIELDS.filter((f) => JSON.stringify(fieldValue(before, f)) !== JSON.stringify(fieldValue(after, f)));
}
