// Per-area counts over a period with the current/previous split, read from two rollups: whole calendar months from
// area_month_counts (derived from area_day_counts, rebuilt per area set × source whenever the data version
// changes) and the ragged edge days from area_day_counts. Same answer as summing the daily rollup, ~30× fewer rows
// for a two-year span. A (set, source) whose monthly rollup is not current is rebuilt on first use (≈ 1 s per
// million incidents), once per data version; until then the daily rollup is read for everything.
// Next to each count the rollup keeps the sum of its records' cell keys (ks; see disclosure/cell-key.ts), so the
// public view can perturb a count by the events it holds. Exact readers skip the key arithmetic.
import type { Queryable } from '../../db/index.js';
import { disclosureSecret, recordKeySql } from '../disclosure/cell-key.js';
import { splitPeriod } from '../period/split-period.js';
import { memo } from '../data-version/memo.js';

/** Makes the monthly rollup of (set, source) current for `version`; returns false when it could not (then read days). */
export async function ensureMonthRollup(db: Queryable, setId: string, source: string, version: number): Promise<boolean> {
  return memo(db, `monthroll|${setId}|${source}`, async () => {
    const st = await db.query<{ version: number }>('SELECT version FROM area_month_state WHERE area_set_id = $1 AND source = $2', [setId, source]);
    if (st.rows.length && Number(st.rows[0].version) === version) return true;
    const secret = await disclosureSecret(db);
    await db.query(
      `INSERT INTO area_month_counts (area_set_id, source, version, month, category, area_id, n, ks)
       SELECT $1, $2, $3, date_trunc('month', day)::date, category, area_id, sum(n)::int,
              sum(n::bigint * ${recordKeySql('$4::text', 'source', 'category', 'day')}) % ${2 ** 24}
       FROM area_day_counts
       WHERE area_set_id = $1 AND source = $2 GROUP BY 4, 5, 6
       ON CONFLICT DO NOTHING`, [setId, source, version, secret]);
    await db.query(
      `INSERT INTO area_month_state (area_set_id, source, version) VALUES ($1, $2, $3)
       ON CONFLICT (area_set_id, source) DO UPDATE SET version = EXCLUDED.version`, [setId, source, version]);
    await db.query('DELETE FROM area_month_counts WHERE area_set_id = $1 AND source = $2 AND version <> $3', [setId, source, version]);
    return true;
  }, version).catch(() => false);
}

export type AreaCounts = { cur: number; prev: number; curKey: number; prevKey: number };

/**
 * Counts per area for [prevFrom, from) and [from, to). With keys, also the sums of the records' cell keys (modulo
 * 2^24) for the public view.
 */
export async function countsByArea(db: Queryable, q: { setId: string; source: string; categories?: string[]; prevFrom: string; from: string; to: string; keys?: boolean }, version: number): Promise<Map<number, AreaCounts>> {
  const monthly = await ensureMonthRollup(db, q.setId, q.source, version);
  const parts = [splitPeriod(q.prevFrom, q.from), splitPeriod(q.from, q.to)];
  const days = monthly ? parts.flatMap((p) => p.days) : [[q.prevFrom, q.to] as [string, string]];
  const months = monthly ? parts.flatMap((p) => p.months) : [];
  const params: unknown[] = [q.setId, q.source, q.from];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const cat = q.categories?.length ? ` AND category = ANY(${p(q.categories)})` : '';
  const sel: string[] = [];
  if (days.length) {
    // (the secret is bound only when a day row is read: an unused parameter has no type)
    const dayKey = q.keys ? `n::bigint * ${recordKeySql(`${p(await disclosureSecret(db))}::text`, 'source', 'category', 'day')}` : '0';
    const cond = days.map(([lo, hi]) => `(day >= ${p(lo)}::date AND day < ${p(hi)}::date)`).join(' OR ');
    sel.push(`SELECT area_id, sum(n) FILTER (WHERE day >= $3::date) AS cur, sum(n) FILTER (WHERE day < $3::date) AS prev,
        sum(${dayKey}) FILTER (WHERE day >= $3::date) AS cur_key, sum(${dayKey}) FILTER (WHERE day < $3::date) AS prev_key
      FROM area_day_counts WHERE area_set_id = $1 AND source = $2 AND (${cond})${cat} GROUP BY area_id`);
  }
  if (months.length) {
    const cond = months.map(([lo, hi]) => `(month >= ${p(lo)}::date AND month < ${p(hi)}::date)`).join(' OR ');
    const mk = q.keys ? 'ks' : '0';
    sel.push(`SELECT area_id, sum(n) FILTER (WHERE month >= $3::date) AS cur, sum(n) FILTER (WHERE month < $3::date) AS prev,
        sum(${mk}) FILTER (WHERE month >= $3::date) AS cur_key, sum(${mk}) FILTER (WHERE month < $3::date) AS prev_key
      FROM area_month_counts WHERE area_set_id = $1 AND source = $2 AND version = ${p(version)} AND (${cond})${cat} GROUP BY area_id`);
  }
  const r = await db.query<{ area_id: number; cur: number; prev: number; cur_key: string; prev_key: string }>(
    `SELECT area_id, COALESCE(sum(cur), 0)::int AS cur, COALESCE(sum(prev), 0)::int AS prev,
       (COALESCE(sum(cur_key), 0) % ${2 ** 24})::bigint AS cur_key, (COALESCE(sum(prev_key), 0) % ${2 ** 24})::bigint AS prev_key
     FROM (${sel.join(' UNION ALL ')}) t GROUP BY area_id`, params);
  return new Map(r.rows.map((x) => [Number(x.area_id), { cur: Number(x.cur), prev: Number(x.prev), curKey: Number(x.cur_key), prevKey: Number(x.prev_key) }]));
}
