// Weekday × hour matrix of an area's incidents with AORISTIC weighting: an incident known only to have happened
// somewhere in occurred_from … occurred_to is spread over the hours of that span in proportion to the time the
// span spends in each hour (local wall-clock time, Europe/Stockholm), so a span of one whole day adds 1/24 to each
// of that weekday's 24 hours and sums to exactly 1. An incident with no span counts 1 in its hour. Spans longer
// than 31 days carry almost no time-of-week information: they are spread evenly over all 168 cells.
// Incidents: points inside the area (its pieces, as the rollup) plus imprecise ones placed in it (containment).
// The weights are computed once per area × source × category set × data version for all time, grouped by the
// local day of occurred_from (the day that decides the period, as everywhere), and cached: a profile for any
// period then only sums the cached days. Each cell also sums the cell keys of the incidents that add weight to it
// (disclosure/cell-key.ts), so the public view can protect a cell by the events it holds.
import type { Queryable } from '../../db/index.js';
import { disclosureSecret, recordKeySql } from '../disclosure/cell-key.js';
import { LOCAL_TZ } from '../rollups/area-day-counts.js';
import { memo } from '../data-version/memo.js';

/** matrix[weekday 0 = Monday … 6 = Sunday][hour 0..23]. */
export type WeekdayHourMatrix = number[][];

type DayCells = { day: string; cell: number; w: number; ks: number }[];

async function dailyCells(db: Queryable, q: { areaId: number; placedLocationAreaIds: number[]; source: string; categories?: string[] }, version?: number): Promise<DayCells> {
  const cats = q.categories?.length ? [...q.categories].sort() : null;
  return memo(db, `aoristic|${q.areaId}|${q.source}|${q.placedLocationAreaIds.join(',')}|${cats?.join(',') ?? ''}`, async () => {
    const params: unknown[] = [q.areaId, q.source, q.placedLocationAreaIds, await disclosureSecret(db)];
    let cat = '';
    if (cats) { params.push(cats); cat = ` AND i.category = ANY($5)`; }
    const key = recordKeySql('$4::text', 'i.source', 'i.category', `(i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date`);
    const r = await db.query<{ day: string; cell: number; w: number; ks: string }>(
      `WITH inc AS (
         SELECT (i.occurred_from AT TIME ZONE '${LOCAL_TZ}') AS f, (COALESCE(i.occurred_to, i.occurred_from) AT TIME ZONE '${LOCAL_TZ}') AS t, ${key} AS key
         FROM incidents i JOIN area_pieces p ON p.area_id = $1 AND p.geom && i.geom AND ST_Intersects(p.geom, i.geom)
         WHERE i.source = $2 AND i.geom IS NOT NULL${cat}
         UNION ALL
         SELECT (i.occurred_from AT TIME ZONE '${LOCAL_TZ}'), (COALESCE(i.occurred_to, i.occurred_from) AT TIME ZONE '${LOCAL_TZ}'), ${key}
         FROM incidents i WHERE i.geom IS NULL AND i.location_area_id = ANY($3::bigint[]) AND i.source = $2${cat})
       SELECT day::text AS day, cell, sum(w)::float8 AS w, (sum(key) % ${2 ** 24})::bigint AS ks FROM (
         SELECT f::date AS day, ((extract(isodow FROM f)::int - 1) * 24 + extract(hour FROM f)::int) AS cell, 1.0::float8 AS w, key::bigint AS key FROM inc WHERE t <= f
         UNION ALL
         SELECT f::date, ((extract(isodow FROM hs)::int - 1) * 24 + extract(hour FROM hs)::int),
                extract(epoch FROM (least(t, hs + interval '1 hour') - greatest(f, hs)))::float8 / extract(epoch FROM (t - f))::float8, key
         FROM inc CROSS JOIN LATERAL generate_series(date_trunc('hour', f), t, interval '1 hour') hs
         WHERE t > f AND t - f <= interval '31 days' AND hs < t
         UNION ALL
         SELECT f::date, c, 1.0 / 168, key FROM inc CROSS JOIN generate_series(0, 167) c WHERE t - f > interval '31 days'
       ) x GROUP BY 1, 2`, params);
    return r.rows.map((x) => ({ day: x.day, cell: Number(x.cell), w: Number(x.w), ks: Number(x.ks) }));
  }, version);
}

/** The matrix of weights and, per cell, the sum of the cell keys of the incidents that add to it. */
export async function weekdayHourMatrix(db: Queryable, q: { areaId: number; placedLocationAreaIds: number[]; source: string; from: string; to: string; categories?: string[] }, version?: number): Promise<{ matrix: WeekdayHourMatrix; keys: number[][] }> {
  const cells = await dailyCells(db, q, version);
  const m: WeekdayHourMatrix = Array.from({ length: 7 }, () => new Array(24).fill(0));
  const keys: number[][] = Array.from({ length: 7 }, () => new Array(24).fill(0));
  for (const x of cells) {
    if (x.day < q.from || x.day >= q.to) continue;
    m[Math.floor(x.cell / 24)][x.cell % 24] += x.w;
    keys[Math.floor(x.cell / 24)][x.cell % 24] += x.ks;
  }
  return { matrix: m.map((row) => row.map((v) => Math.round(v * 1e9) / 1e9)), keys };
}
