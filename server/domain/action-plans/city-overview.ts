// The city's overview (the central unit's analysts, issue 18): every area of a set with the date of its latest
// lägesbild (stale after two years) and its latest action plan in brief — status, priorities, measures by status —
// with the plan's indicators counted by their follow-up status and its overdue measures, computed by the same
// follow-up as GET /api/action-plans/:id/follow-up (kept per data version, so 117 districts cost one computation each
// per import). The caller passes the disclosure (the route: the public one, as the baselines are). Also as CSV rows.
import type { Queryable } from '../../db/index.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { listSavedReports, localToday, type AreaReportStatus, type SavedReportMeta } from '../reports/saved-reports.js';
import { MEASURE_STATUSES, type IndicatorFollowUp, type PlanOverview } from './action-plan-schema.js';
import { getActionPlan } from './action-plans.js';
import { followUpMemo } from './follow-up.js';

export type AreaOverview = Omit<AreaReportStatus, 'latestActionPlan'> & { latestActionPlan: PlanOverview | null };

const COUNT_KEY: Record<IndicatorFollowUp['status'], keyof PlanOverview['indicators']> = {
  'on-track': 'onTrack', 'off-track': 'offTrack', 'no-certain-change': 'noCertainChange', 'not-enough-data': 'notEnoughData', 'too-early': 'tooEarly',
};

export async function cityOverview(db: Queryable, filter: { areaSetId?: string; areaId?: number }, disclosure: Disclosure,
  surveyMinRespondents: number, today = localToday()): Promise<{ areas: AreaOverview[]; reports: SavedReportMeta[] }> {
  const list = await listSavedReports(db, filter, today);
  const areas: AreaOverview[] = [];
  for (const a of list.areas) {
    const brief = a.latestActionPlan;
    const plan = brief ? await getActionPlan(db, brief.id) : null;
    if (!brief || !plan) { areas.push({ ...a, latestActionPlan: null }); continue; }
    const f = await followUpMemo(db, plan, disclosure, surveyMinRespondents, today);
    const indicators = { onTrack: 0, offTrack: 0, noCertainChange: 0, notEnoughData: 0, tooEarly: 0 };
    for (const i of f.indicators) indicators[COUNT_KEY[i.status]]++;
    areas.push({ ...a, latestActionPlan: { ...brief, indicators, overdueMeasures: f.measures.overdue.length } });
  }
  return { areas, reports: list.reports };
}

export const OVERVIEW_CSV_COLUMNS = [
  'areaId', 'code', 'name', 'latestReportDate', 'stale', 'reportCount', 'planId', 'planStatus', 'priorities',
  ...MEASURE_STATUSES.map((s) => `measures${s[0].toUpperCase()}${s.slice(1)}`),
  'indicatorsOnTrack', 'indicatorsOffTrack', 'indicatorsNoCertainChange', 'indicatorsNotEnoughData', 'indicatorsTooEarly', 'overdueMeasures',
];

/** One flat row per area (OVERVIEW_CSV_COLUMNS); an area without a plan has empty plan cells. */
export function overviewCsvRows(areas: AreaOverview[]): Record<string, unknown>[] {
  return areas.map((a) => {
    const p = a.latestActionPlan;
    return {
      areaId: a.areaId, code: a.code, name: a.name, latestReportDate: a.latestReportDate, stale: a.stale, reportCount: a.reportCount,
      planId: p?.id ?? null, planStatus: p?.status ?? null, priorities: p?.priorities ?? null,
      ...Object.fromEntries(MEASURE_STATUSES.map((s) => [`measures${s[0].toUpperCase()}${s.slice(1)}`, p ? p.measures[s] ?? 0 : null])),
      indicatorsOnTrack: p?.indicators.onTrack ?? null, indicatorsOffTrack: p?.indicators.offTrack ?? null,
      indicatorsNoCertainChange: p?.indicators.noCertainChange ?? null, indicatorsNotEnoughData: p?.indicators.notEnoughData ?? null,
      indicatorsTooEarly: p?.indicators.tooEarly ?? null, overdueMeasures: p?.overdueMeasures ?? null,
    };
  });
}
