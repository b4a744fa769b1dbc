// The state of the derived rollups' rebuilds, the same for every instance on the database: the version each holds,
// when, by which instance and in how long it was last built (its state table), and whether a rebuild is running now
// anywhere (its builder's advisory lock in pg_locks: released by PostgreSQL when the builder's transaction or
// connection ends, so a crashed instance never leaves a rebuild marked as running).
import os from 'node:os';
import type { Queryable } from '../../db/index.js';
import { ROLLUP_LOCK_CLASS_SQL, type RollupName } from '../../db/write-locks.js';

export type RollupBuild = {
  rollup: RollupName;
  /** '250|crimes' (cell size | source) or 'stadsdelar|crimes' (area set | source) */
  key: string;
  /** the data version the rollup holds */
  version: number;
  builtAt: Date | null;
  buildMs: number | null;
  /** host:pid of the instance that built it */
  builtBy: string | null;
  /** a rebuild holds the builder's lock now, in any instance */
  running: boolean;
};

/** Who builds, as recorded in the state tables. */
export const builderName = (): string => `${os.hostname()}:${process.pid}`;

const running = (name: string) => `EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
  AND l.classid = (${ROLLUP_LOCK_CLASS_SQL})::oid AND l.objid = hashtext(${name})::oid)`;

/** Every rollup with a state row, as every instance sees it. */
export async function rollupBuildStatus(db: Queryable): Promise<RollupBuild[]> {
  const r = await db.query<{ rollup: RollupName; key: string; version: string; built_at: Date | null; build_ms: number | null; built_by: string | null; running: boolean }>(
    `SELECT 'hex-month' AS rollup, cell_size::text || '|' || source AS key, version, built_at, build_ms, built_by,
            ${running(`'hex-month|' || cell_size::text || '|' || source`)} AS running
     FROM hex_rollup_state
     UNION ALL
     SELECT 'area-month', area_set_id || '|' || source, version, built_at, build_ms, built_by,
            ${running(`'area-month|' || area_set_id || '|' || source`)}
     FROM area_month_state
     ORDER BY 1, 2`);
  return r.rows.map((x) => ({
    rollup: x.rollup, key: x.key, version: Number(x.version), builtAt: x.built_at ? new Date(x.built_at) : null,
    buildMs: x.build_ms, builtBy: x.built_by, running: Boolean(x.running),
  }));
}

/** Whether a rebuild of `rollup` for `key` is running now in any instance (also one never built before, with no state row). */
export async function rollupBuildRunning(db: Queryable, rollup: RollupName, key: string): Promise<boolean> {
  const r = await db.query<{ running: boolean }>(`SELECT ${running('$1::text')} AS running`, [`${rollup}|${key}`]);
  return Boolean(r.rows[0]?.running);
}
