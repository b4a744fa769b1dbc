// The area profile — the data of a lägesbild for one area: per source counts, rates and change (as /api/stats) with
// the city (set total) as reference and an exact test of the area's rate against the rest of the set; crimes by
// category, shootings by outcome, guard interventions by type; the latest survey wave for every indicator by sex
// and age band with the previous wave — the area's own, pooled or borrowed, as survey.basis says (areaSurvey);
// monthly series per source; weekday × hour matrices (aoristic); the platssamverkan places in the area; provenance.
// Privacy: every figure goes through the viewer's Disclosure, as /api/stats: for the public and staff the period is
// widened to the public grid, and every count — breakdowns by category and by month, weekday × hour cells (aoristic
// weights, published like a count of their rounded sum) — is protected by the cell key of the events it holds;
// survey values from fewer than surveyMinRespondents respondents are hidden.
import type { Queryable } from '../../db/index.js';
import { notFound } from '../problems.js';
import { SOURCES, type Source } from '../../../shared/sources.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { addYears, monthKeys } from '../../../shared/dates.js';
import { resolvePeriod, type Period } from '../period/resolve-period.js';
import { labelled, type ComparisonQuery } from '../period/comparison.js';
import type { ComparisonPeriod } from '../period/period-schema.js';
import { readDataVersion } from '../data-version/data-version.js';
import { poissonRateRatio } from '../statistics/poisson-rate-ratio.js';
import { areaStats } from '../area-stats/area-stats.js';
import type { BatchRef } from '../provenance/provenance.js';
import { unplacedGeometry } from '../area-stats/unplaced.js';
import { areaSurvey, type Wave } from '../survey/survey-results.js';
import { weekdayHourMatrix } from './weekday-hour.js';
import type { AreaProfile, BreakdownItem, SourceProfile } from './area-profile-schema.js';

export type ProfileOptions = { disclosure: Disclosure; surveyMinRespondents: number };
/** comparison: what the period is compared with (default: by the period; period/comparison.ts) */
export type ProfileQuery = { from?: string; to?: string; categories?: string[]; comparison?: ComparisonQuery };

// the answer's shape: one zod schema (area-profile-schema.ts), the types derived from it
export type { AreaProfile, BreakdownItem, SourceProfile };

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const PROFILE_SUPPRESSION =
  'As /api/stats (meta.disclosure): the period widened to the public grid; every count — by category, by month, and the weekday × hour ' +
  'cells (aoristic weights, published as a count of their rounded sum) — below k hidden and not told apart from zero, larger ones ' +
  'protected by the cell key of the events they hold; survey values from fewer than minRespondents respondents hidden.';

/** n × the record key of an area_day_counts row, for the public view's key sums (0 for exact readers). */
function rowKeySql(d: Disclosure, params: unknown[]): string {
  return d.exact ? '0' : `n::bigint * ${d.recordKeySql(params, 'source', 'category', 'day')}`;
}

type Counted = { cur: number; prev: number; curKey: number; prevKey: number };

async function breakdown(db: Queryable, areaId: number, source: Source, period: Period, prev: { from: string; to: string }, categories: string[] | undefined, d: Disclosure): Promise<({ code: string; label: string; group: string | null } & Counted)[]> {
  // the period [$3, $4) and its comparison period [$5, $6), wherever that lies (a year earlier, just before, custom)
  const params: unknown[] = [areaId, source, period.from, period.to, prev.from, prev.to];
  let cat = '';
  if (categories?.length) { params.push(categories); cat = ` AND category = ANY($${params.length})`; }
  const key = rowKeySql(d, params);
  const inCur = 'day >= $3::date AND day < $4::date', inPrev = 'day >= $5::date AND day < $6::date';
  const r = await db.query<{ category: string; label_sv: string | null; grp: string | null; cur: number; prev: number; cur_key: string; prev_key: string }>(
    `SELECT d.category, c.label_sv, c.grp, d.cur, d.prev, d.cur_key, d.prev_key FROM (
       SELECT category, COALESCE(sum(n) FILTER (WHERE ${inCur}), 0)::int AS cur, COALESCE(sum(n) FILTER (WHERE ${inPrev}), 0)::int AS prev,
              (COALESCE(sum(${key}) FILTER (WHERE ${inCur}), 0) % ${2 ** 24})::bigint AS cur_key,
              (COALESCE(sum(${key}) FILTER (WHERE ${inPrev}), 0) % ${2 ** 24})::bigint AS prev_key
       FROM area_day_counts WHERE area_id = $1 AND source = $2 AND ((${inCur}) OR (${inPrev}))${cat}
       GROUP BY category) d
     LEFT JOIN categories c ON c.source = $2 AND c.code = d.category
     ORDER BY d.cur DESC, d.category`, params);
  return r.rows.map((x) => ({ code: x.category, label: x.label_sv ?? x.category, group: x.grp, cur: Number(x.cur), prev: Number(x.prev), curKey: Number(x.cur_key), prevKey: Number(x.prev_key) }));
}

async function monthly(db: Queryable, areaId: number, source: Source, from: string, to: string, categories: string[] | undefined, d: Disclosure): Promise<Map<string, { n: number; ks: number }>> {
  const params: unknown[] = [areaId, source, from, to];
  let cat = '';
  if (categories?.length) { params.push(categories); cat = ` AND category = ANY($${params.length})`; }
  const key = rowKeySql(d, params);
  const r = await db.query<{ m: string; n: number; ks: string }>(
    `SELECT to_char(date_trunc('month', day), 'YYYY-MM') AS m, sum(n)::int AS n, (sum(${key}) % ${2 ** 24})::bigint AS ks FROM area_day_counts
     WHERE area_id = $1 AND source = $2 AND day >= $3::date AND day < $4::date${cat} GROUP BY 1`, params);
  return new Map(r.rows.map((x) => [x.m, { n: Number(x.n), ks: Number(x.ks) }]));
}

export async function areaProfile(db: Queryable, areaId: number, q: ProfileQuery, opts: ProfileOptions): Promise<AreaProfile> {
  const a = await db.query<{ id: number; code: string; name: string; area_set_id: string; set_name: string }>(
    `SELECT a.id, a.code, a.name, a.area_set_id, s.name AS set_name FROM areas a JOIN area_sets s ON s.id = a.area_set_id WHERE a.id = $1`, [areaId]);
  if (!a.rows.length) throw notFound(`No area ${areaId}. GET /api/area-sets/<set>/areas lists the areas and their ids.`);
  const area = a.rows[0];
  const version = await readDataVersion(db);
  const d = opts.disclosure;
  const asked = await resolvePeriod(db, 'crimes', q.from, q.to);
  const period = labelled(d.period(asked.from, asked.to));
  const monthlyFrom = addYears(period.to, -3);
  const geo = await unplacedGeometry(db, area.area_set_id, version);
  const placedLocs = [...geo.placedIn.entries()].filter(([, aid]) => aid === areaId).map(([loc]) => loc);

  const batches = new Map<number, BatchRef>();
  let areaSetBatch: BatchRef | null = null, populationBatches: BatchRef[] = [];
  let prevPeriod: ComparisonPeriod | null = null;
  const sources: SourceProfile[] = [];
  for (const source of SOURCES) {
    // categories filter only the crime codes (crimes and the police events, which share them); the other sources are shown whole
    const cats = source === 'crimes' || source === 'police-events' ? q.categories : undefined;
    const st = await areaStats(db, { areaSetId: area.area_set_id, source, categories: cats, from: period.from, to: period.to, comparison: q.comparison }, { disclosure: d });
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

    const bd = await breakdown(db, areaId, source, period, st.meta.previousPeriod, cats, d);
    const byCategory = bd.map((x) => {
      const count = d.count(x.cur, x.curKey);
      return { code: x.code, label: x.label, group: x.group, count, previousCount: d.count(x.prev, x.prevKey), suppressed: count === null };
    });

    const mm = await monthly(db, areaId, source, monthlyFrom, period.to, cats, d);
    const months = monthKeys(monthlyFrom, period.to);
    const monthlySeries = months.map((m) => {
      const x = mm.get(m) ?? { n: 0, ks: 0 };
      const count = d.count(x.n, x.ks);
      return { month: m, count, suppressed: count === null };
    });

    const wh = await weekdayHourMatrix(db, { areaId, placedLocationAreaIds: placedLocs, source, from: period.from, to: period.to, categories: cats }, version);
    const total = wh.matrix.flat().reduce((s, v) => s + v, 0);
    const pubMatrix = wh.matrix.map((r, wd) => r.map((v, h) => d.weight(v, wh.keys[wd][h])));
    sources.push({
      source, area: row, city, vsRestOfSet: vs, byCategory, monthly: monthlySeries,
      // the public total is the area's published count: the same events
      weekdayHour: { matrix: pubMatrix, weekdays: WEEKDAYS, weighting: 'aoristic', total: d.exact ? Math.round(total * 1e6) / 1e6 : row.count },
    });
  }

  const survey = await areaSurvey(db, areaId, { exact: d.exact, minRespondents: opts.surveyMinRespondents });
  const pl = await db.query<{ id: number; name: string; status: string; start_date: string | null; end_date: string | null }>(
    `SELECT p.id, p.name, p.status, p.start_date::text AS start_date, p.end_date::text AS end_date FROM places p
     WHERE p.district_area_id = $1 OR EXISTS (SELECT 1 FROM areas a WHERE a.id = $1 AND a.geom && p.geom AND ST_Intersects(a.geom, p.geom))
     ORDER BY p.name, p.id`, [areaId]);
  const surveyWaves = [survey.wave, survey.previousWave].filter((w): w is Wave => w !== null);
  return {
    meta: {
      area: { id: Number(area.id), code: area.code, name: area.name, areaSetId: area.area_set_id, areaSetName: area.set_name },
      period, previousPeriod: prevPeriod!, monthlyFrom, k: d.k, exact: d.exact, roundingBase: d.method.roundingBase,
      suppression: d.exact ? 'none (exact data)' : PROFILE_SUPPRESSION, dataVersion: version, generatedAt: new Date().toISOString(),
      provenance: { incidentBatches: [...batches.values()].sort((x, y) => x.id - y.id), areaSetBatch, populationBatches, surveyWaves },
    },
    sources,
    survey: { ...survey, minRespondents: opts.surveyMinRespondents },
    places: pl.rows.map((x) => ({ id: Number(x.id), name: x.name, status: x.status, startDate: x.start_date, endDate: x.end_date })),
  };
}
