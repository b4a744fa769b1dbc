// PostgreSQL + PostGIS over a pg Pool (DATABASE_URL).
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertIdentifiers, copyLine } from './copy-format.js';
import { beginTransaction, committed, rolledBack } from './after-commit.js';
import { timed } from './observe.js';
import { DatabaseUnavailableError, QueryCancelledError, type Db, type QueryOptions, type Queryable, type Row } from './types.js';

// int8 and numeric as JS numbers: counts and sums here stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
// dates as 'YYYY-MM-DD' strings, as PGlite gives them
pg.types.setTypeParser(1082, (v) => v);

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (err?.code && CONNECTION_CODES.has(err.code)) return true;
  return /Connection terminated|connect ECONNREFUSED|the database system is (starting up|shutting down)|Client has encountered a connection error/i.test(err?.message ?? '');
}

function wrap(e: unknown): never {
  if (isConnectionError(e)) throw new DatabaseUnavailableError(e);
  throw e;
}

async function copyWith(client: pg.PoolClient, table: string, columns: string[], rows: Iterable<unknown[]>): Promise<number> {
  assertIdentifiers(table, columns);
  let n = 0;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(',')}) FROM STDIN`));
  // batch lines into ~256 KB chunks so the stream is not driven row by row
  function* chunks() {
    let buf = '';
    for (const r of rows) {
      buf += copyLine(r);
      n++;
      if (buf.length > 262_144) { yield buf; buf = ''; }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(chunks()), stream);
  return n;
}

const quoted = (id: string) => `"${id}"`;

async function copyOutWith(client: pg.PoolClient, select: string, onChunk: (bytes: Uint8Array) => Promise<void> | void): Promise<void> {
  const stream = client.query(copyTo(`COPY (${select}) TO STDOUT`));
  // pg-copy-streams hands out whole rows per chunk
  for await (const chunk of stream) await onChunk(chunk as Buffer);
}

async function copyInWith(client: pg.PoolClient, table: string, columns: string[], chunks: AsyncIterable<Uint8Array>): Promise<void> {
  assertIdentifiers(table, columns);
  const stream = client.query(copyFrom(`COPY ${quoted(table)} (${columns.map(quoted).join(',')}) FROM STDIN`));
  await pipeline(Readable.from(chunks), stream);
}

function queryable(client: pg.PoolClient, owner: { db: Db | null }): Queryable {
  return {
    async query<T extends Row = Row>(sql: string, params: unknown[] = []) {
      const r = await timed(owner, sql, () => client.query(sql, params as unknown[])).catch(wrap);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
    copyRows: (table, columns, rows) => timed(owner, `COPY ${table}`, () => copyWith(client, table, columns, rows)).catch(wrap),
    copyOut: (select, onChunk) => timed(owner, `COPY (${select}) TO STDOUT`, () => copyOutWith(client, select, onChunk)).catch(wrap),
    copyIn: (table, columns, chunks) => timed(owner, `COPY ${table} FROM STDIN`, () => copyInWith(client, table, columns, chunks)).catch(wrap),
  };
}

/** Runs one query on its own client so that an abort can cancel exactly that backend's statement. */
async function cancellable<T extends Row>(pool: pg.Pool, owner: { db: Db | null }, sql: string, params: unknown[], signal: AbortSignal) {
  if (signal.aborted) throw new QueryCancelledError();
  const client = await pool.connect().catch(wrap);
  const pid = (client as unknown as { processID: number }).processID;
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
    // on another connection: the client's own one is busy with the statement
    pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    if (signal.aborted) throw new QueryCancelledError();
    const r = await timed(owner, sql, () => client.query(sql, params as unknown[])).catch((e) => {
      if (cancelled && (e as { code?: string }).code === '57014') throw new QueryCancelledError();
      return wrap(e);
    });
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  } finally {
    signal.removeEventListener('abort', cancel);
    client.release();
  }
}

/** One LISTEN connection of its own (not from the pool: a pooled client is handed to others between statements). */
function listenOn(url: string, channel: string, onPayload: (payload: string) => void, onState: (listening: boolean) => void) {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = 200;
  const retry = () => {
    if (stopped) return;
    timer = setTimeout(() => { void connect(); }, delay);
    timer.unref();
    delay = Math.min(delay * 2, 5000);
  };
  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true, options: '-c TimeZone=UTC' });
    c.on('error', () => {}); // heard as 'end' below
    c.on('notification', (n) => { if (n.channel === channel) onPayload(n.payload ?? ''); });
    c.on('end', () => {
      if (client !== c) return;
      client = null;
      onState(false);
      retry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch {
      void c.end().catch(() => {});
      retry();
      return;
    }
    if (stopped) { void c.end().catch(() => {}); return; }
    client = c;
    delay = 200;
    onState(true);
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const c = client;
    client = null;
    if (c) { onState(false); await c.end().catch(() => {}); }
  };
}

export async function openPostgres(url: string, opts: { poolMax?: number; statementTimeoutMs?: number; workMem?: string } = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    // work_mem (PG_WORK_MEM): a z8 hexbin tile at 15 M incidents took 14.5 s with 4 MB (lossy bitmap, 11.7 M rows rechecked), 8.0 s with 64 MB
    options: `-c TimeZone=UTC${opts.workMem ? ` -c work_mem=${opts.workMem}` : ''}`,
  });
  // an idle client losing its connection (server restart) must not crash the process
  pool.on('error', () => {});
  // nor one that is checked out (a transaction between statements, a cancellable query): pg-pool listens only while a
  // client is idle, and an unheard 'error' event ends the process. Its next statement fails instead, and the pool drops
  // it on release (no longer queryable). Seen in the soak's PostgreSQL restart (bench/soak.bench.ts)
  pool.on('connect', (client) => { client.on('error', () => {}); });
  const probe = await pool.query(`SELECT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'st_asmvt') AS has_mvt`).catch(async (e) => {
    // postgis not yet created: migrations create it; assume a full build
    if (/does not exist/.test(String(e))) return { rows: [{ has_mvt: true }] };
    throw e;
  });
  const owner: { db: Db | null } = { db: null };
  const listeners = new Set<() => Promise<void>>();
  /** Runs fn on one client of the pool, outside any transaction. */
  const withClient = async <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => {
    const client = await pool.connect().catch(wrap);
    try { return await fn(queryable(client, owner)); } finally { client.release(); }
  };
  const db: Db = {
    kind: 'postgres',
    capabilities: { hasMvt: Boolean(probe.rows[0]?.has_mvt) },
    async query<T extends Row = Row>(sql: string, params: unknown[] = [], opts: QueryOptions = {}) {
      if (!opts.signal) {
        // (the time reported includes a wait for a free connection of the pool: a full pool shows up as slow statements)
        const r = await timed(owner, sql, () => pool.query(sql, params as unknown[])).catch(wrap);
        return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
      }
      return cancellable<T>(pool, owner, sql, params, opts.signal);
    },
    copyRows: (table, columns, rows) => withClient((q) => q.copyRows(table, columns, rows)),
    copyOut: (select, onChunk) => withClient((q) => q.copyOut(select, onChunk)),
    copyIn: (table, columns, chunks) => withClient((q) => q.copyIn(table, columns, chunks)),
    async transaction(fn) {
      const client = await pool.connect().catch(wrap);
      let broken = false;
      const tx = queryable(client, owner);
      try {
        await client.query('BEGIN');
        beginTransaction(tx, db);
        const out = await fn(tx);
        await client.query('COMMIT');
        committed(tx);
        return out;
      } catch (e) {
        rolledBack(tx);
        await client.query('ROLLBACK').catch(() => { broken = true; });
        throw e;
      } finally {
        client.release(broken);
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    checkpoint: async () => {},
    listen(channel, onPayload, onState) {
      const stop = listenOn(url, channel, onPayload, onState);
      const once = async () => { listeners.delete(once); await stop(); };
      listeners.add(once);
      return once;
    },
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
  owner.db = db;
  return db;
}
