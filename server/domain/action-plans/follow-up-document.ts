// What the follow-up report (HTML, PDF, Word) is made of: the plan as decided, its follow-up computed now (the JSON
// follow-up's very figures, in the viewer's disclosure control), the names of the areas its indicators follow, the
// viewer's disclosure threshold (a suppressed count is written "< k", never as a number) and who decided the plan.
import type { Queryable } from '../../db/index.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import type { Lang } from '../reports/types.js';
import type { ActionPlan, FollowUp } from './action-plan-schema.js';

export type FollowUpDocument = {
  lang: Lang;
  plan: ActionPlan;
  followUp: FollowUp;
  /** the plan's area and every indicator's, by id */
  areaNames: Record<number, string>;
  /** suppressionK: a count below it is "< k"; surveyMinRespondents: a survey figure from fewer respondents is hidden */
  viewer: { exact: boolean; suppressionK: number; surveyMinRespondents: number };
  /** the name of the API key (or the role) that decided the plan; null when undecided, unknown or not shown to this viewer */
  decidedByName: string | null;
  generatedAt: string;
};

/**
 * The report's content. `showNames`: whether the viewer may see the name of the key that decided the plan (the public
 * reads "the district administration" instead: a key's name can be a person's).
 */
export async function followUpDocument(db: Queryable, plan: ActionPlan, followUp: FollowUp, disclosure: Disclosure,
  o: { lang: Lang; showNames: boolean; surveyMinRespondents: number }): Promise<FollowUpDocument> {
  const ids = [...new Set([plan.areaId, ...plan.plan.priorities.flatMap((p) => p.indicators.map((i) => i.areaId))])];
  const r = await db.query<{ id: number; name: string }>('SELECT id, name FROM areas WHERE id = ANY($1::bigint[])', [ids]);
  const areaNames: Record<number, string> = Object.fromEntries(r.rows.map((x) => [Number(x.id), x.name]));
  let decidedByName: string | null = null;
  const key = /^key:(\d+)$/.exec(plan.decidedBy ?? '');
  if (o.showNames && key) {
    const k = await db.query<{ name: string }>('SELECT name FROM api_keys WHERE id = $1', [Number(key[1])]);
    decidedByName = k.rows[0]?.name ?? null;
  } else if (o.showNames && plan.decidedBy) {
    decidedByName = plan.decidedBy; // a role signed in without a key (admin, analyst)
  }
  return {
    lang: o.lang, plan, followUp, areaNames, viewer: { exact: disclosure.exact, suppressionK: disclosure.k, surveyMinRespondents: o.surveyMinRespondents },
    decidedByName, generatedAt: new Date().toISOString(),
  };
}
