// Section 7 of a saved lägesbild as the editor's form sees it: the field names the form uses and the staff text they
// make (the server's StaffTextSchema in domain/reports/staff-text.ts is the rule; this is its shape in the browser).
// Pure, so it is tested beside this file.

export const CAUSAL_STEPS = ['preparation', 'deepenKnowledge', 'likelyCauses', 'testAssumptions', 'chooseMeasures'] as const;
export const SMART_FIELDS = ['goal', 'specific', 'measurable', 'accepted', 'realistic', 'timeBound', 'measures', 'responsible', 'followUp'] as const;
export type CausalStep = (typeof CAUSAL_STEPS)[number];
export type SmartField = (typeof SMART_FIELDS)[number];
export type SmartGoal = Record<SmartField, string>;

export type StaffText = {
  causalAnalysis: Record<CausalStep, string>;
  priorities: string;
  actionPlan: { summary: string; goals: SmartGoal[] };
  comments: string;
};

/** The server's limits (StaffTextSchema): the form's maxlength. */
export const MAX_LENGTH: Record<string, number> = {
  text: 20_000, goal: 2000, specific: 2000, measurable: 2000, accepted: 2000, realistic: 2000, timeBound: 200, measures: 4000, responsible: 500, followUp: 2000,
};
export const MAX_GOALS = 50;

export function emptyGoal(): SmartGoal {
  return Object.fromEntries(SMART_FIELDS.map((k) => [k, ''])) as SmartGoal;
}

export function emptyStaffText(): StaffText {
  return {
    causalAnalysis: Object.fromEntries(CAUSAL_STEPS.map((k) => [k, ''])) as Record<CausalStep, string>,
    priorities: '', actionPlan: { summary: '', goals: [] }, comments: '',
  };
}

/** A staff text from the server (fields may be missing in old reports) with every field present. */
export function normalizeStaffText(x: unknown): StaffText {
  const o = (x ?? {}) as Partial<{ causalAnalysis: Partial<Record<CausalStep, unknown>>; priorities: unknown; actionPlan: { summary?: unknown; goals?: unknown[] }; comments: unknown }>;
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const out = emptyStaffText();
  for (const k of CAUSAL_STEPS) out.causalAnalysis[k] = s(o.causalAnalysis?.[k]);
  out.priorities = s(o.priorities);
  out.comments = s(o.comments);
  out.actionPlan.summary = s(o.actionPlan?.summary);
  out.actionPlan.goals = (Array.isArray(o.actionPlan?.goals) ? o.actionPlan.goals : []).map((g) => {
    const goal = emptyGoal();
    for (const k of SMART_FIELDS) goal[k] = s((g as Record<string, unknown>)?.[k]);
    return goal;
  });
  return out;
}

/**
 * The staff text a form's entries make (FormData order). The form's control names: causalAnalysis.<step>,
 * priorities, actionPlan.summary, comments, goal.<row>.<field>. Goal rows keep the form's order (their row keys need not
 * be consecutive: rows are added and removed); a goal row with every field empty is left out.
 */
export function staffTextFromEntries(entries: Iterable<[string, FormDataEntryValue | string]>): StaffText {
  const out = emptyStaffText();
  const rows = new Map<string, SmartGoal>();
  for (const [name, raw] of entries) {
    const v = typeof raw === 'string' ? raw : '';
    const ca = /^causalAnalysis\.(\w+)$/.exec(name);
    const g = /^goal\.(\w+)\.(\w+)$/.exec(name);
    if (ca && (CAUSAL_STEPS as readonly string[]).includes(ca[1])) out.causalAnalysis[ca[1] as CausalStep] = v;
    else if (name === 'priorities') out.priorities = v;
    else if (name === 'comments') out.comments = v;
    else if (name === 'actionPlan.summary') out.actionPlan.summary = v;
    else if (g && (SMART_FIELDS as readonly string[]).includes(g[2])) {
      if (!rows.has(g[1])) rows.set(g[1], emptyGoal());
      rows.get(g[1])![g[2] as SmartField] = v;
    }
  }
  out.actionPlan.goals = [...rows.values()].filter((goal) => SMART_FIELDS.some((k) => goal[k].trim() !== ''));
  return out;
}

/** Whether two staff texts say the same (what the form holds against what was loaded or saved). */
export function sameStaffText(a: StaffText, b: StaffText): boolean {
  return JSON.stringify(normalizeStaffText(a)) === JSON.stringify(normalizeStaffText(b));
}
