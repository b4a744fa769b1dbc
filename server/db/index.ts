// Opens the configured backend: DATABASE_URL → PostgreSQL, otherwise embedded PGlite in DATA_DIR.
import path from 'node:path';
import type { Config } from '../config.js';
import { openEmbedded } from './embedded.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

export type { Db, Queryable, QueryOptions, Row, Capabilities, PoolStats } from './types.js';
export { DatabaseUnavailableError, QueryCancelledError, isDb, isPostgresDb } from './types.js';

export async function openDb(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'pgPoolMax' | 'statementTimeoutMs'> & Partial<Pick<Config, 'pgWorkMem'>>): Promise<Db> {
  if (config.databaseUrl) {
    return openPostgres(config.databaseUrl, { poolMax: config.pgPoolMax, statementTimeoutMs: config.statementTimeoutMs, workMem: config.pgWorkMem });
  }
  return openEmbedded(path.join(config.dataDir, 'pglite'));
}
