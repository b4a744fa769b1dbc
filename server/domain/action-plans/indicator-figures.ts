// An indicator's figures come from the same statistics as /api/stats — the area's own set, the same disclosure
// control — so a baseline or a follow-up value is never a number of its own making. The baseline is the `months`
// up to the latest data when the indicator is added; the follow-up is the latest `months` now, compared with the
// baseline by the statistics' own test (exact Poisson rate ratio, 95 % CI): "on track" only when the interval says so.
import type { Queryable } from '../../db/index.js';
import { addMonths, monthEndExclusive } from '../../../shared/dates.js';
import { areaStats } from '../area-stats/area-stats.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { invalid } from '../problems.js';
import type { IncidentIndicator, IncidentIndicatorDefinition, IndicatorFollowUp } from './action-plan-schema.js';

type Figures = { from: string; to: string; count: number | null; ratePer1000: number | null; suppressed: boolean };

export async function areaSetOf(db: Queryable, areaId: number): Promise<string> {
  const r = await db.query<{ area_set_id: string }>('SELECT area_set_id FROM areas WHERE id = $1', [areaId]);
  if (!r.rows.length) throw invalid(`No area with id ${areaId}.`, [{ field: 'areaId', message: 'unknown area' }]);
  return r.rows[0].area_set_id;
}

/** The end (exclusive) of the latest data: the statistics' default period ends there. */
async function dataEnd(db: Queryable, areaSetId: string, i: IncidentIndicatorDefinition, disclosure: Disclosure): Promise<string> {
  const r = await areaStats(db, { areaSetId, source: i.source, categories: i.categories.length ? i.categories : undefined }, { disclosure });
  return r.meta.period.to;
}

/** The figures of the `months` up to the latest data, as /api/stats counts them (the period it actually counted). */
export async function baselineFor(db: Queryable, i: IncidentIndicatorDefinition, disclosure: Disclosure, dataVersion: number): Promise<IncidentIndicator['baseline']> {
  const areaSetId = await areaSetOf(db, i.areaId);
  const to = await dataEnd(db, areaSetId, i, disclosure);
  const r = await areaStats(db, { areaSetId, source: i.source, categories: i.categories.length ? i.categories : undefined, from: addMonths(to, -i.months), to }, { disclosure });
  const row = r.rows.find((x) => x.areaId === i.areaId);
  return { from: r.meta.period.from, to: r.meta.period.to, count: row?.count ?? null, ratePer1000: row?.ratePer1000 ?? null, suppressed: row?.suppressed ?? true, areaSetId, dataVersion };
}

const TEXT: Record<IndicatorFollowUp['status'], { sv: string; en: string }> = {
  'on-track': { sv: 'Säker minskning sedan utgångsläget (95 % KI under 1).', en: 'A certain fall since the baseline (95% CI below 1).' },
  'off-track': { sv: 'Säker ökning sedan utgångsläget (95 % KI över 1).', en: 'A certain rise since the baseline (95% CI above 1).' },
  'no-certain-change': { sv: 'Ingen säker förändring sedan utgångsläget: skillnaden ryms i slumpens variation.', en: 'No certain change since the baseline: the difference is within chance variation.' },
  'too-early': { sv: 'För tidigt att jämföra: det finns ännu ingen hel ny period efter utgångsläget.', en: 'Too early to compare: there is no full new period after the baseline yet.' },
  'not-enough-data': { sv: 'För få händelser för att bedöma (färre än gränsen för röjandeskydd).', en: 'Too few events to judge (below the disclosure threshold).' },
};

/** The latest `months` against the baseline: the current figures, the rate ratio with its CI, and the status. */
export async function followUpIndicator(db: Queryable, priorityId: string, i: IncidentIndicator, disclosure: Disclosure): Promise<IndicatorFollowUp> {
  const areaSetId = i.baseline.areaSetId;
  // whole months, for every viewer: the baseline lies on the public grid, and an exact viewer's data end (the day
  // after the latest event) would otherwise start the period mid-month, overlapping the baseline ('too-early') for
  // the analyst while the public's whole-month period is compared
  const to = monthEndExclusive(await dataEnd(db, areaSetId, i, disclosure));
  const from = addMonths(to, -i.months);
  // a follow-up period that still overlaps the baseline (no full new period of data yet) is not compared with it
  const separate = from >= i.baseline.to;
  const r = await areaStats(db, {
    areaSetId, source: i.source, categories: i.categories.length ? i.categories : undefined, from, to,
    comparison: separate ? { compareFrom: i.baseline.from, compareTo: i.baseline.to } : undefined,
  }, { disclosure });
  const row = r.rows.find((x) => x.areaId === i.areaId);
  const current: Figures = { from: r.meta.period.from, to: r.meta.period.to, count: row?.count ?? null, ratePer1000: row?.ratePer1000 ?? null, suppressed: row?.suppressed ?? true };
  const enough = !current.suppressed && !i.baseline.suppressed && current.count !== null && i.baseline.count !== null;
  const compared = enough && separate && current.from >= i.baseline.to;
  const ratio = compared ? row?.rateRatio ?? null : null;
  const significant = compared && !!row?.changeSignificant;
  const status: IndicatorFollowUp['status'] = !separate ? 'too-early' : !enough ? 'not-enough-data' : significant ? ((ratio ?? 1) < 1 ? 'on-track' : 'off-track') : 'no-certain-change';
  return {
    priorityId, indicatorId: i.id, label: i.label, kind: 'incidents', baseline: i.baseline, current,
    rateRatio: ratio, ciLow: ratio !== null ? row?.rateRatioCiLow ?? null : null, ciHigh: ratio !== null ? row?.rateRatioCiHigh ?? null : null,
    significant, targetRate: i.targetRate,
    targetReached: i.targetRate === null || current.ratePer1000 === null ? null : current.ratePer1000 <= i.targetRate,
    status, statusText: TEXT[status], survey: null,
  };
}
