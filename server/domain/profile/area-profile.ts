// The area profile — the data of a lägesbild for one area: per source counts, rates and change (as /api/stats) with
// the city (set total) as reference and an exact test of the area's rate against the rest of the set; crimes by
// category, shootings by outcome, guard interventions by type; the latest survey wave for every indicator by sex
// and age band with the previous wave; monthly series per source; weekday × hour matrices (aoristic); the
// platssamverkan places in the area; provenance.
// Privacy for the public and staff (opts.exact false), the same rules as /api/stats:
//  - breakdowns (by category, by month) hide 1..k−1, add complementary suppression where the breakdown sums to a
//    published figure, and round to k;
//  - matrix cells (weighted, fractional) below k are hidden and the rest rounded to k;
//  - survey values from fewer than surveyMinRespondents respondents are hidden.
import type { Queryable } from '../../db/index.js';
import { notFound } from '../../plugins/errors.js';
import { SOURCES, type Source } from '../../routes/shared-schemas.js';
import { addYears, resolvePeriod, type Period } from '../period/resolve-period.js';
import { suppressVector } from '../privacy/complementary-suppression.js';
import { roundToBase, roundWeightToBase } from '../privacy/rounding.js';
import { isSmallCount } from '../privacy/small-counts.js';
import { dataVersion } from '../rollup/refresh-area-day-counts.js';
import { poissonRateRatio, type RateRatio } from '../statistics/poisson-rate-ratio.js';
import { areaStats, type AreaStatsRow, type AreaStatsTotal } from '../stats/area-stats.js';
import type { BatchRef } from '../stats/provenance.js';
import { unplacedGeometry } from '../stats/unplaced.js';
import { areaSurvey, type SurveyFigure, type Wave } from '../survey/survey-results.js';
import { weekdayHourMatrix } from './weekday-hour.js';

export type ProfileOptions = { exact: boolean; k: number; surveyMinRespondents: number };
export type ProfileQuery = { from?: string; to?: string; categories?: string[] };

export type BreakdownItem = { code: string; label: string; group: string | null; count: number | null; previousCount: number | null; suppressed: boolean };
export type SourceProfile = {
  source: Source;
  area: AreaStatsRow;
  city: AreaStatsTotal;
  /** The area's rate against the rest of the set (exact conditional test, population as exposure). */
  vsRestOfSet: RateRatio & { available: boolean };
  byCategory: BreakdownItem[];
  monthly: { month: string; count: number | null; suppressed: boolean }[];
  weekdayHour: { matrix: (number | null)[][]; weekdays: string[]; weighting: 'aoristic'; total: number | null };
};

export type AreaProfile = {
  meta: { area: { id: number; code: string; name: string; areaSetId: string; areaSetName: string }; period: Period; previousPeriod: Period;
    monthlyFrom: string; k: number; exact: boolean; roundingBase: number | null; suppression: string; dataVersion: number; generatedAt: string;
    provenance: { incidentBatches: BatchRef[]; areaSetBatch: BatchRef | null; populationBatches: BatchRef[]; surveyWaves: Wave[] } };
  sources: SourceProfile[];
  survey: { wave: Wave | null; previousWave: Wave | null; minRespondents: number; items: ({ indicator: string; text: string; kind: string; direction: string; group: string } & SurveyFigure)[] };
  places: { id: number; name: string; status: string; startDate: string | null; endDate: string | null }[];
};

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const PROFILE_SUPPRESSION =
  'As /api/stats: counts 1..k-1 hidden, complementary suppression where a breakdown sums to a published figure, ' +
  'published counts rounded to roundingBase; weekday × hour cells (aoristic weights) below k hidden, others rounded to roundingBase; ' +
  'survey values from fewer than minRespondents respondents hidden.';

async function breakdown(db: Queryable, areaId: number, source: Source, period: Period, prevFrom: string, categories: string[] | undefined): Promise<{ code: string; label: string; group: string | null; cur: number; prev: number }[]> {
  const params: unknown[] = [areaId, source, period.from, prevFrom, period.to];
  if (categories?.length) params.push(categories);
  const r = await db.query<{ category: string; label_sv: string | null; grp: string | null; cur: number; prev: number }>(
    `SELECT d.category, c.label_sv, c.grp, d.cur, d.prev FROM (
       SELECT category, COALESCE(sum(n) FILTER (WHERE day >= $3::date), 0)::int AS cur, COALESCE(sum(n) FILTER (WHERE day < $3::date), 0)::int AS prev
       FROM area_day_counts WHERE area_id = $1 AND source = $2 AND day >= $4::date AND day < $5::date${categories?.length ? ' AND category = ANY($6)' : ''}
       GROUP BY category) d
     LEFT JOIN categories c ON c.source = $2 AND c.code = d.category
     ORDER BY d.cur DESC, d.category`, params);
  return r.rows.map((x) => ({ code: x.category, label: x.label_sv ?? x.category, group: x.grp, cur: Number(x.cur), prev: Number(x.prev) }));
}

async function monthly(db: Queryable, areaId: number, source: Source, from: string, to: string, categories?: string[]): Promise<Map<string, number>> {
  const params: unknown[] = [areaId, source, from, to];
  if (categories?.length) params.push(categories);
  const r = await db.query<{ m: string; n: number }>(
    `SELECT to_char(date_trunc('month', day), 'YYYY-MM') AS m, sum(n)::int AS n FROM area_day_counts
     WHERE area_id = $1 AND source = $2 AND day >= $3::date AND day < $4::date${categories?.length ? ' AND category = ANY($5)' : ''} GROUP BY 1`, params);
  return new Map(r.rows.map((x) => [x.m, Number(x.n)]));
}

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7));
  const endY = Number(to.slice(0, 4)), endM = Number(to.slice(5, 7));
  const lastIncluded = to.slice(8, 10) === '01' ? [endY, endM - 1] : [endY, endM];
  while (y < lastIncluded[0] || (y === lastIncluded[0] && m <= lastIncluded[1])) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++; if (m > 12) { m = 1; y++; }
  }
  return out;
}

export async function areaProfile(db: Queryable, areaId: number, q: ProfileQuery, opts: ProfileOptions): Promise<AreaProfile> {
  const a = await db.query<{ id: number; code: string; name: string; area_set_id: string; set_name: string }>(
    `SELECT a.id, a.code, a.name, a.area_set_id, s.name AS set_name FROM areas a JOIN area_sets s ON s.id = a.area_set_id WHERE a.id = $1`, [areaId]);
  if (!a.rows.length) throw notFound(`No area ${areaId}. GET /api/area-sets/<set>/areas lists the areas and their ids.`);
  const area = a.rows[0];
  const version = await dataVersion(db);
  const period = await resolvePeriod(db, 'crimes', q.from, q.to);
  const base = opts.exact || opts.k <= 1 ? 1 : opts.k;
  const monthlyFrom = addYears(period.to, -3);
  const geo = await unplacedGeometry(db, area.area_set_id, version);
  const placedLocs = [...geo.placedIn.entries()].filter(([, aid]) => aid === areaId).map(([loc]) => loc);

  const batches = new Map<number, BatchRef>();
  let areaSetBatch: BatchRef | null = null, populationBatches: BatchRef[] = [];
  let prevPeriod: Period | null = null;
  const sources: SourceProfile[] = [];
  for (const source of SOURCES) {
    // categories filter only the crime codes (crimes and the police events, which share them); the other sources are shown whole
    const cats = source === 'crimes' || source === 'police-events' ? q.categories : undefined;
    const st = await areaStats(db, { areaSetId: area.area_set_id, source, categories: cats, from: period.from, to: period.to }, { exact: opts.exact, k: opts.k });
    prevPeriod = st.meta.previousPeriod;
    for (const b of st.meta.provenance.incidentBatches) batches.set(b.id, b);
    areaSetBatch = st.meta.provenance.areaSetBatch; populationBatches = st.meta.provenance.populationBatches;
    const row = st.rows.find((r) => r.areaId === areaId)!;
    const city = st.total;
    const restCount = row.count !== null && city.count !== null ? city.count - row.count : null;
    const restPop = row.population !== null && city.population !== null ? city.population - row.population : null;
    const vs = row.count !== null && restCount !== null && restCount >= 0 && row.population && restPop && restPop > 0
      ? { ...poissonRateRatio(row.count, restCount, row.population, restPop), available: true }
      : { ratio: null, ciLow: null, ciHigh: null, significant: false, available: false };

    const bd = await breakdown(db, areaId, source, period, st.meta.previousPeriod.from, cats);
    const kindsCur = opts.exact ? bd.map(() => 'none' as const) : suppressVector(bd.map((x) => x.cur), opts.k);
    const kindsPrev = opts.exact ? bd.map(() => 'none' as const) : suppressVector(bd.map((x) => x.prev), opts.k);
    const byCategory = bd.map((x, i) => ({ code: x.code, label: x.label, group: x.group,
      count: kindsCur[i] === 'none' ? roundToBase(x.cur, base) : null, previousCount: kindsPrev[i] === 'none' ? roundToBase(x.prev, base) : null, suppressed: kindsCur[i] !== 'none' }));

    const mm = await monthly(db, areaId, source, monthlyFrom, period.to, cats);
    const months = monthsBetween(monthlyFrom, period.to);
    const mCounts = months.map((m) => mm.get(m) ?? 0);
    const mKinds = opts.exact ? mCounts.map(() => 'none' as const) : suppressVector(mCounts, opts.k);
    const monthlySeries = months.map((m, i) => ({ month: m, count: mKinds[i] === 'none' ? roundToBase(mCounts[i], base) : null, suppressed: mKinds[i] !== 'none' }));

    const matrix = await weekdayHourMatrix(db, { areaId, placedLocationAreaIds: placedLocs, source, from: period.from, to: period.to, categories: cats }, version);
    const total = matrix.flat().reduce((s, v) => s + v, 0);
    const pubMatrix = matrix.map((r) => r.map((v) => (opts.exact ? v : v > 0 && v < opts.k ? null : roundWeightToBase(v, base))));
    sources.push({
      source, area: row, city, vsRestOfSet: vs, byCategory, monthly: monthlySeries,
      weekdayHour: { matrix: pubMatrix, weekdays: WEEKDAYS, weighting: 'aoristic', total: opts.exact ? Math.round(total * 1e6) / 1e6 : (isSmallCount(Math.round(total), opts.k) ? null : roundToBase(Math.round(total), base)) },
    });
  }

  const survey = await areaSurvey(db, areaId, { exact: opts.exact, minRespondents: opts.surveyMinRespondents });
  const pl = await db.query<{ id: number; name: string; status: string; start_date: string | null; end_date: string | null }>(
    `SELECT p.id, p.name, p.status, p.start_date::text AS start_date, p.end_date::text AS end_date FROM places p
     WHERE p.district_area_id = $1 OR EXISTS (SELECT 1 FROM areas a WHERE a.id = $1 AND a.geom && p.geom AND ST_Intersects(a.geom, p.geom))
     ORDER BY p.name, p.id`, [areaId]);
  const surveyWaves = [survey.wave, survey.previousWave].filter((w): w is Wave => w !== null);
  return {
    meta: {
      area: { id: Number(area.id), code: area.code, name: area.name, areaSetId: area.area_set_id, areaSetName: area.set_name },
      period, previousPeriod: prevPeriod!, monthlyFrom, k: opts.k, exact: opts.exact, roundingBase: base > 1 ? base : null,
      suppression: opts.exact ? 'none (exact data)' : PROFILE_SUPPRESSION, dataVersion: version, generatedAt: new Date().toISOString(),
      provenance: { incidentBatches: [...batches.values()].sort((x, y) => x.id - y.id), areaSetBatch, populationBatches, surveyWaves },
    },
    sources,
    survey: { wave: survey.wave, previousWave: survey.previousWave, minRespondents: opts.surveyMinRespondents, items: survey.items },
    places: pl.rows.map((x) => ({ id: Number(x.id), name: x.name, status: x.status, startDate: x.start_date, endDate: x.end_date })),
  };
}
