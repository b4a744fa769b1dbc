// Per-area counts over a period and its comparison period, read from two rollups: whole calendar months from
// area_month_counts (derived from area_day_counts, rebuilt per area set × source whenever the data version
// changes) and the ragged edge days from area_day_counts. Same answer as summing the daily rollup, ~30× fewer rows
// for a two-year span. A (set, source) whose monthly rollup is not current is rebuilt on first use (≈ 1 s per
// million incidents), once per data version; until then the daily rollup is read for everything. Several instances on
// one database build it once: the builder's advisory lock is only tried, and an instance that finds another building
// reads the daily rollup for that request (and tries again on the next). On PostgreSQL a request waits at most
// MONTH_ROLLUP_BUDGET_MS for a build: a national set × source (15 M incidents) takes longer than a request may, so the
// build goes on in the background — once, and without the request's statement timeout — while requests read the days.
// Next to each count the rollup keeps the sum of its records' cell keys (ks; see disclosure/cell-key.ts), so the
// public view can perturb a count by the events it holds. Exact readers skip the key arithmetic.
import { runInBackground } from '../../db/background-work.js';
import { isDb, isPostgresDb, type Queryable } from '../../db/index.js';
import { tryLockRollupBuilder } from '../../db/write-locks.js';
import { builderName } from './rollup-builds.js';
import { disclosureSecret, recordKeySql } from '../disclosure/cell-key.js';
import { splitPeriod } from '../period/split-period.js';
import { memo } from '../data-version/memo.js';
import { reportOperation } from '../operations/operation-events.js';

/** Makes the monthly rollup of (set, source) current for `version`; returns false when it could not (then read days). */
export async function ensureMonthRollup(db: Queryable, setId: string, source: string, version: number): Promise<boolean> {
  return memo(db, `monthroll|${setId}|${source}`, async () => {
    const st = await db.query<{ version: number }>('SELECT version FROM area_month_state WHERE area_set_id = $1 AND source = $2', [setId, source]);
    if (st.rows.length && Number(st.rows[0].version) === version) return true;
    const t0 = performance.now();
    const secret = await disclosureSecret(db);
    // in a transaction of its own (or the caller's): the lock is held until it ends
    const inTx = <T>(fn: (tx: Queryable) => Promise<T>) => (isDb(db) ? db.transaction(fn) : fn(db));
    const rebuilt = await inTx(async (tx) => {
      // a build of its own transaction is not bound by a request's statement timeout (a caller's transaction keeps its own)
      if (isPostgresDb(db)) await tx.query('SET LOCAL statement_timeout = 0');
      // another instance (or request) is building it: read the days this time; thrown, so the memo forgets it
      if (!(await tryLockRollupBuilder(tx, 'area-month', `${setId}|${source}`))) throw new Error('area-month rollup is being built elsewhere');
      const again = await tx.query<{ version: number }>('SELECT version FROM area_month_state WHERE area_set_id = $1 AND source = $2', [setId, source]);
      if (again.rows.length && Number(again.rows[0].version) === version) return false; // built meanwhile
      await buildMonths(tx, setId, source, version, secret, t0);
      return true;
    });
    if (rebuilt) reportOperation({ type: 'rollup-rebuild', rollup: 'area-month', durationMs: performance.now() - t0 });
    return true;
  }, version).catch(() => false);
}

/** How long a request waits for a monthly rollup being built before it reads the daily rollup instead. */
export const MONTH_ROLLUP_BUDGET_MS = 2000;

/**
 * As ensureMonthRollup, but a request on PostgreSQL waits at most `budgetMs`: a longer build goes on in the background
 * (tracked, so closing the app waits for it) and this request reads the days. The embedded database runs one statement
 * at a time, so there reading the days would only queue behind the build: it waits for it.
 */
export async function monthRollupWithin(db: Queryable, setId: string, source: string, version: number, budgetMs = MONTH_ROLLUP_BUDGET_MS): Promise<boolean> {
  const build = ensureMonthRollup(db, setId, source, version);
  if (!isPostgresDb(db)) return build;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), budgetMs); });
  try {
    const first = await Promise.race([build, late]);
    if (first !== 'late') return first;
    runInBackground(db, () => build);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

async function buildMonths(db: Queryable, setId: string, source: string, version: number, secret: string, t0: number): Promise<void> {
  await db.query(
    `INSERT INTO area_month_counts (area_set_id, source, version, month, category, area_id, n, ks)
     SELECT $1, $2, $3, date_trunc('month', day)::date, category, area_id, sum(n)::int,
            sum(n::bigint * ${recordKeySql('$4::text', 'source', 'category', 'day')}) % ${2 ** 24}
     FROM area_day_counts
     WHERE area_set_id = $1 AND source = $2 GROUP BY 4, 5, 6
     ON CONFLICT DO NOTHING`, [setId, source, version, secret]);
  await db.query('DELETE FROM area_month_counts WHERE area_set_id = $1 AND source = $2 AND version <> $3', [setId, source, version]);
  await db.query(
    `INSERT INTO area_month_state (area_set_id, source, version, built_at, build_ms, built_by) VALUES ($1, $2, $3, clock_timestamp(), $4, $5)
     ON CONFLICT (area_set_id, source) DO UPDATE SET version = EXCLUDED.version, built_at = EXCLUDED.built_at,
       build_ms = EXCLUDED.build_ms, built_by = EXCLUDED.built_by`, [setId, source, version, Math.round(performance.now() - t0), builderName()]);
}

export type AreaCounts = { cur: number; prev: number; curKey: number; prevKey: number };

/**
 * Counts per area for the period [from, to) and its comparison period [prevFrom, prevTo) — anywhere: before it,
 * a year before it, even overlapping it. With keys, also the sums of the records' cell keys (modulo 2^24) for the
 * public view.
 */
export async function countsByArea(db: Queryable, q: { setId: string; source: string; categories?: string[]; prevFrom: string; prevTo: string; from: string; to: string; keys?: boolean }, version: number): Promise<Map<number, AreaCounts>> {
  const monthly = await monthRollupWithin(db, q.setId, q.source, version);
  // each period as day ranges (ragged edges, or everything without the monthly rollup) and whole-month ranges
  const split = (a: string, b: string) => (monthly ? splitPeriod(a, b) : { days: [[a, b] as [string, string]], months: [] as [string, string][] });
  const cur = split(q.from, q.to), prev = split(q.prevFrom, q.prevTo);
  const params: unknown[] = [q.setId, q.source];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const cat = q.categories?.length ? ` AND category = ANY(${p(q.categories)})` : '';
  const within = (col: string, ranges: [string, string][]) =>
    (ranges.length ? `(${ranges.map(([lo, hi]) => `(${col} >= ${p(lo)}::date AND ${col} < ${p(hi)}::date)`).join(' OR ')})` : 'false');
  const sel: string[] = [];
  const part = (table: string, col: string, key: string, curRanges: [string, string][], prevRanges: [string, string][], extra = '') => {
    if (!curRanges.length && !prevRanges.length) return;
    const inCur = within(col, curRanges), inPrev = within(col, prevRanges);
    sel.push(`SELECT area_id, sum(n) FILTER (WHERE ${inCur}) AS cur, sum(n) FILTER (WHERE ${inPrev}) AS prev,
        sum(${key}) FILTER (WHERE ${inCur}) AS cur_key, sum(${key}) FILTER (WHERE ${inPrev}) AS prev_key
      FROM ${table} WHERE area_set_id = $1 AND source = $2${extra} AND (${inCur} OR ${inPrev})${cat} GROUP BY area_id`);
  };
  if (cur.days.length || prev.days.length) {
    // (the secret is bound only when a day row is read: an unused parameter has no type)
    const dayKey = q.keys ? `n::bigint * ${recordKeySql(`${p(await disclosureSecret(db))}::text`, 'source', 'category', 'day')}` : '0';
    part('area_day_counts', 'day', dayKey, cur.days, prev.days);
  }
  if (cur.months.length || prev.months.length) part('area_month_counts', 'month', q.keys ? 'ks' : '0', cur.months, prev.months, ` AND version = ${p(version)}`);
  const r = await db.query<{ area_id: number; cur: number; prev: number; cur_key: string; prev_key: string }>(
    `SELECT area_id, COALESCE(sum(cur), 0)::int AS cur, COALESCE(sum(prev), 0)::int AS prev,
       (COALESCE(sum(cur_key), 0) % ${2 ** 24})::bigint AS cur_key, (COALESCE(sum(prev_key), 0) % ${2 ** 24})::bigint AS prev_key
     FROM (${sel.join(' UNION ALL ')}) t GROUP BY area_id`, params);
  return new Map(r.rows.map((x) => [Number(x.area_id), { cur: Number(x.cur), prev: Number(x.prev), curKey: Number(x.cur_key), prevKey: Number(x.prev_key) }]));
}
