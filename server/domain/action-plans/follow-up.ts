// The follow-up of a plan, computed, not typed: every indicator's current value against its baseline with the
// statistics' own test (a survey indicator: its latest wave against the baseline wave), and the measures by status with those past their end date and not done flagged as overdue.
import type { Queryable } from '../../db/index.js';
import { currentDataVersion } from '../data-version/data-version.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { memo } from '../data-version/memo.js';
import { disclosureKey } from '../reports/report-memo.js';
import { localToday } from '../reports/saved-reports.js';
import type { ActionPlan, FollowUp } from './action-plan-schema.js';
import { followUpIndicator } from './indicator-figures.js';
import { followUpSurveyIndicator } from './survey-indicator-figures.js';

/**
 * `surveyMinRespondents`: the service's rule for hiding a survey figure; the survey's current figures are in the
 * disclosure's view (exact for analysts, as /api/survey).
 */
export async function followUp(db: Queryable, plan: ActionPlan, disclosure: Disclosure, surveyMinRespondents: number, today = localToday()): Promise<FollowUp> {
  const indicators = [];
  const survey = { exact: disclosure.exact, minRespondents: surveyMinRespondents };
  for (const p of plan.plan.priorities) {
    for (const i of p.indicators) {
      indicators.push(i.kind === 'survey' ? await followUpSurveyIndicator(db, p.id, i, survey) : await followUpIndicator(db, p.id, i, disclosure));
    }
  }
  const byStatus: Record<string, number> = {};
  for (const m of plan.plan.measures) byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
  const overdue = plan.plan.measures
    .filter((m) => m.end !== null && m.end < today && (m.status === 'planned' || m.status === 'ongoing'))
    .map((m) => ({ id: m.id, title: m.title, end: m.end! }));
  return { planId: plan.id, areaId: plan.areaId, status: plan.status, dataVersion: await currentDataVersion(db), asOf: today, indicators, measures: { byStatus, overdue } };
}

/**
 * followUp() kept per data version for the same plan version, privacy view and day: the city's overview asks for every
 * district's plan at once, and an import (a bump) or any save of the plan (a new version) computes it afresh.
 */
export function followUpMemo(db: Queryable, plan: ActionPlan, disclosure: Disclosure, surveyMinRespondents: number, today = localToday()): Promise<FollowUp> {
  return memo(db, `action-plan-follow-up|${plan.id}|${plan.version}|${disclosureKey(disclosure)}|${surveyMinRespondents}|${today}`, () => followUp(db, plan, disclosure, surveyMinRespondents, today));
}
