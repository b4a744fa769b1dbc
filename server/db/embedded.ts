// Embedded PostGIS: PGlite (Postgres in WASM) + pglite-postgis, data kept in a local folder.
// Its PostGIS has no protobuf, so capabilities.hasMvt is false and tiles are encoded in Node.
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { assertIdentifiers, copyLine } from './copy-format.js';
import { beginTransaction, committed, rolledBack } from './after-commit.js';
import { timed } from './observe.js';
import { QueryCancelledError, type Db, type QueryOptions, type Queryable, type Row } from './types.js';

type PgliteLike = Pick<PGlite, 'query' | 'exec'>;

/**
 * WAL settings for one process that checkpoints after bulk work (Db.checkpoint after a big import) and at close.
 * PGlite's defaults (max_wal_size 1 GB, min_wal_size 80 MB) left 161 MB of WAL in the data directory after the sample
 * load (269 MB in all); with these, 65 MB (173 MB in all): a checkpoint every 64 MB of WAL, at most 4 recycled
 * segments kept; wal_keep_size 0: no standby reads it.
 */
export const EMBEDDED_WAL_SETTINGS = { max_wal_size: '64MB', min_wal_size: '32MB', wal_keep_size: '0' } as const;
const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, ...Object.entries(EMBEDDED_WAL_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`])];

/** PGlite parses int8/numeric to strings or bigint; normalise to numbers as pg does here. */
const parsers = {
  20: (v: string) => Number(v),
  1700: (v: string) => Number(v),
  1082: (v: string) => v,
};

async function copyWith(conn: PgliteLike, table: string, columns: string[], rows: Iterable<unknown[]>): Promise<number> {
  assertIdentifiers(table, columns);
  // PGlite reads COPY data from a blob; send in slices so memory stays bounded on big files
  let n = 0;
  let parts: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!parts.length) return;
    await conn.query(`COPY ${table} (${columns.join(',')}) FROM '/dev/blob'`, [], { blob: new Blob(parts) });
    parts = [];
    size = 0;
  };
  for (const r of rows) {
    const line = copyLine(r);
    parts.push(line);
    size += line.length;
    n++;
    if (size > 8_000_000) await flush();
  }
  await flush();
  return n;
}

const quoted = (id: string) => `"${id}"`;

/** COPY FROM the chunks (whole lines each), one COPY per ~8 MB so memory stays bounded. */
async function copyInWith(conn: PgliteLike, table: string, columns: string[], chunks: AsyncIterable<Uint8Array>): Promise<void> {
  assertIdentifiers(table, columns);
  const sql = `COPY ${quoted(table)} (${columns.map(quoted).join(',')}) FROM '/dev/blob'`;
  let parts: Uint8Array[] = [];
  let size = 0;
  const flush = async () => {
    if (!parts.length) return;
    await conn.query(sql, [], { blob: new Blob(parts as BlobPart[]) });
    parts = [];
    size = 0;
  };
  for await (const c of chunks) {
    parts.push(c);
    size += c.length;
    if (size > 8_000_000) await flush();
  }
  await flush();
}

function queryable(conn: PgliteLike, owner: { db: Db | null }): Queryable {
  return {
    query<T extends Row = Row>(sql: string, params: unknown[] = []) {
      return timed(owner, sql, async () => {
        if (params.length === 0) {
          // simple protocol, like pg without parameters: allows multi-statement migration files
          const results = await conn.exec(sql, { parsers });
          const last = results[results.length - 1];
          return { rows: (last?.rows ?? []) as T[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
        }
        const r = await conn.query<T>(sql, params, { parsers });
        return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
      });
    },
    copyRows: (table, columns, rows) => timed(owner, `COPY ${table}`, () => copyWith(conn, table, columns, rows)),
    async copyOut(select, onChunk) {
      const r = await timed(owner, `COPY (${select}) TO STDOUT`, () => conn.query(`COPY (${select}) TO '/dev/blob'`, []));
      const blob = (r as { blob?: Blob }).blob;
      if (blob && blob.size) await onChunk(new Uint8Array(await blob.arrayBuffer()));
    },
    copyIn: (table, columns, chunks) => timed(owner, `COPY ${table} FROM STDIN`, () => copyInWith(conn, table, columns, chunks)),
  };
}

export async function openEmbedded(dataDir: string | undefined): Promise<Db> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir ? `file://${dataDir}` : undefined, { extensions: { postgis }, startParams: EMBEDDED_START_PARAMS });
  await pg.exec(`SET TimeZone = 'UTC'`);
  // PGlite is single-connection: serialise transactions so a query from another request never lands inside one
  let chain: Promise<unknown> = Promise.resolve();
  /** statements and transactions queued or running (metrics: the one running is the "connection in use") */
  let queued = 0;
  const enqueue = <T>(run: () => Promise<T>): Promise<T> => {
    queued++;
    const p = chain.then(run).finally(() => { queued--; });
    chain = p.catch(() => {});
    return p;
  };
  const owner: { db: Db | null } = { db: null };
  const base = queryable(pg, owner);
  const db: Db = {
    kind: 'embedded',
    capabilities: { hasMvt: false },
    // PGlite cannot interrupt a running statement; a query whose caller left while it waited in line is not run
    query: (sql: string, params?: unknown[], opts?: QueryOptions) =>
      enqueue(() => { if (opts?.signal?.aborted) throw new QueryCancelledError(); return base.query(sql, params); }) as never,
    copyRows: (t, c, r) => enqueue(() => base.copyRows(t, c, r)),
    copyOut: (s, f) => enqueue(() => base.copyOut(s, f)),
    copyIn: (t, c, r) => enqueue(() => base.copyIn(t, c, r)),
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return enqueue(async () => {
        let q: Queryable | undefined;
        try {
          const out = await pg.transaction((tx) => {
            q = queryable(tx as unknown as PgliteLike, owner);
            beginTransaction(q, db);
            return fn(q);
          });
          if (q) committed(q);
          return out;
        } catch (e) {
          if (q) rolledBack(q);
          throw e;
        }
      });
    },
    poolStats: () => ({ total: 1, idle: queued > 0 ? 0 : 1, waiting: Math.max(0, queued - 1) }),
    checkpoint: () => enqueue(() => pg.exec('CHECKPOINT').then(() => undefined)),
    close: () => enqueue(async () => {
      // leave no WAL behind that a restart would replay or keep: the data files are current after a checkpoint
      await pg.exec('CHECKPOINT').catch(() => {});
      await pg.close();
    }),
  };
  owner.db = db;
  return db;
}
