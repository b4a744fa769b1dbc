// What changed between two kept versions of an action plan (issue 18: "who changed what, when"): the title, the
// status, and each priority, indicator and measure added, removed or changed — by id, naming the fields that changed.
// Pure, so the versions list can say it for every version and it is tested beside this file.
import type { PlanDocument } from './action-plan-schema.js';

export const CHANGE_SUBJECTS = ['title', 'status', 'priority', 'indicator', 'measure'] as const;
export const CHANGE_KINDS = ['added', 'removed', 'changed'] as const;
export type PlanChange = {
  subject: (typeof CHANGE_SUBJECTS)[number]; change: (typeof CHANGE_KINDS)[number];
  /** the item's id within the plan (priorities, indicators, measures) */
  id: string | null;
  /** the item's title or label as the newer version has it (the older one's when removed); the new text for the title, the new status */
  label: string;
  /** which of the item's fields changed (changed only): e.g. owner, end, causalAnalysis.likelyCauses, triangle.place */
  fields: string[];
};
export type PlanVersionState = { title: string; status: string; plan: PlanDocument };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The top-level fields (and the orsaksanalys' steps and triangle sides one level down) whose values differ. */
function changedFields(a: Record<string, unknown>, b: Record<string, unknown>, skip: string[] = []): string[] {
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    if (skip.includes(k) || same(a[k], b[k])) continue;
    const x = a[k], y = b[k];
    if (k === 'causalAnalysis' || k === 'triangle') out.push(...changedFields((x ?? {}) as Record<string, unknown>, (y ?? {}) as Record<string, unknown>).map((f) => (k === 'triangle' ? `triangle.${f}` : f.startsWith('triangle.') ? f : `${k}.${f}`)));
    else out.push(k);
  }
  return out;
}

/** Items matched by id: added, removed, and changed with their fields. */
function byId<T extends { id: string }>(subject: PlanChange['subject'], before: T[], after: T[], label: (x: T) => string, skip: string[] = []): PlanChange[] {
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Map(after.map((x) => [x.id, x]));
  const out: PlanChange[] = [];
  for (const x of after) {
    const o = old.get(x.id);
    if (!o) { out.push({ subject, change: 'added', id: x.id, label: label(x), fields: [] }); continue; }
    const fields = changedFields(o as unknown as Record<string, unknown>, x as unknown as Record<string, unknown>, skip);
    if (fields.length) out.push({ subject, change: 'changed', id: x.id, label: label(x), fields });
  }
  for (const o of before) if (!now.has(o.id)) out.push({ subject, change: 'removed', id: o.id, label: label(o), fields: [] });
  return out;
}

/** The changes from `before` (null: the first version) to `after`. */
export function planChanges(before: PlanVersionState | null, after: PlanVersionState): PlanChange[] {
  if (!before) return [];
  const out: PlanChange[] = [];
  if (before.title !== after.title) out.push({ subject: 'title', change: 'changed', id: null, label: after.title, fields: [] });
  if (before.status !== after.status) out.push({ subject: 'status', change: 'changed', id: null, label: after.status, fields: [] });
  out.push(...byId('priority', before.plan.priorities, after.plan.priorities, (p) => p.title, ['indicators']));
  // indicators within their priority: an indicator moved to another priority is removed there and added here
  const indicators = (d: PlanDocument) => d.priorities.flatMap((p) => p.indicators.map((i) => ({ ...i, id: `${p.id}/${i.id}` })));
  out.push(...byId('indicator', indicators(before.plan), indicators(after.plan), (i) => i.label));
  out.push(...byId('measure', before.plan.measures, after.plan.measures, (m) => m.title));
  return out;
}
