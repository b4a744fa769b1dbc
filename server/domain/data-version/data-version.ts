// The one owner of meta.data_version: the key every cache, tile ETag, saved report and rollup depends on.
//
// Writers: every change to data that a cached answer reads goes through bumpDataVersion(tx, reason), inside the
// writing transaction, so the new version becomes visible exactly when the data does (a rolled-back import, a dry
// run or a rejected file leaves it unchanged). Callers: the incident writer, the area-set writer, the population,
// categories, survey-indicator, survey and places imports, deleting an import batch, the place store (create, change,
// delete) and the sample places. Place goals and measures, API keys, sessions, the audit log and saved reports are not
// read by any version-keyed cache and do not bump it (a bump costs every cache and the rollups a rebuild).
//
// Readers: caches are keyed by the version read from the database, which is what keeps them correct across
// processes (an import in another process changes the key). readDataVersion reads it now (in a transaction: the
// version of that transaction's snapshot); currentDataVersion reads it at most once per TTL per Db, so a tile cache
// hit costs no query — an import committed in another process is seen within the TTL, one committed in this process
// at once (the bump drops the cached value after commit).
//
// onDataVersionBump: this process's listeners hear of a bump after its transaction committed (never after a rollback),
// with the new version and the reasons. An optimisation only (freeing entries of old versions): other processes'
// bumps are never heard, so correctness never depends on it.
import { afterCommit } from '../../db/after-commit.js';
import type { Db, Queryable } from '../../db/index.js';

export type DataVersionBump = {
  /** the database bumped; null when the bump came through a connection that is not known to belong to one */
  db: Db | null;
  /** the version after the transaction (its last bump) */
  version: number;
  /** why: one entry per bump in the transaction, e.g. 'incidents of crimes changed', 'place edited' */
  reasons: string[];
};
export type DataVersionListener = (bump: DataVersionBump) => void;

const TTL_MS = 1000;
type Entry = { value: number; at: number; generation: number; pending?: Promise<number> };
const cache = new WeakMap<Db, Entry>();
/** Bumps through a connection of no known Db drop every cached version. */
let generation = 0;
const listeners = new Set<DataVersionListener>();
/** The bumps of each open transaction, told to the listeners once after its commit. */
const pendingBumps = new WeakMap<Queryable, { version: number; reasons: string[] }>();

const isDb = (db: Queryable): db is Db => 'transaction' in db;

/** The data version as `db` sees it now: in a transaction, the version of its snapshot (its own bumps included). */
export async function readDataVersion(db: Queryable): Promise<number> {
  const r = await db.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'data_version'`);
  return Number(r.rows[0]?.value ?? 0);
}

/**
 * The data version, read from the database at most once per second per Db (concurrent callers share one query).
 * For keys of caches that must be cheap on a hit (tiles, hot spots). Inside a transaction it reads as readDataVersion.
 */
export async function currentDataVersion(db: Queryable): Promise<number> {
  if (!isDb(db)) return readDataVersion(db);
  const hit = cache.get(db);
  if (hit && hit.generation === generation) {
    if (Date.now() - hit.at < TTL_MS) return hit.value;
    if (hit.pending) return hit.pending;
  }
  const gen = generation;
  const entry: Entry = { value: hit?.value ?? -1, at: 0, generation: gen };
  entry.pending = readDataVersion(db).then(
    (value) => {
      // a bump committed while this read ran dropped the entry: do not put back what may be the old version
      if (cache.get(db) === entry && generation === gen) cache.set(db, { value, at: Date.now(), generation: gen });
      return value;
    },
    (e) => { if (cache.get(db) === entry) cache.delete(db); throw e; },
  );
  cache.set(db, entry);
  return entry.pending;
}

/** Makes the next currentDataVersion(db) read the database. */
export function forgetDataVersion(db: Queryable): void {
  if (isDb(db)) cache.delete(db);
}

/**
 * The only writer of the data version: adds one inside the caller's transaction and returns the new version. `reason`
 * says what changed ('incidents of crimes changed', 'place edited' …); the latest is kept in meta.data_version_reason
 * and the listeners get every reason of the transaction after it commits.
 */
export async function bumpDataVersion(tx: Queryable, reason: string): Promise<number> {
  if (!reason.trim()) throw new Error('bumpDataVersion needs a reason');
  const r = await tx.query<{ value: string }>(
    `UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'data_version' RETURNING value`);
  if (!r.rows.length) throw new Error('meta.data_version is missing: the database is not migrated');
  const version = Number(r.rows[0].value);
  await tx.query(
    `INSERT INTO meta (key, value) VALUES ('data_version_reason', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [`${version}: ${reason}`]);
  const pending = pendingBumps.get(tx);
  if (pending) {
    pending.version = version;
    pending.reasons.push(reason);
    return version;
  }
  const bump = { version, reasons: [reason] };
  pendingBumps.set(tx, bump);
  afterCommit(tx, (db) => {
    pendingBumps.delete(tx);
    if (db) cache.delete(db);
    else generation++;
    for (const l of listeners) {
      try { l({ db, version: bump.version, reasons: [...bump.reasons] }); } catch { /* a listener must not break the writer */ }
    }
  });
  return version;
}

/** Calls `listener` after each committed transaction that bumped the version in this process. Returns the unsubscribe. */
export function onDataVersionBump(listener: DataVersionListener): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}
