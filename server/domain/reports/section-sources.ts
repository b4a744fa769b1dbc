// Section 6, the data sources: for each source the dates the data spans, the import batches the figures come from
// (areaStats' provenance), how precisely the area's events are located, and what could not be placed at this level.
// Aggregated counts (section-aggregated.ts) carry their own provenance — the files as /api/stats' meta.aggregated
// names them — listed in section 6 apart from the events' imports.
import type { Queryable } from '../../db/index.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { LOCAL_TZ } from '../rollups/area-day-counts.js';
import { unplacedGeometry } from '../area-stats/unplaced.js';
import type { AreaStatsResult } from '../area-stats/area-stats.js';
import type { AggregatedMeta } from '../area-counts/area-counts-schema.js';
import type { AggregatedFigures, Lang, SourceProvenance } from './types.js';
import { TEXTS } from './texts.js';

// Public view: the first and last day of the data only to the month, counts by precision protected like every count.
export async function sourceProvenance(db: Queryable, q: { areaId: number; source: string; from: string; to: string; disclosure: Disclosure; lang: Lang },
  stats: AreaStatsResult): Promise<SourceProvenance> {
  const span = await db.query<{ lo: string | null; hi: string | null; synthetic: boolean | null }>(
    `SELECT (min(occurred_from) AT TIME ZONE '${LOCAL_TZ}')::date::text AS lo, (max(occurred_from) AT TIME ZONE '${LOCAL_TZ}')::date::text AS hi,
            bool_or(provider = 'synthetic') AS synthetic
     FROM incidents WHERE source = $1`, [q.source]);
  // imprecise incidents count here when their known area is placed in this area (the rollup's containment rule).
  // The area's bounding box (computed once) first: without it every incident of the source in the period was tested
  // against the area's pieces (3.5 s for Husby's crimes on the embedded sample data; 0.1 s with it)
  const geo = await unplacedGeometry(db, stats.meta.areaSet.id);
  const placed = [...geo.placedIn.entries()].filter(([, a]) => a === q.areaId).map(([loc]) => loc);
  const d = q.disclosure;
  const params: unknown[] = [q.source, q.areaId, q.from, q.to, placed];
  const key = d.recordKeySql(params, 'i.source', 'i.category', `(i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date`);
  const prec = await db.query<{ precision: string; n: number; ks: string }>(
    `SELECT i.precision, count(*)::int AS n, (sum(${key}::bigint) % ${2 ** 24})::bigint AS ks FROM incidents i
     WHERE i.source = $1 AND i.occurred_from >= ($3::date)::timestamp AT TIME ZONE '${LOCAL_TZ}' AND i.occurred_from < ($4::date)::timestamp AT TIME ZONE '${LOCAL_TZ}'
       AND ((i.geom IS NOT NULL AND i.geom && (SELECT ST_Envelope(a.geom) FROM areas a WHERE a.id = $2)
             AND EXISTS (SELECT 1 FROM area_pieces p WHERE p.area_id = $2 AND p.geom && i.geom AND ST_Intersects(p.geom, i.geom)))
         OR (i.geom IS NULL AND i.location_area_id = ANY($5::bigint[])))
     GROUP BY i.precision ORDER BY 2 DESC`, params);
  const row = stats.rows.find((r) => r.areaId === q.areaId);
  const batches = stats.meta.provenance.incidentBatches.map((b) => ({
    id: b.id, kind: b.kind, provider: b.provider, fileName: b.fileName, importedAt: b.importedAt, rows: b.incidents ?? 0,
  }));
  return {
    source: q.source, label: TEXTS[q.lang].sources[q.source] ?? q.source,
    firstDay: span.rows[0]?.lo ? d.eventDate(span.rows[0].lo) : null, lastDay: span.rows[0]?.hi ? d.eventDate(span.rows[0].hi, true) : null,
    total: row?.count ?? null,
    batches,
    precision: prec.rows.map((p) => ({ precision: p.precision, count: d.count(Number(p.n), Number(p.ks)) })),
    unplacedAtThisLevel: row?.unplacedAtThisLevel ?? null,
    synthetic: Boolean(span.rows[0]?.synthetic) || batches.some((b) => b.provider === 'synthetic'),
  };
}

/** The provenance of aggregated counts: the import batches /api/stats' meta.aggregated names (file, date, provider, rows). */
export function aggregatedBatches(agg: AggregatedMeta): AggregatedFigures['batches'] {
  return agg.batches.map((b) => ({ id: b.id, provider: b.provider, fileName: b.fileName, sha256: b.sha256, importedAt: b.importedAt, rows: b.rows }));
}
