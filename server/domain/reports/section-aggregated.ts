// The lägesbild's aggregated counts (import kind area-counts, issue 19): counts per area and month, quarter or year as
// imported from a statistics database, shown as their own part, never added to the event figures of sections 2–3.
//
// Which: every area set with aggregated counts of a report source whose area is the report area itself (its own
// set) or contains it (the report area's ST_PointOnSurface lies in it, and so does at least half of its surface):
// for a district of Stockholm, Stockholm in kommuner-ab; for the county, none. The figures: areaStats with aggregated counts on — the function /api/stats answers from — for the
// report's period in the viewer's disclosure, that area's row as is (count, previous count, rate ratio with its CI
// and test, the period actually counted, granularity, completeness, the files); per category the same with
// ?category=<code>. A period the counts do not reach is left out with a note naming their span (as /api/stats'
// 400 would). Cheap (one statement per set and source, plus the stats' own, whose coverage is memoised): not memoised.
import type { Queryable } from '../../db/index.js';
import type { Source } from '../../../shared/sources.js';
import { addDays } from '../../../shared/dates.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { DomainProblem } from '../problems.js';
import { memo } from '../data-version/memo.js';
import { areaStats, type AreaStatsResult } from '../area-stats/area-stats.js';
import { GRANULARITY_LABELS } from '../area-counts/count-periods.js';
import { change } from './section-scope.js';
import { aggregatedBatches } from './section-sources.js';
import { TEXTS, fmtDate } from './texts.js';
import type { AggregatedFigures, AggregatedSection, CategoryFigure, Lang } from './types.js';
import type { AreaInfo } from './report-area.js';

/** Above this many categories the per-category rows are left out (a note says so). */
const MAX_CATEGORIES = 40;

type Q = {
  area: AreaInfo; sources: Source[]; from: string; to: string; disclosure: Disclosure; lang: Lang; version: number;
};
type Target = { setId: string; setName: string; areaId: number; code: string; name: string; source: Source };

/** (area set, source) pairs that have aggregated counts, per data version. */
async function setsWithCounts(db: Queryable, version: number): Promise<{ setId: string; source: string }[]> {
  return memo(db, 'areacounts-sets', async () => {
    const r = await db.query<{ area_set_id: string; source: string }>(
      'SELECT DISTINCT a.area_set_id, c.source FROM area_counts c JOIN areas a ON a.id = c.area_id ORDER BY 1, 2');
    return r.rows.map((x) => ({ setId: x.area_set_id, source: x.source }));
  }, version);
}

/** The area of each set with counts that is the report area or contains it, with the sources it has counts of. */
async function targets(db: Queryable, q: Q): Promise<Target[]> {
  const pairs = (await setsWithCounts(db, q.version)).filter((p) => (q.sources as string[]).includes(p.source));
  if (!pairs.length) return [];
  const sets = [...new Set(pairs.map((p) => p.setId))];
  // another set's area contains the report area when the report area's point on surface lies in it and most of the
  // report area (half or more: sets drawn from other maps differ at their edges) lies in it — not a municipality for
  // the county whose point it happens to hold
  const r = await db.query<{ id: number; code: string; name: string; area_set_id: string; set_name: string }>(
    `SELECT DISTINCT ON (a.area_set_id) a.id, a.code, a.name, a.area_set_id, s.name AS set_name
     FROM areas a JOIN area_sets s ON s.id = a.area_set_id,
       (SELECT geom, area_m2, ST_PointOnSurface(geom) AS p FROM areas WHERE id = $1) x
     WHERE a.area_set_id = ANY($2::text[])
       AND (a.id = $1 OR (a.area_set_id <> $3 AND a.geom && x.p AND ST_Intersects(a.geom, x.p)
         AND ST_Area(ST_Intersection(ST_MakeValid(a.geom), ST_MakeValid(x.geom))) >= 0.5 * x.area_m2))
     ORDER BY a.area_set_id, a.id`, [q.area.id, sets, q.area.areaSetId]);
  const out: Target[] = [];
  for (const s of q.sources) {
    for (const a of r.rows) {
      if (!pairs.some((p) => p.setId === a.area_set_id && p.source === s)) continue;
      out.push({ setId: a.area_set_id, setName: a.set_name, areaId: Number(a.id), code: a.code, name: a.name, source: s });
    }
  }
  // per source: the report area's own set first, then the containing areas by set name
  const own = (t: Target) => (t.areaId === q.area.id ? 0 : 1);
  return out.sort((x, y) => q.sources.indexOf(x.source) - q.sources.indexOf(y.source) || own(x) - own(y) || x.setName.localeCompare(y.setName, 'sv'));
}

async function categoryRows(db: Queryable, q: Q, t: Target, note: (text: string) => void): Promise<CategoryFigure[]> {
  const c = await db.query<{ code: string; label_sv: string | null; label_en: string | null }>(
    `SELECT x.code, k.label_sv, k.label_en FROM (SELECT DISTINCT category AS code FROM area_counts WHERE source = $1 AND area_id = $2) x
     LEFT JOIN categories k ON k.source = $1 AND k.code = x.code ORDER BY x.code`, [t.source, t.areaId]);
  if (c.rows.length <= 1) return [];
  if (c.rows.length > MAX_CATEGORIES) {
    note(q.lang === 'sv' ? `${t.name}: de aggregerade antalen har ${c.rows.length} kategorier och redovisas inte per kategori.`
      : `${t.name}: the aggregated counts have ${c.rows.length} categories and are not listed per category.`);
    return [];
  }
  const out: CategoryFigure[] = [];
  for (const x of c.rows) {
    const st = await areaStats(db, { areaSetId: t.setId, source: t.source, categories: [x.code], from: q.from, to: q.to, aggregated: true }, { disclosure: q.disclosure });
    const row = st.rows.find((r) => r.areaId === t.areaId) ?? null;
    out.push({ code: x.code, label: (q.lang === 'en' ? x.label_en : x.label_sv) ?? x.code, ...change(row), cityRatePer1000: st.total.ratePer1000 });
  }
  return out.sort((a, b) => (b.count ?? -1) - (a.count ?? -1) || a.label.localeCompare(b.label, 'sv'));
}

/** The aggregated counts for the report area, or null when no set has any for it. Notes go to `note('aggregated', …)`. */
export async function aggregatedSection(db: Queryable, q: Q, note: (key: string, text: string) => void): Promise<AggregatedSection | null> {
  const list = await targets(db, q);
  if (!list.length) return null;
  const t = TEXTS[q.lang];
  const rows: AggregatedFigures[] = [];
  for (const x of list) {
    let st: AreaStatsResult;
    try {
      st = await areaStats(db, { areaSetId: x.setId, source: x.source, from: q.from, to: q.to, aggregated: true }, { disclosure: q.disclosure });
    } catch (e) {
      // the counts do not reach the report's period (/api/stats answers a 400 naming their span): said, not shown
      if (!(e instanceof DomainProblem) || e.kind !== 'invalid') throw e;
      const span = e.info.extra as { granularity?: keyof typeof GRANULARITY_LABELS; dataFrom?: string; dataTo?: string } | undefined;
      note('aggregated', q.lang === 'sv'
        ? `${t.sources[x.source] ?? x.source}, ${x.name} (${x.setName}): de aggregerade antalen${span?.dataFrom ? ` omfattar ${fmtDate(q.lang, span.dataFrom)} – ${fmtDate(q.lang, addDays(span.dataTo!, -1))} och` : ''} täcker inte rapportens period.`
        : `${t.sources[x.source] ?? x.source}, ${x.name} (${x.setName}): the aggregated counts${span?.dataFrom ? ` cover ${fmtDate(q.lang, span.dataFrom)} – ${fmtDate(q.lang, addDays(span.dataTo!, -1))} and` : ''} do not reach the report's period.`);
      continue;
    }
    const agg = st.meta.aggregated;
    if (!agg) continue; // (removed between the look-up and the statistics)
    const row = st.rows.find((r) => r.areaId === x.areaId) ?? null;
    const m = st.meta;
    rows.push({
      source: x.source, label: t.sources[x.source] ?? x.source,
      areaSetId: x.setId, areaSetName: x.setName, areaId: x.areaId, areaCode: x.code, areaName: x.name, containsReportArea: x.areaId !== q.area.id,
      ...change(row),
      granularity: agg.granularity,
      period: { from: m.period.from, to: m.period.to, lastDay: m.period.lastDay, label: m.period.label[q.lang] },
      requestedPeriod: m.requestedPeriod ? { from: m.requestedPeriod.from, to: m.requestedPeriod.to } : null,
      previous: { from: m.previousPeriod.from, to: m.previousPeriod.to, lastDay: m.previousPeriod.lastDay },
      dataFrom: agg.dataFrom, dataTo: agg.dataTo, complete: agg.complete, previousCovered: agg.previousCovered,
      categories: await categoryRows(db, q, x, (text) => note('aggregated', text)),
      batches: aggregatedBatches(agg),
      description: agg.description[q.lang],
    });
  }
  return rows.length ? { rows } : null;
}
