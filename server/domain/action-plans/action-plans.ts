// Action plans in the database: created as a draft for an area (usually from its saved lägesbild), saved as kept
// versions with optimistic concurrency (an edit names the version it started from), decided (frozen: no more
// edits), published by the district (then the public may read it), and revised (a decided plan becomes a new draft
// version; the decided one stays in the history). Indicator baselines are filled from the data (the statistics or the
// survey) on save, never typed.
import type { Db, Queryable } from '../../db/index.js';
import type { Principal } from '../access/principal.js';
import { currentDataVersion } from '../data-version/data-version.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { conflict, invalid, notFound } from '../problems.js';
import { actionPlanSchema, planDocumentSchema, type ActionPlan, type Indicator, type PlanDocument, type PlanInput } from './action-plan-schema.js';
import { baselineFor } from './indicator-figures.js';
import { planChanges, type PlanChange, type PlanVersionState } from './plan-changes.js';
import { surveyBaselineFor } from './survey-indicator-figures.js';

type Row = {
  id: number; area_id: number; area_name: string | null; report_id: number | null; title: string; status: ActionPlan['status'];
  version: number; data_version: number; plan: PlanDocument; created_by: string; created_at: Date; updated_by: string;
  updated_at: Date; decided_by: string | null; decided_at: Date | null;
};

const COLS = `p.id, p.area_id, a.name AS area_name, p.report_id, p.title, p.status, p.version, p.data_version, p.plan, p.created_by,
  p.created_at, p.updated_by, p.updated_at, p.decided_by, p.decided_at`;

function toPlan(r: Row): ActionPlan {
  return actionPlanSchema.parse({
    id: Number(r.id), areaId: Number(r.area_id), areaName: r.area_name, reportId: r.report_id === null ? null : Number(r.report_id),
    title: r.title, status: r.status, version: Number(r.version), dataVersion: Number(r.data_version),
    createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString(), updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString(),
    decidedBy: r.decided_by, decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null, plan: r.plan,
  });
}

/**
 * The document as stored: each indicator keeps the baseline it already had (frozen when it was added) and a new one
 * gets its baseline from the statistics (or the survey) now. A baseline sent by the client is ignored unless it is the
 * stored one. `surveyMinRespondents`: the service's rule for hiding a survey figure from the public.
 */
async function withBaselines(db: Queryable, input: PlanInput, before: PlanDocument | null, disclosure: Disclosure, surveyMinRespondents: number): Promise<PlanDocument> {
  const dataVersion = await currentDataVersion(db);
  const old = new Map((before?.priorities ?? []).flatMap((p) => p.indicators.map((i) => [`${p.id}/${i.id}`, i] as const)));
  const priorities = [];
  for (const [pi, p] of input.priorities.entries()) {
    const indicators: Indicator[] = [];
    for (const [ii, i] of p.indicators.entries()) {
      const kept = old.get(`${p.id}/${i.id}`);
      if (i.kind === 'survey') {
        const { baseline: _ignored, ...definition } = i;
        const same = kept?.kind === 'survey' && kept.indicator === i.indicator && kept.group === i.group && kept.areaId === i.areaId;
        const baseline = same ? kept.baseline : await surveyBaselineFor(db, i, surveyMinRespondents, dataVersion, `plan.priorities.${pi}.indicators.${ii}`);
        // a share's target is a share too (0.25 = 25 %): 25 would never be reached nor missed
        if (baseline.valueKind === 'share' && i.targetValue !== null && i.targetValue > 1) {
          throw invalid({ sv: `Målet för en andel anges som 0–1 (0,25 = 25 %), inte ${i.targetValue}.`, en: `A share's target is given as 0–1 (0.25 = 25%), not ${i.targetValue}.` },
            [{ field: `plan.priorities.${pi}.indicators.${ii}.targetValue`, message: { sv: 'en andel 0–1', en: 'a share 0–1' } }]);
        }
        indicators.push({ ...definition, baseline });
        continue;
      }
      const same = kept?.kind === 'incidents' && kept.source === i.source && kept.areaId === i.areaId && kept.months === i.months && kept.categories.join() === i.categories.join();
      const { baseline: _ignored, ...definition } = i;
      indicators.push({ ...definition, baseline: same ? kept.baseline : await baselineFor(db, i, disclosure, dataVersion) });
    }
    priorities.push({ ...p, indicators });
  }
  return planDocumentSchema.parse({ priorities, measures: input.measures });
}

export async function getActionPlan(db: Queryable, id: number): Promise<ActionPlan | null> {
  const r = await db.query<Row>(`SELECT ${COLS} FROM action_plans p LEFT JOIN areas a ON a.id = p.area_id WHERE p.id = $1`, [id]);
  return r.rows.length ? toPlan(r.rows[0]) : null;
}

/** The plans of an area (or all), newest first; `publishedOnly` for the public: the plans published now or before (publishedFace gives what they read). */
export async function listActionPlans(db: Queryable, f: { areaId?: number; publishedOnly: boolean }): Promise<ActionPlan[]> {
  const r = await db.query<Row>(
    `SELECT ${COLS} FROM action_plans p LEFT JOIN areas a ON a.id = p.area_id
     WHERE ($1::bigint IS NULL OR p.area_id = $1)
       AND (NOT $2 OR p.status = 'published' OR EXISTS (SELECT 1 FROM action_plan_versions v WHERE v.plan_id = p.id AND v.status = 'published'))
     ORDER BY p.updated_at DESC, p.id DESC LIMIT 1000`,
    [f.areaId ?? null, f.publishedOnly]);
  return r.rows.map(toPlan);
}

async function keepVersion(tx: Queryable, id: number): Promise<void> {
  await tx.query(
    `INSERT INTO action_plan_versions (plan_id, version, status, title, plan, saved_by, saved_at)
     SELECT id, version, status, title, plan, updated_by, updated_at FROM action_plans WHERE id = $1`, [id]);
}

export async function createActionPlan(db: Db, input: { areaId: number; reportId: number | null; title: string; plan: PlanInput; by: string }, disclosure: Disclosure, surveyMinRespondents: number): Promise<ActionPlan> {
  const plan = await withBaselines(db, input.plan, null, disclosure, surveyMinRespondents);
  const dataVersion = await currentDataVersion(db);
  const id = await db.transaction(async (tx) => {
    const r = await tx.query<{ id: number }>(
      `INSERT INTO action_plans (area_id, report_id, title, plan, data_version, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
      [input.areaId, input.reportId, input.title, plan, dataVersion, input.by]);
    const newId = Number(r.rows[0].id);
    await keepVersion(tx, newId);
    return newId;
  });
  return (await getActionPlan(db, id))!;
}

/** A draft's new text. Refused (conflict) when another save came in since `baseVersion`, or when the plan is decided. */
export async function saveActionPlan(db: Db, id: number, input: { title?: string; plan: PlanInput; baseVersion: number; by: string }, disclosure: Disclosure, surveyMinRespondents: number): Promise<ActionPlan> {
  const before = await getActionPlan(db, id);
  if (!before) throw notFound(`No action plan ${id}.`);
  if (before.status !== 'draft') throw conflict(`Action plan ${id} is ${before.status} and frozen; POST /api/action-plans/${id}/revise makes a new draft version of it.`, { planStatus: before.status, version: before.version });
  const plan = await withBaselines(db, input.plan, before.plan, disclosure, surveyMinRespondents);
  await db.transaction(async (tx) => {
    const r = await tx.query(
      `UPDATE action_plans SET title = coalesce($2, title), plan = $3, version = version + 1, updated_by = $4, updated_at = now()
       WHERE id = $1 AND version = $5 AND status = 'draft'`, [id, input.title ?? null, plan, input.by, input.baseVersion]);
    if (!r.rowCount) throw conflict(`Action plan ${id} was saved by someone else since version ${input.baseVersion}; load version ${before.version} and try again.`, { version: before.version, updatedBy: before.updatedBy, updatedAt: before.updatedAt });
    await keepVersion(tx, id);
  });
  return (await getActionPlan(db, id))!;
}

/** draft → decided (frozen), decided → published (the public may read it), decided/published → a new draft version. */
export async function changeStatus(db: Db, id: number, to: 'decided' | 'published' | 'draft', by: string, baseVersion?: number): Promise<ActionPlan> {
  const before = await getActionPlan(db, id);
  if (!before) throw notFound(`No action plan ${id}.`);
  const allowed: Record<ActionPlan['status'], string[]> = { draft: ['decided'], decided: ['published', 'draft'], published: ['draft'] };
  if (!allowed[before.status].includes(to)) throw conflict(`Action plan ${id} is ${before.status}; it cannot become ${to}.`, { planStatus: before.status, version: before.version });
  await db.transaction(async (tx) => {
    const r = await tx.query(
      `UPDATE action_plans SET status = $2, version = version + 1, updated_by = $3, updated_at = now(),
         decided_by = CASE WHEN $2 = 'decided' THEN $3 WHEN $2 = 'draft' THEN NULL ELSE decided_by END,
         decided_at = CASE WHEN $2 = 'decided' THEN now() WHEN $2 = 'draft' THEN NULL ELSE decided_at END
       WHERE id = $1 AND ($4::int IS NULL OR version = $4)`, [id, to, by, baseVersion ?? null]);
    if (!r.rowCount) throw conflict(`Action plan ${id} changed since version ${baseVersion}.`, { version: before.version });
    await keepVersion(tx, id);
  });
  return (await getActionPlan(db, id))!;
}

export type PlanVersion = { version: number; status: string; title: string; savedBy: string | null; savedAt: string; changes: PlanChange[] };

/**
 * The kept versions, newest first, each with what changed against the version before it. `publishedOnly` (for those
 * who read only the plan's published face): the published versions alone, each compared with the published one
 * before it, and no one's name — nothing of a draft or decided version in between shows.
 */
export async function actionPlanVersions(db: Queryable, id: number, o: { publishedOnly?: boolean } = {}): Promise<PlanVersion[]> {
  const r = await db.query<{ version: number; status: string; title: string; plan: PlanDocument; saved_by: string; saved_at: Date }>(
    `SELECT version, status, title, plan, saved_by, saved_at FROM action_plan_versions WHERE plan_id = $1 AND (NOT $2 OR status = 'published') ORDER BY version`,
    [id, !!o.publishedOnly]);
  const out: PlanVersion[] = [];
  let before: PlanVersionState | null = null;
  for (const x of r.rows) {
    const now: PlanVersionState = { title: x.title, status: x.status, plan: planDocumentSchema.parse(x.plan) };
    out.push({ version: Number(x.version), status: x.status, title: x.title, savedBy: o.publishedOnly ? null : x.saved_by, savedAt: new Date(x.saved_at).toISOString(), changes: planChanges(before, now) });
    before = now;
  }
  return out.reverse();
}

/**
 * The plan as it was last published: the plan itself while it is published, else its latest published version (a
 * revision is a draft until it is published in turn; until then the public keeps reading what was published), with
 * who decided it and when from the decision before it. Null when it was never published.
 */
export async function publishedFace(db: Queryable, plan: ActionPlan): Promise<ActionPlan | null> {
  if (plan.status === 'published') return plan;
  const v = await db.query<{ version: number; title: string; plan: PlanDocument; saved_by: string; saved_at: Date }>(
    `SELECT version, title, plan, saved_by, saved_at FROM action_plan_versions WHERE plan_id = $1 AND status = 'published' ORDER BY version DESC LIMIT 1`, [plan.id]);
  if (!v.rows.length) return null;
  const pub = v.rows[0];
  const d = await db.query<{ saved_by: string; saved_at: Date }>(
    `SELECT saved_by, saved_at FROM action_plan_versions WHERE plan_id = $1 AND status = 'decided' AND version < $2 ORDER BY version DESC LIMIT 1`, [plan.id, pub.version]);
  return actionPlanSchema.parse({
    ...plan, title: pub.title, status: 'published', version: Number(pub.version), plan: pub.plan,
    updatedBy: pub.saved_by, updatedAt: new Date(pub.saved_at).toISOString(),
    decidedBy: d.rows[0]?.saved_by ?? null, decidedAt: d.rows[0] ? new Date(d.rows[0].saved_at).toISOString() : null,
  });
}

/** A published plan as the public reads it: no one's name (keys and roles are the service's, not the public's). */
export const withoutNames = (p: ActionPlan): ActionPlan => ({ ...p, createdBy: null, updatedBy: null, decidedBy: null });

/** Who may read a plan: published plans everyone; drafts and decided plans only those who may write for its area, and analysts. */
export function mayRead(p: Principal, plan: ActionPlan, mayWrite: boolean): boolean {
  return plan.status === 'published' || p.role === 'analyst' || p.role === 'admin' || mayWrite;
}
