import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentDataVersion } from '../../domain/data-version/data-version.js';

const Health = z.object({ status: z.literal('ok'), database: z.enum(['embedded', 'postgres']), postgis: z.string(), dataVersion: z.number() });

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/health', {
    schema: { tags: ['meta'], summary: 'Service and database health', response: { 200: Health } },
  }, async () => {
    const r = await app.db.query<{ v: string }>(`SELECT postgis_lib_version() AS v`);
    return { status: 'ok' as const, database: app.db.kind, postgis: r.rows[0].v, dataVersion: await currentDataVersion(app.db) };
  });
};
export default route;
