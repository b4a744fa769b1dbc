// Weekday × hour matrix of an area's incidents with AORISTIC weighting: an incident known only to have happened
// somewhere in occurred_from … occurred_to is spread over the hours of that span in proportion to the time the
// span spends in each hour (local wall-clock time, Europe/Stockholm), so a span of one whole day adds 1/24 to each
// of that weekday's 24 hours and sums to exactly 1. An incident with no span counts 1 in its hour. Spans longer
// than 31 days carry almost no time-of-week information: they are spread evenly over all 168 cells.
// Incidents: points inside the area (its pieces, as the rollup) plus imprecise ones placed in it (containment).
import type { Queryable } from '../../db/index.js';
import { LOCAL_TZ } from '../rollup/refresh-area-day-counts.js';

/** matrix[weekday 0 = Monday … 6 = Sunday][hour 0..23]. */
export type WeekdayHourMatrix = number[][];

const day = (p: string) => `((${p}::date)::timestamp AT TIME ZONE '${LOCAL_TZ}')`;

export async function weekdayHourMatrix(db: Queryable, q: { areaId: number; placedLocationAreaIds: number[]; source: string; from: string; to: string; categories?: string[] }): Promise<WeekdayHourMatrix> {
  const params: unknown[] = [q.areaId, q.source, q.from, q.to, q.placedLocationAreaIds];
  let cat = '';
  if (q.categories?.length) { params.push(q.categories); cat = ` AND i.category = ANY($6)`; }
  const r = await db.query<{ dow: number; hour: number; w: number }>(
    `WITH inc AS (
       SELECT (i.occurred_from AT TIME ZONE '${LOCAL_TZ}') AS f, (COALESCE(i.occurred_to, i.occurred_from) AT TIME ZONE '${LOCAL_TZ}') AS t
       FROM incidents i JOIN area_pieces p ON p.area_id = $1 AND p.geom && i.geom AND ST_Intersects(p.geom, i.geom)
       WHERE i.source = $2 AND i.geom IS NOT NULL AND i.occurred_from >= ${day('$3')} AND i.occurred_from < ${day('$4')}${cat}
       UNION ALL
       SELECT (i.occurred_from AT TIME ZONE '${LOCAL_TZ}'), (COALESCE(i.occurred_to, i.occurred_from) AT TIME ZONE '${LOCAL_TZ}')
       FROM incidents i
       WHERE i.geom IS NULL AND i.location_area_id = ANY($5::bigint[]) AND i.source = $2
         AND i.occurred_from >= ${day('$3')} AND i.occurred_from < ${day('$4')}${cat})
     SELECT dow, hour, sum(w)::float8 AS w FROM (
       SELECT extract(isodow FROM f)::int AS dow, extract(hour FROM f)::int AS hour, 1.0::float8 AS w FROM inc WHERE t <= f
       UNION ALL
       SELECT extract(isodow FROM hs)::int, extract(hour FROM hs)::int,
              extract(epoch FROM (least(t, hs + interval '1 hour') - greatest(f, hs)))::float8 / extract(epoch FROM (t - f))::float8
       FROM inc CROSS JOIN LATERAL generate_series(date_trunc('hour', f), t, interval '1 hour') hs
       WHERE t > f AND t - f <= interval '31 days' AND hs < t
       UNION ALL
       SELECT d, h, 1.0 / 168 FROM inc CROSS JOIN generate_series(1, 7) d CROSS JOIN generate_series(0, 23) h WHERE t - f > interval '31 days'
     ) x GROUP BY dow, hour`, params);
  const m: WeekdayHourMatrix = Array.from({ length: 7 }, () => new Array(24).fill(0));
  for (const x of r.rows) m[Number(x.dow) - 1][Number(x.hour)] += Number(x.w);
  return m.map((row) => row.map((v) => Math.round(v * 1e9) / 1e9));
}
