// Embedded PostGIS: PGlite (Postgres in WASM) + pglite-postgis, data kept in a local folder.
// Its PostGIS has no protobuf, so capabilities.hasMvt is false and tiles are encoded in Node.
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { assertIdentifiers, copyLine } from './copy-format.js';
import { beginTransaction, committed, rolledBack } from './after-commit.js';
import { QueryCancelledError, type Db, type QueryOptions, type Queryable, type Row } from './types.js';

type PgliteLike = Pick<PGlite, 'query' | 'exec'>;

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

function queryable(conn: PgliteLike): Queryable {
  return {
    async query<T extends Row = Row>(sql: string, params: unknown[] = []) {
      if (params.length === 0) {
        // simple protocol, like pg without parameters: allows multi-statement migration files
        const results = await conn.exec(sql, { parsers });
        const last = results[results.length - 1];
        return { rows: (last?.rows ?? []) as T[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
      }
      const r = await conn.query<T>(sql, params, { parsers });
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    copyRows: (table, columns, rows) => copyWith(conn, table, columns, rows),
  };
}

export async function openEmbedded(dataDir: string | undefined): Promise<Db> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir ? `file://${dataDir}` : undefined, { extensions: { postgis } });
  await pg.exec(`SET TimeZone = 'UTC'`);
  // PGlite is single-connection: serialise transactions so a query from another request never lands inside one
  let chain: Promise<unknown> = Promise.resolve();
  const base = queryable(pg);
  const db: Db = {
    kind: 'embedded',
    capabilities: { hasMvt: false },
    // PGlite cannot interrupt a running statement; a query whose caller left while it waited in line is not run
    query: (sql: string, params?: unknown[], opts?: QueryOptions) => {
      const p = chain.then(() => { if (opts?.signal?.aborted) throw new QueryCancelledError(); return base.query(sql, params); });
      chain = p.catch(() => {});
      return p as never;
    },
    copyRows: (t, c, r) => { const p = chain.then(() => base.copyRows(t, c, r)); chain = p.catch(() => {}); return p; },
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const p = chain.then(async () => {
        let q: Queryable | undefined;
        try {
          const out = await pg.transaction((tx) => {
            q = queryable(tx as unknown as PgliteLike);
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
      chain = p.catch(() => {});
      return p as Promise<T>;
    },
    close: () => pg.close(),
  };
  return db;
}
