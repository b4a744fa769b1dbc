// What every start does before listening (server and CLI alike): open the database, migrate, load reference data.
import type { Config } from './config.js';
import { openDb, type Db } from './db/index.js';
import { migrate } from './db/migrate.js';
import { ensureReferenceData } from './reference/load-reference-data.js';
import { resolveRegion } from './domain/region/resolve-region.js';

export async function openReadyDb(config: Config, log: (msg: string) => void = () => {}): Promise<Db> {
  const db = await openDb(config);
  try {
    const applied = await migrate(db);
    if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    await ensureReferenceData(db, log, resolveRegion(config.region));
    return db;
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
