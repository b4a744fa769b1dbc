// The transaction-scoped advisory locks of the derived and keyed tables, in one place; all are held until commit.
// The incident and rollup locks let the bulk writers use a plain UPDATE + INSERT … WHERE NOT EXISTS instead of
// INSERT … ON CONFLICT (whose speculative insertion took about twice as long per row: 1 M incidents 15 s → 12 s,
// 1.8 M rollup rows 7.8 s → 4 s), and keep "read the stored versions, then change them" atomic. They are taken in
// this order only (incidents, then the rollup), so two writers cannot deadlock. Parsing, validating and staging a
// file still run side by side; only the merges take turns.
import type { Queryable } from './types.js';

/** Before reading and changing stored incidents: one writer of incidents at a time. */
export async function lockIncidentWriters(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('trygghetskarta.incidents'))`);
}

/** Before changing area_day_counts: one writer of the area × day rollup at a time. */
export async function lockRollupWriters(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('trygghetskarta.area_day_counts'))`);
}

/** The derived rollups rebuilt on demand, each per key ('250|crimes' for the hexagons, 'stadsdelar|crimes' for the areas). */
export type RollupName = 'hex-month' | 'area-month';

/** The two-key advisory lock of a rollup builder: (the rollups' class, hashtext('<rollup>|<key>')); pg_locks shows it as classid/objid. */
export const ROLLUP_LOCK_CLASS_SQL = `hashtext('trygghetskarta.rollup-build')`;

/**
 * Before rebuilding a derived rollup: one builder per rollup and key across every process on the database (several
 * instances). Never waits: false when another transaction holds it (that one is building: skip, read around the
 * rollup meanwhile, and do not keep a connection waiting). Held until the caller's transaction ends.
 */
export async function tryLockRollupBuilder(tx: Queryable, rollup: RollupName, key: string): Promise<boolean> {
  const r = await tx.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK_CLASS_SQL}, hashtext($1)) AS ok`, [`${rollup}|${key}`]);
  return Boolean(r.rows[0]?.ok);
}
