// Per-area statistics for one source, period and category set: counts, population, rates, the change against the
// previous period as a rate ratio with an exact 95 % CI, incidents not placeable at this level, and a total row for
// the whole set (the city reference).
//
// Counting: an incident belongs to the period its occurred_from falls in (local day, Europe/Stockholm); from is
// inclusive, to exclusive. Counts come from the area_day_counts rollup (summed over days and categories), which is
// kept current for every area set by the writers — including sets imported after the incidents; whole months of a
// long period are read from the monthly rollup derived from it (rollups/area-month-counts.ts).
//
// Change: against the comparison period (period/comparison.ts: the same calendar month, quarter or year a year
// earlier, else the preceding period of equal length, or a rule or baseline asked for; meta.previousPeriod.rule says
// which), rateRatio = (count/(popNow·days)) / (previousCount/(popBefore·previousDays)) with the exact
// conditional-binomial CI (see statistics/poisson-rate-ratio.ts): a rate per person-day, so February 2024's 29 days
// compare fairly with February 2023's 28. When the set has population for the years of both periods (nearest
// available year to each period's middle) the ratio accounts for population change; otherwise the exposures are
// the days alone. changeSignificant only when the 95 % CI excludes 1.
//
// Privacy: every published figure goes through the viewer's Disclosure (disclosure/disclosure-control.ts). For the
// public and staff the period is widened to the public grid, each count (area rows, the total, the previous period,
// the unplaced ones) is published by the cell-key method, and rates and ratios are computed from the PUBLISHED
// counts, so no derived figure reveals more than the counts.
//
// Aggregated counts (import kind area-counts): for a set that has them for the source, the figures are those counts
// (area-counts/area-counts.ts: widened to whole periods of their granularity, meta.aggregated naming the files), never added to
// the events' counts; the default period is the twelve months up to the latest counts. Only when asked
// (query.aggregated: /api/stats, the map and the lägesbild's own part for them, reports/section-aggregated.ts): the
// profile, the lägesbild's other sections and the other users count events.
import type { Queryable } from '../../db/index.js';
import { invalid, notFound } from '../problems.js';
import type { Source } from '../../../shared/sources.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { daysBetween } from '../../../shared/dates.js';
import { resolvePeriod, type Period } from '../period/resolve-period.js';
import { comparisonFor, labelled, type ComparisonQuery } from '../period/comparison.js';
import { areaPopulation } from '../population/area-population.js';
import { readDataVersion } from '../data-version/data-version.js';
import { poissonRateRatio } from '../statistics/poisson-rate-ratio.js';
import { memo } from '../data-version/memo.js';
import { countsByArea } from '../rollups/area-month-counts.js';
import { provenance, publicProvenance } from '../provenance/provenance.js';
import { impreciseCounts, unplacedGeometry } from './unplaced.js';
import { aggregatedCountedPeriod, aggregatedCountsByArea, aggregatedCoverage, aggregatedMeta, aggregatedPeriod, assertAggregatedBaseline, covers } from '../area-counts/area-counts.js';
import type { AreaStatsFigures, AreaStatsMeta, AreaStatsResult, AreaStatsRow, AreaStatsTotal, SuppressionKind } from './area-stats-schema.js';

export type AreaStatsQuery = {
  areaSetId: string; source: Source; categories?: string[]; from?: string; to?: string; comparison?: ComparisonQuery;
  /**
   * Answer a set's aggregated counts of the source (import kind area-counts) where it has them (/api/stats, and the
   * lägesbild's aggregated part). Off for the outputs whose breakdowns need events (area profile, the lägesbild's
   * other sections, divergence, action plans, tiles, OGC): they count events only, so the two are never mixed in one answer.
   */
  aggregated?: boolean;
};
export type AreaStatsOptions = { disclosure: Disclosure };
// the answer's shape: one zod schema (area-stats-schema.ts), the types derived from it
export type { AreaStatsFigures, AreaStatsMeta, AreaStatsResult, AreaStatsRow, AreaStatsTotal, SuppressionKind };

export const RATE_RATIO_METHOD =
  'Exact conditional test: count | count+previousCount ~ Binomial, Clopper-Pearson 95% interval transformed to the rate ratio ' +
  '(as R poisson.test); exposures = population of the nearest year to each period when known, else equal.';
export const UNPLACED_DEFINITION =
  'Incidents known only to an area that no area of this set contains (never spread): per row, those whose known area ' +
  'overlaps the row\'s area; in the total row, all of them overlapping the set, each once.';

type SetInfo = { id: string; name: string; level: string; vintage: number | null; areas: { id: number; code: string; name: string; parentCode: string | null }[] };

export async function setInfo(db: Queryable, setId: string, version?: number): Promise<SetInfo | null> {
  return memo(db, `setinfo|${setId}`, async () => {
    const s = await db.query<{ id: string; name: string; level: string; vintage: number | null }>('SELECT id, name, level, vintage FROM area_sets WHERE id = $1', [setId]);
    if (!s.rows.length) return null;
    const a = await db.query<{ id: number; code: string; name: string; parent_code: string | null }>(
      'SELECT id, code, name, parent_code FROM areas WHERE area_set_id = $1 ORDER BY code, id', [setId]);
    const x = s.rows[0];
    return { id: x.id, name: x.name, level: x.level, vintage: x.vintage === null ? null : Number(x.vintage), areas: a.rows.map((r) => ({ id: Number(r.id), code: r.code, name: r.name, parentCode: r.parent_code })) };
  }, version);
}

/** The year whose population describes a period: the calendar year of its middle day. */
export function periodYear(p: Period): number {
  const mid = new Date(Date.parse(`${p.from}T00:00:00Z`) + (p.days / 2) * 86_400_000);
  return mid.getUTCFullYear();
}

const round = (x: number | null, digits: number) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);

type Exact = { count: number; previous: number; population: number | null; previousPopulation: number | null };
/** the lengths of the period and its comparison period, in days */
type Days = { days: number; previousDays: number };

function figures(x: Exact, len: Days, pub: { count: number | null; previous: number | null; unplaced: number | null }, kind: SuppressionKind, prevKind: SuppressionKind): AreaStatsFigures {
  const c = pub.count, p = pub.previous;
  const rate = c !== null && x.population ? round((c / x.population) * 1000, 3) : null;
  const populationKnown = x.population !== null && x.previousPopulation !== null && x.population > 0 && x.previousPopulation > 0;
  // exposures: person-days (days alone when the population is unknown)
  const rr = c !== null && p !== null
    ? poissonRateRatio(c, p, (populationKnown ? x.population! : 1) * len.days, (populationKnown ? x.previousPopulation! : 1) * len.previousDays)
    : { ratio: null, ciLow: null, ciHigh: null, significant: false };
  return {
    count: c, population: x.population, ratePer1000: rate, previousCount: p,
    rateRatio: round(rr.ratio, 4), rateRatioCiLow: round(rr.ciLow, 4), rateRatioCiHigh: round(rr.ciHigh, 4), changeSignificant: rr.significant,
    unplacedAtThisLevel: pub.unplaced, suppressed: kind !== 'none', suppression: kind, previousSuppressed: prevKind !== 'none',
  };
}

/**
 * Statistics per area of a set in the viewer's disclosure (exact for analysts/admins, else the public view).
 * Throws 404 for an unknown area set.
 */
export async function areaStats(db: Queryable, q: AreaStatsQuery, opts: AreaStatsOptions): Promise<AreaStatsResult> {
  const d = opts.disclosure;
  const version = await readDataVersion(db);
  const set = await setInfo(db, q.areaSetId, version);
  if (!set) throw notFound(`No area set "${q.areaSetId}". GET /api/area-sets lists them.`);
  if (q.categories && q.categories.length > 200) throw invalid('At most 200 categories.', [{ field: 'category', message: 'too many' }]);
  const agg = q.aggregated ? await aggregatedCoverage(db, q.areaSetId, q.source, version) : null;
  const asked0 = agg ? aggregatedPeriod(agg, q.from, q.to) : await resolvePeriod(db, q.source, q.from, q.to);
  const asked = { ...asked0, days: daysBetween(asked0.from, asked0.to) };
  if (asked.days <= 0) throw invalid(`"from" (${asked.from}) must be before "to" (${asked.to}); "to" is exclusive.`, [{ field: 'to', message: 'must be after from' }]);
  const counted0 = d.period(asked.from, asked.to);
  // aggregated counts: whole periods of their granularity (a month of quarterly counts is its quarter)
  const counted = agg ? aggregatedCountedPeriod(agg, q.areaSetId, q.source, counted0) : counted0;
  const period = labelled(counted);
  const prev = comparisonFor(d, period, q.comparison);
  if (agg) assertAggregatedBaseline(agg, q.areaSetId, q.source, prev);
  const prevKnown = !agg || covers(agg, prev);
  const len: Days = { days: period.days, previousDays: prev.days };
  const cats = q.categories?.length ? [...new Set(q.categories)].sort() : undefined;

  const byArea = agg
    ? await aggregatedCountsByArea(db, { setId: q.areaSetId, source: q.source, categories: cats, prevFrom: prev.from, prevTo: prev.to, from: period.from, to: period.to }, d)
    : await countsByArea(db, { setId: q.areaSetId, source: q.source, categories: cats, prevFrom: prev.from, prevTo: prev.to, from: period.from, to: period.to, keys: !d.exact }, version);

  const [popNow, popBefore, geo, imprecise] = await Promise.all([
    areaPopulation(db, q.areaSetId, periodYear(period), version),
    areaPopulation(db, q.areaSetId, periodYear(prev), version),
    unplacedGeometry(db, q.areaSetId, version),
    // aggregated counts are all placed in their areas: no imprecise events belong to them
    agg ? Promise.resolve([] as Awaited<ReturnType<typeof impreciseCounts>>) : impreciseCounts(db, q.source, cats, period.from, period.to, d),
  ]);

  // imprecise incidents not placed at this level, per overlapping area and in total (counts and key sums)
  type Tally = { cur: number; curKey: number };
  const inSet = new Set(set.areas.map((a) => a.id));
  const unplacedRow = new Map<number, Tally>();
  const totalUnplaced: Tally = { cur: 0, curKey: 0 };
  for (const ic of imprecise) {
    if (ic.locationAreaId !== null && geo.placedIn.has(ic.locationAreaId)) continue; // in the rollup already
    const over = ic.locationAreaId === null ? set.areas.map((a) => a.id) : (geo.overlaps.get(ic.locationAreaId) ?? []).filter((id) => inSet.has(id));
    if (!over.length) continue;
    const add = (t: Tally) => { t.cur += ic.current; t.curKey += ic.currentKey; };
    add(totalUnplaced);
    for (const id of over) {
      const t = unplacedRow.get(id) ?? { cur: 0, curKey: 0 };
      add(t);
      unplacedRow.set(id, t);
    }
  }

  const zero = { cur: 0, prev: 0, curKey: 0, prevKey: 0 };
  const counts = set.areas.map((a) => byArea.get(a.id) ?? zero);
  // the set total: every area's count summed (an incident on a shared edge counts in both, as in the rows), its key
  // the sum of the rows' keys — the same events, the same key
  const total = counts.reduce((t, c) => ({ cur: t.cur + c.cur, prev: t.prev + c.prev, curKey: t.curKey + c.curKey, prevKey: t.prevKey + c.prevKey }), { ...zero });
  const popOf = (m: Map<number, number | null>, id: number) => m.get(id) ?? null;
  // the set's population: the sum over the areas whose population is known (meta.areasWithoutPopulation says how many are not)
  const sumPop = (m: Map<number, number | null>) => {
    let s = 0, known = 0;
    for (const a of set.areas) { const p = popOf(m, a.id); if (p !== null) { s += p; known++; } }
    return known ? s : null;
  };

  const kindOf = (n: number, published: number | null): SuppressionKind => (published === null && !d.exact && n >= 0 ? 'primary' : 'none');
  const row = (c: typeof zero, u: Tally, x: Exact) => {
    // a comparison period the aggregated counts do not cover has no count (null), never a zero
    const pub = { count: d.count(c.cur, c.curKey), previous: prevKnown ? d.count(c.prev, c.prevKey) : null, unplaced: d.count(u.cur, u.curKey) };
    return figures(x, len, pub, kindOf(c.cur, pub.count), prevKnown ? kindOf(c.prev, pub.previous) : 'none');
  };
  const rows: AreaStatsRow[] = set.areas.map((a, i) => ({
    areaId: a.id, code: a.code, name: a.name, parentCode: a.parentCode,
    ...row(counts[i], unplacedRow.get(a.id) ?? { cur: 0, curKey: 0 },
      { count: counts[i].cur, previous: counts[i].prev, population: popOf(popNow.byArea, a.id), previousPopulation: popOf(popBefore.byArea, a.id) }),
  }));
  const totalRow: AreaStatsTotal = {
    areaId: null, code: set.id, name: set.name, parentCode: null, areas: set.areas.length,
    ...row(total, totalUnplaced, { count: total.cur, previous: total.prev, population: sumPop(popNow.byArea), previousPopulation: sumPop(popBefore.byArea) }),
  };

  const prov0 = await provenance(db, {
    source: q.source, areaSetId: q.areaSetId,
    spanFrom: new Date(`${prev.from < period.from ? prev.from : period.from}T00:00:00Z`),
    spanTo: new Date(Date.parse(`${prev.to > period.to ? prev.to : period.to}T00:00:00Z`) + 86_400_000),
    populationBatchIds: [...new Set([...popNow.batchIds, ...popBefore.batchIds])],
  }, version);
  // aggregated counts: no event batch is counted (meta.aggregated.batches names the files instead)
  const prov = agg ? { ...prov0, incidentBatches: [] } : prov0;

  const meta: AreaStatsMeta = {
    areaSet: { id: set.id, name: set.name, level: set.level, vintage: set.vintage },
    source: q.source, categories: cats ?? null, period, previousPeriod: prev, k: d.k, exact: d.exact,
    suppression: {
      method: d.exact ? 'none' : 'cell-key',
      description: d.method.description,
      primary: rows.filter((r) => r.suppression === 'primary').length,
      complementary: 0,
    },
    roundingBase: d.method.roundingBase, disclosure: d.method,
    // (only a period the client gave: a default one ends the day after the latest event, which the public may not learn)
    requestedPeriod: q.from && q.to && (asked.from !== period.from || asked.to !== period.to) ? asked : null,
    populationSource: popNow.source, populationYear: popNow.year, previousPopulationYear: popBefore.year,
    areasWithoutPopulation: rows.filter((r) => r.population === null).length,
    rateRatioMethod: RATE_RATIO_METHOD, unplacedDefinition: UNPLACED_DEFINITION,
    dataVersion: version, provenance: d.exact ? prov : publicProvenance(prov, d.k), generatedAt: new Date().toISOString(),
    aggregated: agg ? aggregatedMeta(agg, period, prevKnown) : null,
  };
  return { meta, total: totalRow, rows };
}
