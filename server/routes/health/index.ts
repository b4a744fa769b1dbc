import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Health = z.object({ status: z.literal('ok'), database: z.enum(['embedded', 'postgres']), postgis: z.string(), dataVersion: z.number() });

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/health', {
    schema: { tags: ['meta'], summary: 'Service and database health', response: { 200: Health } },
  }, async () => {
    const r = await app.db.query<{ v: string; dv: string }>(`SELECT postgis_lib_version() AS v, (SELECT value FROM meta WHERE key = 'data_version') AS dv`);
    return { status: 'ok' as const, database: app.db.kind, postgis: r.rows[0].v, dataVersion: Number(r.rows[0].dv) };
  });
};
export default route;
