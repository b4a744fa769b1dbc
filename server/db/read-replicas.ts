// Read replicas (issue 22): a Db whose plain queries go to a PostgreSQL streaming replica (DATABASE_READ_URLS) and
// whose transactions, COPY and LISTEN go to the primary. The read-only routes (statistics, survey, profiles, tiles,
// hot spots, OGC) take it as app.readDb; everything else keeps app.db.
//
// Never older than what this process knows: before a replica answers, it must have replayed the primary's WAL up to
// the LSN the primary had when (a) this process last learned of a new data version (an import here or, heard through
// NOTIFY, in another instance: an import is never missing right after it) and (b) the last write this read view made
// itself (a rollup built on the primary for a read). A replica behind that waits up to `waitMs`, polling its replay
// LSN; then the primary answers instead. A replica that cannot be reached, is shutting down, or cancels a statement
// for a recovery conflict is set aside for `retryMs` and the query runs on the primary: no request is lost.
import { isConnectionError, openPostgres } from './postgres.js';
import { DatabaseUnavailableError, type Db, type QueryOptions, type Row } from './types.js';

export type ReadReplicaOptions = {
  /** the data version the primary holds now (cached by the caller; changes when an import commits anywhere) */
  dataVersion: () => Promise<number>;
  /** how long a read waits for a lagging replica before the primary answers it */
  waitMs?: number;
  /** how long a failed replica is left alone */
  retryMs?: number;
  poolMax?: number;
  statementTimeoutMs?: number;
  workMem?: string;
};

export type ReadStats = { replica: number; primary: number; waitedForReplica: number; replicaFailures: number };

/** '16/B374D848' → a number that orders as the LSN does. */
export function lsnValue(lsn: string | null | undefined): bigint {
  if (!lsn) return -1n;
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/** Errors after which the same statement is run on the primary (it had no effect on the replica). */
function replicaCannotServe(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return e instanceof DatabaseUnavailableError || isConnectionError(e)
    // read-only transaction (a write reached the read view), recovery conflict, admin shutdown / crash / cannot connect
    // now, and a database the replica has not created yet (CREATE DATABASE not replayed)
    || ['25006', '40001', '57P01', '57P02', '57P03', '3D000'].includes(code);
}

type Replica = { url: string; db: Db | null; opening: Promise<Db> | null; replayed: bigint; downUntil: number; polling: Promise<bigint> | null };

export function withReadReplicas(primary: Db, urls: string[], opts: ReadReplicaOptions): Db & { readStats(): ReadStats } {
  const waitMs = opts.waitMs ?? 2000;
  const retryMs = opts.retryMs ?? 5000;
  const replicas: Replica[] = urls.map((url) => ({ url, db: null, opening: null, replayed: -1n, downUntil: 0, polling: null }));
  const stats: ReadStats = { replica: 0, primary: 0, waitedForReplica: 0, replicaFailures: 0 };
  let next = 0;
  let knownVersion = -1;
  let requiredLsn = -1n;
  let lsnPending: Promise<void> | null = null;

  /** The primary's LSN now becomes the least a replica must have replayed. */
  const requirePrimaryLsn = (): Promise<void> => {
    lsnPending ??= primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')
      .then((r) => { const v = lsnValue(r.rows[0]?.lsn); if (v > requiredLsn) requiredLsn = v; })
      .finally(() => { lsnPending = null; });
    return lsnPending;
  };

  const open = (r: Replica): Promise<Db> => {
    if (r.db) return Promise.resolve(r.db);
    r.opening ??= openPostgres(r.url, { poolMax: opts.poolMax, statementTimeoutMs: opts.statementTimeoutMs, workMem: opts.workMem })
      .then((db) => { r.db = db; return db; })
      .finally(() => { r.opening = null; });
    return r.opening;
  };
  const setAside = (r: Replica) => { r.downUntil = Date.now() + retryMs; r.replayed = -1n; stats.replicaFailures++; };

  const replayed = (r: Replica, db: Db): Promise<bigint> => {
    r.polling ??= db.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')
      .then((x) => { r.replayed = lsnValue(x.rows[0]?.lsn); return r.replayed; })
      .finally(() => { r.polling = null; });
    return r.polling;
  };

  /** A replica that has replayed `requiredLsn` (waiting up to waitMs), or null: the primary answers. */
  async function pick(): Promise<{ r: Replica; db: Db } | null> {
    const version = await opts.dataVersion();
    if (version !== knownVersion) { await requirePrimaryLsn(); knownVersion = version; }
    if (lsnPending) await lsnPending;
    for (let i = 0; i < replicas.length; i++) {
      const r = replicas[(next + i) % replicas.length];
      if (r.downUntil > Date.now()) continue;
      try {
        const db = await open(r);
        if (r.replayed >= requiredLsn) { next = (next + i + 1) % replicas.length; return { r, db }; }
        const deadline = Date.now() + waitMs;
        stats.waitedForReplica++;
        while ((await replayed(r, db)) < requiredLsn) {
          if (Date.now() >= deadline) break;
          await new Promise((res) => setTimeout(res, 20));
        }
        if (r.replayed >= requiredLsn) return { r, db };
      } catch (e) {
        if (!replicaCannotServe(e)) throw e;
        setAside(r);
      }
    }
    return null;
  }

  const view: Db & { readStats(): ReadStats } = {
    kind: 'postgres',
    primary,
    capabilities: primary.capabilities,
    async query<T extends Row = Row>(sql: string, params: unknown[] = [], o: QueryOptions = {}) {
      const target = await pick();
      if (target) {
        try {
          const out = await target.db.query<T>(sql, params, o);
          stats.replica++;
          return out;
        } catch (e) {
          if (!replicaCannotServe(e)) throw e;
          if ((e as { code?: string }).code !== '25006') setAside(target.r);
        }
      }
      stats.primary++;
      return primary.query<T>(sql, params, o);
    },
    async transaction(fn) {
      try {
        return await primary.transaction(fn);
      } finally {
        // what it wrote (a rollup built for this read) must be on the replica before the next read there
        await requirePrimaryLsn().catch(() => {});
      }
    },
    copyRows: (table, columns, rows) => primary.copyRows(table, columns, rows),
    copyOut: (select, onChunk) => primary.copyOut(select, onChunk),
    copyIn: (table, columns, chunks) => primary.copyIn(table, columns, chunks),
    poolStats: () => primary.poolStats(),
    checkpoint: () => primary.checkpoint(),
    listen: primary.listen ? (channel, onPayload, onState) => primary.listen!(channel, onPayload, onState) : undefined,
    readStats: () => ({ ...stats }),
    /** Closes the replicas' pools; the primary belongs to its opener. */
    async close() {
      await Promise.all(replicas.map(async (r) => { const db = r.db ?? (await r.opening?.catch(() => null)); r.db = null; await db?.close(); }));
    },
  };
  return view;
}
