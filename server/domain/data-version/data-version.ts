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
// Several processes on one PostgreSQL database (instances behind a load balancer, the import CLI): a bump also sends
// NOTIFY on DATA_VERSION_CHANNEL inside the writing transaction (PostgreSQL delivers it on commit, never after a
// rollback). watchDataVersion(db), started by the app, listens on a dedicated connection: a notification drops the
// cached version at once, so every instance's tiles and hot spots see the bump within milliseconds. While listening
// the cached version is kept up to LISTENING_TTL_MS (a safety net); while the connection is down (a PostgreSQL
// restart) it falls back to the 1 s poll, and on listening again the cached version is dropped (bumps sent meanwhile
// were not heard). The embedded backend is one process: no NOTIFY, no listener, the poll as before.
//
// onDataVersionBump: this process's listeners hear of a bump after its transaction committed (never after a rollback),
// with the new version and the reasons; a watched Db also tells them of other processes' bumps (reasons: ['changed by
// another process'], heard once the notification arrives). An optimisation only (freeing entries of old versions):
// correctness never depends on it.
import crypto from 'node:crypto';
import { afterCommit, transactionDb } from '../../db/after-commit.js';
import { isDb, type Db, type Queryable } from '../../db/index.js';

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
const LISTENING_TTL_MS = 30_000;
/** The channel of the bumps' notifications; the payload is "<sender id>:<version>". */
export const DATA_VERSION_CHANNEL = 'trygghetskarta_data_version';
/** Per Db: its sender id (its own notifications come back to its listener) and whether its listener is connected. */
const watched = new WeakMap<Db, { id: string; listening: boolean; users: number; stop: () => Promise<void> }>();
const senderIds = new WeakMap<Db, string>();
const senderId = (db: Db) => {
  let id = senderIds.get(db);
  if (!id) { id = crypto.randomBytes(6).toString('hex'); senderIds.set(db, id); }
  return id;
};
type Entry = { value: number; at: number; generation: number; pending?: Promise<number> };
const cache = new WeakMap<Db, Entry>();
/** Bumps through a connection of no known Db drop every cached version. */
let generation = 0;
const listeners = new Set<DataVersionListener>();
/** The bumps of each open transaction, told to the listeners once after its commit. */
const pendingBumps = new WeakMap<Queryable, { version: number; reasons: string[] }>();

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
  // a read view (replicas) answers no older than its primary's version: read-replicas.ts waits for that
  if (db.primary) return currentDataVersion(db.primary);
  const hit = cache.get(db);
  if (hit && hit.generation === generation) {
    if (Date.now() - hit.at < (watched.get(db)?.listening ? LISTENING_TTL_MS : TTL_MS)) return hit.value;
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
  const owner = transactionDb(tx) ?? (isDb(tx) ? tx : null);
  // delivered on commit to every process listening (watchDataVersion); the embedded backend has no other process
  if (owner?.kind === 'postgres') await tx.query('SELECT pg_notify($1, $2)', [DATA_VERSION_CHANNEL, `${senderId(owner)}:${version}`]);
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

/**
 * Hears the bumps of other processes on `db` (PostgreSQL: LISTEN over a connection of its own, opened again after a
 * restart; a Db without listen, the embedded one, is left to the poll). Counted: the listener stops when the last
 * caller's stop function ran (or with db.close()).
 */
export function watchDataVersion(db: Db): () => Promise<void> {
  if (!db.listen) return async () => {};
  let w = watched.get(db);
  if (w) w.users++;
  else {
    const id = senderId(db);
    const state = { id, listening: false, users: 1, stop: async () => {} };
    watched.set(db, state);
    w = state;
    state.stop = db.listen(DATA_VERSION_CHANNEL, (payload) => {
      const [from, v] = payload.split(':');
      // drop the cached version whoever sent it (a NOTIFY can only arrive after its commit)
      cache.delete(db);
      if (from === id) return; // this process's own bump: its listeners were told after commit
      const version = Number(v);
      for (const l of listeners) {
        try { l({ db, version, reasons: ['changed by another process'] }); } catch { /* as in bumpDataVersion */ }
      }
    }, (listening) => {
      state.listening = listening;
      // bumps sent while not listening were not heard: read the version again
      cache.delete(db);
    });
  }
  const mine = w;
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    if (--mine.users > 0) return;
    watched.delete(db);
    await mine.stop();
  };
}

/** Whether `db`'s bumps from other processes are heard at once (its listener is connected). */
export function dataVersionListening(db: Db): boolean {
  return watched.get(db)?.listening ?? false;
}
