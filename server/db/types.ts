// The one database interface everything above server/db/ uses. Two implementations:
// postgres.ts (pg Pool, DATABASE_URL) and embedded.ts (PGlite + pglite-postgis).
export type Row = Record<string, unknown>;

export interface Queryable {
  /** A parameterised query ($1, $2 …). Never interpolate values into sql. */
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  /**
   * Bulk load rows into a table (COPY on both backends: COPY FROM STDIN on pg, COPY FROM a blob on PGlite).
   * Values: null, string, number, boolean, Date or a JSON-able object (jsonb).
   */
  copyRows(table: string, columns: string[], rows: Iterable<unknown[]>): Promise<number>;
  /**
   * COPY (select) TO STDOUT in text format: the bytes in order, in chunks of whole lines (backup). `select` is SQL
   * the caller built from catalog names, never from input.
   */
  copyOut(select: string, onChunk: (bytes: Uint8Array) => Promise<void> | void): Promise<void>;
  /** COPY table (columns) FROM STDIN in text format, from chunks of whole lines as copyOut gives them (restore). */
  copyIn(table: string, columns: string[], chunks: AsyncIterable<Uint8Array>): Promise<void>;
}

export interface Capabilities {
  /** ST_AsMVT exists (PostGIS built with protobuf). The embedded build has none: tiles are encoded in Node. */
  hasMvt: boolean;
}

export type QueryOptions = {
  /**
   * Abandon the query when this aborts: on PostgreSQL a running statement is cancelled (pg_cancel_backend), on the
   * embedded backend a query not yet started is not run. The promise then rejects with QueryCancelledError.
   */
  signal?: AbortSignal;
};

/** Connections of a backend: the pg pool's, or the embedded database's one connection and the statements queued for it. */
export type PoolStats = {
  /** connections open (embedded: 1) */
  total: number;
  /** of those, idle */
  idle: number;
  /** callers waiting for a connection (embedded: statements and transactions queued behind the running one) */
  waiting: number;
};

export interface Db extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  query<T extends Row = Row>(sql: string, params?: unknown[], opts?: QueryOptions): Promise<{ rows: T[]; rowCount: number }>;
  readonly capabilities: Capabilities;
  /** A read view's primary (read-replicas.ts): its data version, caches and writes are the primary's. */
  readonly primary?: Db;
  /** Runs fn in one transaction: commit when it resolves, roll back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Connection use now (metrics). */
  poolStats(): PoolStats;
  /**
   * After bulk writes (a big import): the embedded database checkpoints, so the WAL they wrote is recycled instead of
   * kept in the data directory; PostgreSQL checkpoints by itself (nothing to do).
   */
  checkpoint(): Promise<void>;
  /**
   * PostgreSQL only (several processes share the database; the embedded one has one process): LISTEN on `channel`
   * over a dedicated connection that is opened again, with backoff, whenever it is lost (a PostgreSQL restart).
   * `onState(true)` once it listens (again), `onState(false)` when it lost the connection: notifications sent while it
   * was down are lost, the caller must catch up itself. Returns the stop function (db.close() stops it too).
   */
  listen?(channel: string, onPayload: (payload: string) => void, onState: (listening: boolean) => void): () => Promise<void>;
}

/** Thrown when the database cannot be reached; the HTTP layer answers 503 with Retry-After. */
/** A Db (it can open transactions of its own), not a transaction handed to a caller. */
export function isDb(q: Queryable): q is Db {
  return 'transaction' in q;
}

/** A Db on PostgreSQL: it runs statements side by side and takes SET LOCAL tuning; embedded runs one at a time. */
export function isPostgresDb(q: Queryable): q is Db {
  return isDb(q) && q.kind === 'postgres';
}

export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The database is not reachable right now.');
    this.name = 'DatabaseUnavailableError';
    (this as { cause?: unknown }).cause = cause;
  }
}

/** A query given up because its caller's signal aborted (the client went away). */
export class QueryCancelledError extends Error {
  constructor() {
    super('The query was cancelled: its caller went away.');
    this.name = 'QueryCancelledError';
  }
}
