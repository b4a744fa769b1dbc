// Point counts per hexagon-grid rectangle × local month × category for one cell size and source (migration 008).
// After an import changed the data version the rollup is rebuilt in the background (≈ 13 s per million points on
// PostgreSQL, measured by bench/hotspots.bench.ts) while requests keep counting from the incidents, so no request waits for it; once it is current,
// whole months are read from it. At most KEEP_SIZES cell sizes are kept per source (least recently used go), so
// odd sizes cannot grow the table without bound. Several instances on one database rebuild it once: the builder's
// advisory lock is only tried, so an instance that finds another building skips (and tries again a second later).
import { runInBackground } from '../../db/background-work.js';
import { isDb, type Db, type Queryable } from '../../db/index.js';
import { tryLockRollupBuilder } from '../../db/write-locks.js';
import { builderName } from './rollup-builds.js';
import { disclosureSecret, recordKeySql } from '../disclosure/cell-key.js';
import { LOCAL_TZ } from './area-day-counts.js';
import { readDataVersion } from '../data-version/data-version.js';
import { reportOperation } from '../operations/operation-events.js';
import { rectangleSql, type RectangleCount } from '../hotspots/hex-rectangles.js';
import { isRollupCellSize } from '../hotspots/hotspot-limits.js';

const KEEP_SIZES = 6;

/** Per database: "size|source" → the version known to be built, the builds running in this process, and until when not to try one found running elsewhere. */
const states = new WeakMap<object, { known: Map<string, number>; building: Set<string>; busyUntil: Map<string, number> }>();
const BUSY_RETRY_MS = 1000;

/**
 * The rollup's version when it holds exactly `version` (then read months from it), else null — and then a rebuild
 * is started in the background (only with a Db, never inside a caller's transaction, only for an offered cell size).
 */
export async function currentHexRollup(db: Queryable, cellSize: number, source: string, version: number): Promise<number | null> {
  const key = `${cellSize}|${source}`;
  let state = states.get(db);
  if (!state) { state = { known: new Map(), building: new Set(), busyUntil: new Map() }; states.set(db, state); }
  const { known, building, busyUntil } = state;
  if (known.get(key) === version) return version;
  const st = await db.query<{ version: string }>('SELECT version FROM hex_rollup_state WHERE cell_size = $1 AND source = $2', [cellSize, source]);
  if (st.rows.length && Number(st.rows[0].version) === version) { known.set(key, version); return version; }
  // only the sizes offered (HOTSPOT_CELL_SIZES and the server's own): any other size counts from the incidents
  if (isDb(db) && !building.has(key) && (busyUntil.get(key) ?? 0) <= Date.now() && isRollupCellSize(db, cellSize)) {
    building.add(key);
    runInBackground(db, () => buildHexRollup(db, cellSize, source).then((v) => {
      if (v === null) busyUntil.set(key, Date.now() + BUSY_RETRY_MS); // another instance is building it
      else { known.set(key, v); busyUntil.delete(key); }
    }).finally(() => building.delete(key)));
  }
  return null;
}

/**
 * Rebuilds the rollup of (cellSize, source) from the incidents in one transaction; returns the data version it holds,
 * or null when another transaction (this instance's or another's) is building it right now.
 */
export async function buildHexRollup(db: Db, cellSize: number, source: string): Promise<number | null> {
  const r = rectangleSql(cellSize);
  const secret = await disclosureSecret(db);
  const t0 = performance.now();
  let rebuilt = false;
  const v = await db.transaction(async (tx) => {
    // one builder per (size, source) across all instances; the version stored is the one of this snapshot
    if (!(await tryLockRollupBuilder(tx, 'hex-month', `${cellSize}|${source}`))) return null;
    const cur = await readDataVersion(tx);
    const st = await tx.query<{ version: string }>('SELECT version FROM hex_rollup_state WHERE cell_size = $1 AND source = $2', [cellSize, source]);
    if (st.rows.length && Number(st.rows[0].version) === cur) return cur; // another process built it meanwhile
    if (db.kind === 'postgres') await tx.query(`SET LOCAL jit = off; SET LOCAL work_mem = '256MB'; SET LOCAL enable_sort = off; SET LOCAL statement_timeout = 0`);
    await tx.query('DELETE FROM hex_month_counts WHERE cell_size = $1 AND source = $2', [cellSize, source]);
    // per category first (hash aggregate over the points), then all categories from those few rows; ks is the sum of
    // the points' cell keys (disclosure/cell-key.ts), so the public view can perturb a count by the events it holds
    await tx.query(
      `WITH c AS MATERIALIZED (
         SELECT category, month, ${r.keys}, count(*)::int AS n, sum(key)::bigint AS ks
         FROM (SELECT i.category, date_trunc('month', i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date AS month, ${r.uv},
                      ${recordKeySql('$4::text', 'i.source', 'i.category', `(i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date`)} AS key
               FROM incidents i WHERE i.source = $2 AND i.precision = 'exact' AND i.geom IS NOT NULL OFFSET 0) pts
         GROUP BY 1, 2, 3, 4, 5)
       INSERT INTO hex_month_counts (cell_size, source, version, category, month, i0, k, side, n, ks)
       SELECT $1::float8, $2::text, $3::bigint, category, month, i0, k, side, n, ks FROM c
       UNION ALL
       SELECT $1::float8, $2::text, $3::bigint, '', month, i0, k, side, sum(n)::int, sum(ks)::bigint FROM c GROUP BY month, i0, k, side`, [cellSize, source, cur, secret]);
    await tx.query(
      `INSERT INTO hex_rollup_state (cell_size, source, version, built_at, build_ms, built_by) VALUES ($1, $2, $3, clock_timestamp(), $4, $5)
       ON CONFLICT (cell_size, source) DO UPDATE SET version = EXCLUDED.version, used_at = now(), built_at = EXCLUDED.built_at,
         build_ms = EXCLUDED.build_ms, built_by = EXCLUDED.built_by`, [cellSize, source, cur, Math.round(performance.now() - t0), builderName()]);
    // forget the least recently used sizes beyond KEEP_SIZES
    const old = await tx.query<{ cell_size: number }>('SELECT cell_size FROM hex_rollup_state WHERE source = $1 ORDER BY used_at DESC OFFSET $2', [source, KEEP_SIZES]);
    for (const o of old.rows) {
      await tx.query('DELETE FROM hex_month_counts WHERE cell_size = $1 AND source = $2', [o.cell_size, source]);
      await tx.query('DELETE FROM hex_rollup_state WHERE cell_size = $1 AND source = $2', [o.cell_size, source]);
    }
    rebuilt = true;
    return cur;
  });
  // fresh statistics, or the planner takes the new rows for none and sorts them on disk (measured 5× slower)
  if (rebuilt) await db.query('ANALYZE hex_month_counts');
  if (rebuilt) reportOperation({ type: 'rollup-rebuild', rollup: 'hex-month', durationMs: performance.now() - t0 });
  return v;
}

/** Rectangle counts of whole months [monthFrom, monthTo) from the rollup (version as returned by currentHexRollup). */
export async function readHexRollup(db: Queryable, q: {
  cellSize: number; source: string; version: number; categories?: string[] | null; monthFrom: string; monthTo: string; range: [number, number, number, number];
}): Promise<RectangleCount[]> {
  const r = await db.query<RectangleCount>(
    `SELECT i0, k, side, sum(n)::int AS n, (sum(ks) % ${2 ** 24})::bigint AS ks FROM hex_month_counts
     WHERE cell_size = $1 AND source = $2 AND version = $3 AND category = ANY($4::text[]) AND month >= $5::date AND month < $6::date
       AND i0 BETWEEN $7 AND $8 AND k BETWEEN $9 AND $10
     GROUP BY i0, k, side`,
    [q.cellSize, q.source, q.version, q.categories?.length ? q.categories : [''], q.monthFrom, q.monthTo, ...q.range]);
  return r.rows;
}
