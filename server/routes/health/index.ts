import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentDataVersion } from '../../domain/data-version/data-version.js';

const Health = z.object({ status: z.literal('ok'), database: z.enum(['embedded', 'postgres']), postgis: z.string(), dataVersion: z.number() });

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/health', {
    schema: { tags: ['meta'], summary: 'Service and database health', response: { 200: Health } },
  }, async () => {
    // side by side: under load a probe waits for the database once, not twice (the version is mostly a cache hit)
    const [r, dataVersion] = await Promise.all([app.db.query<{ v: string }>(`SELECT postgis_lib_version() AS v`), currentDataVersion(app.db)]);
    return { status: 'ok' as const, database: app.db.kind, postgis: r.rows[0].v, dataVersion };
  });
};
export default route;
