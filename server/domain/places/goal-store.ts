// SMART goals of a place: an indicator, a baseline period whose value is measured (never typed), a target and a
// deadline; each goal is served with its measured baseline, latest value and status (goal-status.ts).
//
// Incident goals count exact incidents inside the place. Values are counts per window as long as the baseline
// period (a baseline of one year → incidents per year). The latest value is the count in the last such window
// that ends at the deadline or at the last day with data, whichever is earlier, and does not reach back into the
// baseline; a window shorter than the baseline (at least 90 % of it, e.g. 365 days after a leap-year baseline)
// is scaled to the baseline's length (`count` is the raw count, `days` the window's length).
// Survey goals use the district's value (the place's district, or the smallest survey area containing it) for
// the indicator and respondent group: the baseline is the latest wave whose year lies in the baseline period,
// the latest value the latest later wave up to the deadline's year. Results with fewer respondents than the
// survey minimum are not used.
import type { Queryable } from '../../db/index.js';
import type { Principal } from '../access/principal.js';
import { seesExactData } from '../access/principal.js';
import { invalid, notFound } from '../problems.js';
import { addDays, daysBetween } from '../../../shared/dates.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { poissonRateRatio } from '../statistics/poisson-rate-ratio.js';
import { goalDirection, goalStatus, type GoalDirection } from './goal-status.js';
import type { GoalIndicator, GoalInput, GoalPatch, GoalView, IncidentIndicator, Measurement, SurveyIndicator } from './goal-schema.js';
import { countInsidePlace, countInsidePlaceWithKey, sourceCoverage } from './place-incident-counts.js';

// what is sent and what is served: one zod schema each (goal-schema.ts), the types derived from them
export type { GoalIndicator, GoalInput, GoalPatch, GoalView, IncidentIndicator, Measurement, SurveyIndicator };

type Row = { id: number; place_id: number; description: string; indicator: GoalIndicator; baseline_from: string; baseline_to: string; baseline_value: number | null; target_value: number; deadline: string; created_at: Date };
const COLS = `id, place_id, description, indicator, baseline_from::text AS baseline_from, baseline_to::text AS baseline_to, baseline_value, target_value, deadline::text AS deadline, created_at`;

export type GoalContext = { principal: Principal; disclosure: Disclosure; surveyMinRespondents: number; today?: string };

function checkGoalDates(g: Pick<GoalInput, 'baselineFrom' | 'baselineTo' | 'deadline'>) {
  if (g.baselineTo < g.baselineFrom) throw invalid(`baselineTo (${g.baselineTo}) is before baselineFrom (${g.baselineFrom}).`, [{ field: 'baselineTo', message: 'before baselineFrom' }]);
  if (g.deadline <= g.baselineTo) throw invalid(`deadline (${g.deadline}) must be after the baseline period (ends ${g.baselineTo}).`, [{ field: 'deadline', message: 'not after the baseline' }]);
}

async function checkIndicator(db: Queryable, ind: GoalIndicator) {
  if (ind.type !== 'survey') return;
  const r = await db.query('SELECT 1 FROM survey_indicators WHERE code = $1', [ind.indicator]);
  if (!r.rows.length) throw invalid(`indicator.indicator: no survey indicator "${ind.indicator}" (import a survey first; GET /api/survey lists the indicators).`, [{ field: 'indicator.indicator', message: 'unknown survey indicator' }]);
}

type SurveyPoint = { wave_id: string; year: number; value: number; ci_low: number | null; ci_high: number | null; respondents: number };

async function surveyPoints(db: Queryable, placeId: number, ind: SurveyIndicator, minRespondents: number): Promise<SurveyPoint[]> {
  // the place's district, else the smallest area with results that contains the place
  const r = await db.query<SurveyPoint & { area_m2: number }>(
    `WITH p AS (SELECT district_area_id, ST_PointOnSurface(geom) AS pt FROM places WHERE id = $1),
          cand AS (
            SELECT a.id, a.area_m2 FROM areas a, p WHERE a.id = p.district_area_id
            UNION
            SELECT a.id, a.area_m2 FROM areas a, p WHERE ST_Contains(a.geom, p.pt)
              AND EXISTS (SELECT 1 FROM survey_results s WHERE s.area_id = a.id AND s.indicator = $2)),
          best AS (SELECT c.id FROM cand c WHERE EXISTS (SELECT 1 FROM survey_results s WHERE s.area_id = c.id AND s.indicator = $2)
                   ORDER BY c.area_m2 LIMIT 1)
     SELECT s.wave_id, w.year, s.value, s.ci_low, s.ci_high, s.respondents, 0 AS area_m2
     FROM survey_results s JOIN survey_waves w ON w.id = s.wave_id JOIN best b ON b.id = s.area_id
     WHERE s.indicator = $2 AND s.grp = $3 AND s.respondents >= $4 ORDER BY w.year, s.wave_id`,
    [placeId, ind.indicator, ind.group, minRespondents]);
  return r.rows;
}

async function naturalDirection(db: Queryable, ind: GoalIndicator): Promise<GoalDirection> {
  if (ind.type === 'incidents') return 'decrease';
  const r = await db.query<{ direction: string }>('SELECT direction FROM survey_indicators WHERE code = $1', [ind.indicator]);
  return r.rows[0]?.direction === 'higher-is-better' ? 'increase' : 'decrease';
}

/** The measured baseline value (for storing when a goal is written). */
export async function measureBaseline(db: Queryable, placeId: number, g: Pick<GoalInput, 'indicator' | 'baselineFrom' | 'baselineTo'>, surveyMinRespondents: number): Promise<number | null> {
  if (g.indicator.type === 'incidents') {
    const cov = await sourceCoverage(db, g.indicator.source);
    // the data must cover the baseline period (a week's grace at either end: the first and last incident need not fall on its edges)
    if (!cov.firstDay || !cov.lastDay || cov.firstDay > addDays(g.baselineFrom, 7) || cov.lastDay < addDays(g.baselineTo, -7)) return null;
    return countInsidePlace(db, placeId, g.indicator.source, g.indicator.categories, g.baselineFrom, addDays(g.baselineTo, 1));
  }
  const yFrom = Number(g.baselineFrom.slice(0, 4)), yTo = Number(g.baselineTo.slice(0, 4));
  const pts = (await surveyPoints(db, placeId, g.indicator, surveyMinRespondents)).filter((p) => p.year >= yFrom && p.year <= yTo);
  return pts.length ? pts[pts.length - 1].value : null;
}

async function evaluateGoal(db: Queryable, x: Row, ctx: GoalContext): Promise<GoalView> {
  const placeId = Number(x.place_id);
  const ind = x.indicator;
  const natural = await naturalDirection(db, ind);
  const d = ctx.disclosure;
  const exact = d.exact;
  const base: Omit<GoalView, 'baseline' | 'current' | 'direction' | 'status' | 'expectedNow' | 'changeFromBaseline' | 'suppressed'> = {
    id: Number(x.id), placeId, description: x.description, indicator: ind, targetValue: x.target_value, deadline: x.deadline,
    createdAt: new Date(x.created_at).toISOString(),
  };
  if (ind.type === 'incidents') {
    const baseline = await measureBaseline(db, placeId, { indicator: ind, baselineFrom: x.baseline_from, baselineTo: x.baseline_to }, ctx.surveyMinRespondents);
    const len = daysBetween(x.baseline_from, x.baseline_to) + 1;
    const cov = await sourceCoverage(db, ind.source);
    let current: Measurement | null = null;
    let raw: number | null = null, rawKey = 0;
    let final = false, progress = 0;
    if (baseline !== null && cov.lastDay) {
      // the public learns the data's last day only to the month (it is the newest event's day)
      const lastDay = exact ? cov.lastDay : d.eventDate(cov.lastDay, true);
      const end = lastDay < x.deadline ? lastDay : x.deadline;
      const afterBaseline = addDays(x.baseline_to, 1);
      const back = addDays(end, -(len - 1));
      const start = back > afterBaseline ? back : afterBaseline;
      const days = end >= start ? daysBetween(start, end) + 1 : 0;
      // a window at least 90 % as long as the baseline (a leap-year baseline vs the next year), scaled to its length
      if (days >= 0.9 * len) {
        ({ n: raw, ks: rawKey } = await countInsidePlaceWithKey(db, placeId, ind.source, ind.categories, start, addDays(end, 1), exact ? undefined : d));
        current = { from: start, to: end, value: Math.round((raw! * len / days) * 100) / 100, days, count: raw };
        final = cov.lastDay >= x.deadline;
        progress = daysBetween(x.baseline_to, end) / Math.max(1, daysBetween(x.baseline_to, x.deadline));
      }
    }
    const direction = goalDirection(ind.direction, natural);
    const st = goalStatus({ baseline, target: x.target_value, current: current?.value ?? null, direction, final, progress });
    const rr = baseline !== null && raw !== null && current ? poissonRateRatio(raw, baseline, current.days ?? len, len) : null;
    // the public sees the counts through the disclosure control (the baseline's key: the same events as its count)
    const baselineKey = baseline === null || exact ? 0 : (await countInsidePlaceWithKey(db, placeId, ind.source, ind.categories, x.baseline_from, addDays(x.baseline_to, 1), d)).ks;
    const shownBaseline = baseline === null ? null : d.count(baseline, baselineKey);
    const shownRaw = raw === null ? null : d.count(raw, rawKey);
    const suppressed = !exact && ((baseline !== null && shownBaseline === null) || (raw !== null && shownRaw === null));
    return {
      ...base, direction, status: st.status, expectedNow: st.expectedNow,
      baseline: { from: x.baseline_from, to: x.baseline_to, value: shownBaseline, storedValue: exact ? x.baseline_value : shownBaseline },
      current: current ? { ...current, value: shownRaw === null ? null : exact ? current.value : Math.round((shownRaw * len / (current.days ?? len)) * 100) / 100, count: shownRaw } : null,
      // a ratio and its interval would let a reader work back to a suppressed count
      changeFromBaseline: rr && !suppressed ? rr : null,
      suppressed,
    };
  }
  const pts = await surveyPoints(db, placeId, ind, ctx.surveyMinRespondents);
  const yFrom = Number(x.baseline_from.slice(0, 4)), yTo = Number(x.baseline_to.slice(0, 4)), yDeadline = Number(x.deadline.slice(0, 4));
  const basePts = pts.filter((p) => p.year >= yFrom && p.year <= yTo);
  const b = basePts.length ? basePts[basePts.length - 1] : null;
  const later = b ? pts.filter((p) => p.year > b.year && p.year <= yDeadline) : [];
  const c = later.length ? later[later.length - 1] : null;
  const today = ctx.today ?? new Date().toISOString().slice(0, 10);
  const final = c !== null && (c.year >= yDeadline || today > x.deadline);
  const progress = b && c ? (c.year - b.year) / Math.max(1, yDeadline - b.year) : 0;
  const direction = goalDirection(ind.direction, natural);
  const st = goalStatus({ baseline: b?.value ?? null, target: x.target_value, current: c?.value ?? null, direction, final, progress });
  const m = (p: SurveyPoint): Measurement => ({ from: `${p.year}-01-01`, to: `${p.year}-12-31`, value: p.value, waveId: p.wave_id, respondents: p.respondents, ciLow: p.ci_low, ciHigh: p.ci_high });
  return {
    ...base, direction, status: st.status, expectedNow: st.expectedNow,
    baseline: { ...(b ? m(b) : { value: null }), from: x.baseline_from, to: x.baseline_to, storedValue: x.baseline_value },
    current: c ? m(c) : null,
    changeFromBaseline: null, suppressed: false,
  };
}

export async function listGoals(db: Queryable, placeId: number, ctx: GoalContext): Promise<GoalView[]> {
  const r = await db.query<Row>(`SELECT ${COLS} FROM place_goals WHERE place_id = $1 ORDER BY deadline, id`, [placeId]);
  const out: GoalView[] = [];
  for (const x of r.rows) out.push(await evaluateGoal(db, x, ctx));
  return out;
}

export async function getGoal(db: Queryable, placeId: number, id: number, ctx: GoalContext): Promise<GoalView> {
  const r = await db.query<Row>(`SELECT ${COLS} FROM place_goals WHERE place_id = $1 AND id = $2`, [placeId, id]);
  if (!r.rows.length) throw notFound(`Place ${placeId} has no goal ${id}.`);
  return evaluateGoal(db, r.rows[0], ctx);
}

async function goalRow(db: Queryable, placeId: number, id: number): Promise<Row> {
  const r = await db.query<Row>(`SELECT ${COLS} FROM place_goals WHERE place_id = $1 AND id = $2`, [placeId, id]);
  if (!r.rows.length) throw notFound(`Place ${placeId} has no goal ${id}.`);
  return r.rows[0];
}

export async function insertGoal(db: Queryable, placeId: number, g: GoalInput, surveyMinRespondents: number): Promise<number> {
  checkGoalDates(g);
  await checkIndicator(db, g.indicator);
  const baseline = await measureBaseline(db, placeId, g, surveyMinRespondents);
  const r = await db.query<{ id: number }>(
    `INSERT INTO place_goals (place_id, description, indicator, baseline_from, baseline_to, baseline_value, target_value, deadline)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [placeId, g.description ?? '', JSON.stringify(g.indicator), g.baselineFrom, g.baselineTo, baseline, g.targetValue, g.deadline]);
  return Number(r.rows[0].id);
}

export async function updateGoal(db: Queryable, placeId: number, id: number, patch: GoalPatch, surveyMinRespondents: number): Promise<string[]> {
  const cur = await goalRow(db, placeId, id);
  const next: GoalInput = {
    description: patch.description ?? cur.description, indicator: patch.indicator ?? cur.indicator,
    baselineFrom: patch.baselineFrom ?? cur.baseline_from, baselineTo: patch.baselineTo ?? cur.baseline_to,
    targetValue: patch.targetValue ?? cur.target_value, deadline: patch.deadline ?? cur.deadline,
  };
  checkGoalDates(next);
  if (patch.indicator) await checkIndicator(db, next.indicator);
  const changed = (Object.keys(patch) as (keyof GoalPatch)[]).filter((k) => patch[k] !== undefined);
  if (!changed.length) return [];
  const baseline = await measureBaseline(db, placeId, next, surveyMinRespondents);
  await db.query(
    `UPDATE place_goals SET description = $3, indicator = $4, baseline_from = $5, baseline_to = $6, baseline_value = $7, target_value = $8, deadline = $9
     WHERE place_id = $1 AND id = $2`,
    [placeId, id, next.description ?? '', JSON.stringify(next.indicator), next.baselineFrom, next.baselineTo, baseline, next.targetValue, next.deadline]);
  return changed;
}

export async function deleteGoal(db: Queryable, placeId: number, id: number): Promise<void> {
  const r = await db.query('DELETE FROM place_goals WHERE place_id = $1 AND id = $2', [placeId, id]);
  if (!r.rowCount) throw notFound(`Place ${placeId} has no goal ${id}.`);
}
