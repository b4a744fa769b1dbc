// Monthly series and the weekday × hour matrix of the area. Monthly counts come from the same day rollup as
// /api/stats. The weekday × hour matrix spreads an incident with an uncertain span (occurred_from … occurred_to)
// evenly over the local hours it touches (aoristic weighting); a span of a week or more is spread over all 168 hours.
// Public view: counts 1..k−1 (and weights below k) are hidden, the rest rounded to k, like the API.
import type { Queryable } from '../../db/index.js';
import { roundToBase, roundWeightToBase } from '../privacy/rounding.js';
import { isSmallCount } from '../privacy/small-counts.js';
import { CONTAINMENT_SQL, LOCAL_TZ } from '../rollup/refresh-area-day-counts.js';
import { TEXTS } from './texts.js';
import type { Lang, MonthlySeries } from './types.js';

type Q = { areaId: number; areaSetId: string; from: string; to: string; exact: boolean; k: number; lang: Lang };

function months(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  const last = to.slice(8, 10) === '01' ? prevMonth(end) : end;
  for (;;) {
    const s = `${y}-${String(m).padStart(2, '0')}`;
    if (s > last) break;
    out.push(s);
    m++; if (m > 12) { m = 1; y++; }
  }
  return out;
}

function prevMonth(ym: string): string {
  let y = Number(ym.slice(0, 4)), m = Number(ym.slice(5, 7)) - 1;
  if (m === 0) { m = 12; y--; }
  return `${y}-${String(m).padStart(2, '0')}`;
}

export async function monthlySeries(db: Queryable, q: Q & { sources: string[] }): Promise<MonthlySeries[]> {
  const r = await db.query<{ source: string; month: string; n: number }>(
    `SELECT source, to_char(day, 'YYYY-MM') AS month, sum(n)::int AS n FROM area_day_counts
     WHERE area_set_id = $1 AND area_id = $2 AND source = ANY($3) AND day >= $4::date AND day < $5::date
     GROUP BY 1, 2`, [q.areaSetId, q.areaId, q.sources, q.from, q.to]);
  const t = TEXTS[q.lang];
  const base = q.exact ? 1 : q.k;
  const out: MonthlySeries[] = [];
  for (const s of q.sources) {
    const rows = r.rows.filter((x) => x.source === s);
    if (!rows.length) continue;
    const by = new Map(rows.map((x) => [x.month, Number(x.n)]));
    out.push({
      source: s, label: t.sources[s] ?? s,
      months: months(q.from, q.to).map((m) => {
        const n = by.get(m) ?? 0;
        const hidden = !q.exact && isSmallCount(n, q.k);
        return { month: m, count: hidden ? null : roundToBase(n, base), suppressed: hidden };
      }),
    });
  }
  return out;
}

export type WeekdayHour = { source: string; label: string; matrix: (number | null)[][]; total: number; suppressed: boolean };

export async function weekdayHour(db: Queryable, q: Q & { source: string }, note: (k: string, t: string) => void): Promise<WeekdayHour | null> {
  const r = await db.query<{ dow: number; hour: number; w: number }>(
    `WITH inc AS (
       SELECT i.occurred_from AT TIME ZONE '${LOCAL_TZ}' AS f, coalesce(i.occurred_to, i.occurred_from) AT TIME ZONE '${LOCAL_TZ}' AS t
       FROM incidents i
       WHERE i.source = $1 AND i.occurred_from >= ($3::date)::timestamp AT TIME ZONE '${LOCAL_TZ}' AND i.occurred_from < ($4::date)::timestamp AT TIME ZONE '${LOCAL_TZ}'
         AND ((i.geom IS NOT NULL AND EXISTS (SELECT 1 FROM area_pieces p WHERE p.area_id = $2 AND p.geom && i.geom AND ST_Intersects(p.geom, i.geom)))
           OR (i.geom IS NULL AND i.location_area_id IN (SELECT c.location_area_id FROM (${CONTAINMENT_SQL}) c WHERE c.area_id = $2)))),
     spans AS (
       SELECT date_trunc('hour', f) AS h0, (extract(epoch FROM date_trunc('hour', t) - date_trunc('hour', f)) / 3600)::int + 1 AS nh FROM inc)
     SELECT dow, hour, sum(w)::float8 AS w FROM (
       SELECT extract(isodow FROM h)::int - 1 AS dow, extract(hour FROM h)::int AS hour, 1.0 / s.nh AS w
       FROM spans s, generate_series(s.h0, s.h0 + (s.nh - 1) * interval '1 hour', interval '1 hour') h WHERE s.nh < 168
       UNION ALL
       SELECT d, hr, 1.0 / 168 FROM spans s, generate_series(0, 6) d, generate_series(0, 23) hr WHERE s.nh >= 168
     ) x GROUP BY 1, 2`, [q.source, q.areaId, q.from, q.to]);
  const exact: number[][] = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const x of r.rows) exact[Number(x.dow)][Number(x.hour)] += Number(x.w);
  const total = exact.flat().reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const base = q.exact ? 1 : q.k;
  const matrix = exact.map((row) => row.map((v) => (q.exact ? Math.round(v * 100) / 100 : v > 0 && v < q.k ? null : roundWeightToBase(v, base))));
  const hidden = matrix.flat().filter((v) => v === null).length;
  if (hidden) {
    note('whereWhen', q.lang === 'sv' ? `${hidden} av 168 timceller har färre än ${q.k} händelser och visas inte.` : `${hidden} of 168 hour cells have fewer than ${q.k} events and are not shown.`);
  }
  return {
    source: q.source, label: TEXTS[q.lang].sources[q.source] ?? q.source, matrix,
    total: q.exact ? Math.round(total * 100) / 100 : isSmallCount(Math.round(total), q.k) ? 0 : roundToBase(Math.round(total), base),
    suppressed: !q.exact,
  };
}
