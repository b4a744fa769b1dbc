// Makes the database, configuration and region available to every route as app.db / app.config / app.region.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { settleBackgroundWork } from '../db/background-work.js';
import type { Db } from '../db/index.js';
import { currentDataVersion, watchDataVersion } from '../domain/data-version/data-version.js';
import { withReadReplicas } from '../db/read-replicas.js';
import { resolveRegion, type Region } from '../domain/region/resolve-region.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    /** the read-only routes' database: the replicas of DATABASE_READ_URLS, else app.db itself */
    readDb: Db;
    config: Config;
    /** the deployment's region (REGION), resolved against the bundled national boundaries */
    region: Region;
  }
}

export default fp(async function dbPlugin(app: FastifyInstance, opts: { db: Db; config: Config; closeDb?: boolean }) {
  app.decorate('db', opts.db);
  app.decorate('config', opts.config);
  app.decorate('region', resolveRegion(opts.config.region));
  const c = opts.config;
  const readDb = c.databaseReadUrls.length && opts.db.kind === 'postgres'
    ? withReadReplicas(opts.db, c.databaseReadUrls, { dataVersion: () => currentDataVersion(opts.db), waitMs: c.readReplicaWaitMs, poolMax: c.pgPoolMax, statementTimeoutMs: c.statementTimeoutMs, workMem: c.pgWorkMem })
    : opts.db;
  app.decorate('readDb', readDb);
  // other instances' data-version bumps drop this one's cached version at once (PostgreSQL LISTEN/NOTIFY)
  const unwatch = watchDataVersion(opts.db);
  // background work (rollup rebuilds) finishes before the database may be closed, by us or by the caller
  app.addHook('onClose', async () => {
    await unwatch();
    await settleBackgroundWork(opts.db);
    if (readDb !== opts.db) { await settleBackgroundWork(readDb); await readDb.close(); }
    if (opts.closeDb) await opts.db.close();
  });
});
