// Makes the database and configuration available to every route as app.db / app.config.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { settleBackgroundWork } from '../db/background-work.js';
import type { Db } from '../db/index.js';
import { watchDataVersion } from '../domain/data-version/data-version.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    config: Config;
  }
}

export default fp(async function dbPlugin(app: FastifyInstance, opts: { db: Db; config: Config; closeDb?: boolean }) {
  app.decorate('db', opts.db);
  app.decorate('config', opts.config);
  // other instances' data-version bumps drop this one's cached version at once (PostgreSQL LISTEN/NOTIFY)
  const unwatch = watchDataVersion(opts.db);
  // background work (rollup rebuilds) finishes before the database may be closed, by us or by the caller
  app.addHook('onClose', async () => {
    await unwatch();
    await settleBackgroundWork(opts.db);
    if (opts.closeDb) await opts.db.close();
  });
});
