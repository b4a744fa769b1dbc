// Section 6, the data sources: for each source the dates the data spans, the import batches the figures come from
// (areaStats' provenance), how precisely the area's events are located, and what could not be placed at this level.
import type { Queryable } from '../../db/index.js';
import { roundToBase } from '../privacy/rounding.js';
import { isSmallCount } from '../privacy/small-counts.js';
import { LOCAL_TZ } from '../rollup/refresh-area-day-counts.js';
import { publicEventSpan } from '../stats/provenance.js';
import { unplacedGeometry } from '../stats/unplaced.js';
import type { AreaStatsResult } from '../stats/area-stats.js';
import type { Lang, SourceProvenance } from './types.js';
import { TEXTS } from './texts.js';

export async function sourceProvenance(db: Queryable, q: { areaId: number; source: string; from: string; to: string; exact: boolean; k: number; lang: Lang },
  stats: AreaStatsResult): Promise<SourceProvenance> {
  const span = await db.query<{ lo: string | null; hi: string | null; synthetic: boolean | null }>(
    `SELECT (min(occurred_from) AT TIME ZONE '${LOCAL_TZ}')::date::text AS lo, (max(occurred_from) AT TIME ZONE '${LOCAL_TZ}')::date::text AS hi,
            bool_or(provider = 'synthetic') AS synthetic
     FROM incidents WHERE source = $1`, [q.source]);
  // imprecise incidents count here when their known area is placed in this area (the rollup's containment rule)
  const geo = await unplacedGeometry(db, stats.meta.areaSet.id);
  const placed = [...geo.placedIn.entries()].filter(([, a]) => a === q.areaId).map(([loc]) => loc);
  const prec = await db.query<{ precision: string; n: number }>(
    `SELECT i.precision, count(*)::int AS n FROM incidents i
     WHERE i.source = $1 AND i.occurred_from >= ($3::date)::timestamp AT TIME ZONE '${LOCAL_TZ}' AND i.occurred_from < ($4::date)::timestamp AT TIME ZONE '${LOCAL_TZ}'
       AND ((i.geom IS NOT NULL AND EXISTS (SELECT 1 FROM area_pieces p WHERE p.area_id = $2 AND p.geom && i.geom AND ST_Intersects(p.geom, i.geom)))
         OR (i.geom IS NULL AND i.location_area_id = ANY($5::bigint[])))
     GROUP BY i.precision ORDER BY 2 DESC`, [q.source, q.areaId, q.from, q.to, placed]);
  const base = q.exact ? 1 : q.k;
  const row = stats.rows.find((r) => r.areaId === q.areaId);
  const batches = stats.meta.provenance.incidentBatches.map((b) => ({
    id: b.id, kind: b.kind, provider: b.provider, fileName: b.fileName, importedAt: b.importedAt, rows: b.incidents ?? 0,
  }));
  // the first and last day of the data are exact data: the public gets their months
  const lo = span.rows[0]?.lo ?? null, hi = span.rows[0]?.hi ?? null;
  const days = q.exact ? { first: lo, last: hi } : publicEventSpan(lo, hi);
  return {
    source: q.source, label: TEXTS[q.lang].sources[q.source] ?? q.source,
    firstDay: days.first, lastDay: days.last,
    total: row?.count ?? null,
    batches,
    precision: prec.rows.map((p) => ({ precision: p.precision, count: q.exact ? Number(p.n) : isSmallCount(Number(p.n), q.k) ? null : roundToBase(Number(p.n), base) })),
    unplacedAtThisLevel: row?.unplacedAtThisLevel ?? null,
    synthetic: Boolean(span.rows[0]?.synthetic) || batches.some((b) => b.provider === 'synthetic'),
  };
}
