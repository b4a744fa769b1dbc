// Aggregated counts (import kind area-counts: counts per area and calendar month, quarter or year, as statistics
// databases publish them) as /api/stats reads them. They are stored apart from the incidents (area_counts) and never
// mixed with them: for an area set that has aggregated counts of a source, the statistics of that source for that set
// are the aggregated counts (meta.aggregated says so and names the files); every other set is counted from the events
// as before. A period is widened to whole periods of the data's granularity (after the public grid has widened it:
// meta.requestedPeriod says what was asked, meta.aggregated.complete whether the data cover all of it); a period
// outside the data, or a baseline of one's own that is not whole periods, is a 400 naming the span or granularity —
// counts are never split or guessed.
//
// Privacy: the counts go through the viewer's Disclosure like point counts. For the cell-key method each stored count
// stands for `count` records whose key is the record key of (source, category, first day of its period) — the same
// form as the daily rollup's n × key — so a cell's key is Σ count × key: the same rows always get the same noise, a
// quarter is its three months' rows, and differences of published figures carry the noise of each.
import type { Queryable } from '../../db/index.js';
import { addYears } from '../../../shared/dates.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { memo } from '../data-version/memo.js';
import { invalid } from '../problems.js';
import type { AreaCounts } from '../rollups/area-month-counts.js';
import { GRANULARITY_LABELS, alignsWith, widenTo, type Granularity } from './count-periods.js';
import type { AggregatedMeta } from './area-counts-schema.js';

export type AggregatedCoverage = { granularity: Granularity; dataFrom: string; dataTo: string; batches: AggregatedMeta['batches'] };

const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

/** What aggregated counts of `source` the set has (granularity, span, batches), or null when it has none. */
export async function aggregatedCoverage(db: Queryable, setId: string, source: string, version: number): Promise<AggregatedCoverage | null> {
  return memo(db, `areacounts|${setId}|${source}`, async () => {
    const r = await db.query<{ granularity: Granularity; lo: string; hi: string }>(
      `SELECT c.granularity, min(c.period_from)::text AS lo, max(c.period_to)::text AS hi FROM area_counts c JOIN areas a ON a.id = c.area_id
       WHERE a.area_set_id = $1 AND c.source = $2 GROUP BY c.granularity ORDER BY count(*) DESC`, [setId, source]);
    if (!r.rows.length) return null;
    const b = await db.query<{ id: number; provider: string; file_name: string | null; sha256: string | null; created_at: Date; rows: number }>(
      `SELECT b.id, b.provider, b.file_name, b.sha256, b.created_at, count(*)::int AS rows
       FROM area_counts c JOIN areas a ON a.id = c.area_id JOIN import_batches b ON b.id = c.batch_id
       WHERE a.area_set_id = $1 AND c.source = $2 GROUP BY b.id, b.provider, b.file_name, b.sha256, b.created_at ORDER BY b.id`, [setId, source]);
    return {
      granularity: r.rows[0].granularity, dataFrom: day(r.rows[0].lo), dataTo: day(r.rows[0].hi),
      batches: b.rows.map((x) => ({ id: Number(x.id), provider: x.provider, fileName: x.file_name, sha256: x.sha256, importedAt: new Date(x.created_at).toISOString(), rows: Number(x.rows) })),
    };
  }, version);
}

/** The period asked for, or by default the twelve months up to the end of the latest data. */
export function aggregatedPeriod(c: AggregatedCoverage, from?: string, to?: string): { from: string; to: string } {
  const end = to ?? (from ? addYears(from, 1) : c.dataTo);
  return { from: from ?? addYears(end, -1), to: end };
}

/**
 * The counted period widened outward to whole periods of the data's granularity (a month of quarterly counts is its
 * quarter; meta.requestedPeriod then says what was asked). Refused with a 400 naming the span when it does not touch
 * the data at all (never an answer full of zeros).
 */
export function aggregatedCountedPeriod(c: AggregatedCoverage, setId: string, source: string, counted: { from: string; to: string }): { from: string; to: string } {
  const p = widenTo(c.granularity, counted);
  if (p.to <= c.dataFrom || p.from >= c.dataTo) {
    throw invalid({
      sv: `De aggregerade antalen för ${source} i ${setId} (${GRANULARITY_LABELS[c.granularity].sv}) omfattar ${c.dataFrom}..${c.dataTo} (till exklusivt); perioden ${p.from}..${p.to} ligger utanför.`,
      en: `The aggregated ${source} counts of ${setId} (${GRANULARITY_LABELS[c.granularity].en}) cover ${c.dataFrom}..${c.dataTo} (to exclusive); the period ${p.from}..${p.to} lies outside them.`,
    }, [{ field: 'from', message: { sv: 'utanför datat', en: 'outside the data' } }], { granularity: c.granularity, dataFrom: c.dataFrom, dataTo: c.dataTo });
  }
  return p;
}

/**
 * Refuses a comparison period that is not whole periods of the data's granularity (only a baseline of one's own can
 * be: the rules give whole periods for a period of whole periods), naming the granularity.
 */
export function assertAggregatedBaseline(c: AggregatedCoverage, setId: string, source: string, prev: { from: string; to: string }): void {
  if (alignsWith(c.granularity, prev.from, prev.to)) return;
  const g = GRANULARITY_LABELS[c.granularity];
  const whole = { month: { sv: 'hela månader', en: 'whole months' }, quarter: { sv: 'hela kvartal', en: 'whole quarters' }, year: { sv: 'hela kalenderår', en: 'whole calendar years' } }[c.granularity];
  throw invalid({
    sv: `Antalen för ${source} i ${setId} är aggregerade ${g.sv}: jämförelseperioden ${prev.from}..${prev.to} är inte ${whole.sv}. Välj compareFrom och compareTo på den första dagen i en period.`,
    en: `The ${source} counts of ${setId} are aggregated ${g.en}: the comparison period ${prev.from}..${prev.to} is not ${whole.en}. Put compareFrom and compareTo on the first day of a period.`,
  }, [{ field: 'compareFrom', message: { sv: `ska vara ${whole.sv}`, en: `must be ${whole.en}` } }], { granularity: c.granularity, dataFrom: c.dataFrom, dataTo: c.dataTo });
}

/** True when the data covers [from, to) (a comparison period before the data has no count, never a zero). */
export const covers = (c: AggregatedCoverage, p: { from: string; to: string }) => c.dataFrom <= p.from && p.to <= c.dataTo;

/** Counts per area of the period and its comparison period, with the sums of their cell keys for the public view. */
export async function aggregatedCountsByArea(db: Queryable, q: { setId: string; source: string; categories?: string[]; from: string; to: string; prevFrom: string; prevTo: string }, d: Disclosure): Promise<Map<number, AreaCounts>> {
  const params: unknown[] = [q.setId, q.source, q.from, q.to, q.prevFrom, q.prevTo];
  const cat = q.categories?.length ? ` AND c.category = ANY($${params.push(q.categories)})` : '';
  const key = d.exact ? '0' : `c.count::bigint * ${d.recordKeySql(params, 'c.source', 'c.category', 'c.period_from')}`;
  const inCur = 'c.period_from >= $3::date AND c.period_to <= $4::date', inPrev = 'c.period_from >= $5::date AND c.period_to <= $6::date';
  const r = await db.query<{ area_id: number; cur: number; prev: number; cur_key: string; prev_key: string }>(
    `SELECT c.area_id, COALESCE(sum(c.count) FILTER (WHERE ${inCur}), 0)::int AS cur, COALESCE(sum(c.count) FILTER (WHERE ${inPrev}), 0)::int AS prev,
       (COALESCE(sum(${key}) FILTER (WHERE ${inCur}), 0) % ${2 ** 24})::bigint AS cur_key,
       (COALESCE(sum(${key}) FILTER (WHERE ${inPrev}), 0) % ${2 ** 24})::bigint AS prev_key
     FROM area_counts c JOIN areas a ON a.id = c.area_id
     WHERE a.area_set_id = $1 AND c.source = $2 AND ((${inCur}) OR (${inPrev}))${cat} GROUP BY c.area_id`, params);
  return new Map(r.rows.map((x) => [Number(x.area_id), { cur: Number(x.cur), prev: Number(x.prev), curKey: Number(x.cur_key), prevKey: Number(x.prev_key) }]));
}

/** meta.aggregated: what the figures are and where they come from. */
export function aggregatedMeta(c: AggregatedCoverage, period: { from: string; to: string }, prevCovered: boolean): AggregatedMeta {
  const g = GRANULARITY_LABELS[c.granularity];
  return {
    kind: 'area-counts', granularity: c.granularity, dataFrom: c.dataFrom, dataTo: c.dataTo, complete: covers(c, period), previousCovered: prevCovered, batches: c.batches,
    description: {
      sv: `Aggregerade antal ${g.sv} per område, som de importerats (inte räknade ur enskilda händelser); händelser av samma källa räknas inte med för denna områdesindelning.`,
      en: `Aggregated counts ${g.en} per area as imported (not counted from individual events); events of the same source are not added for this area set.`,
    },
  };
}
