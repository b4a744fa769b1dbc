// Health: GET /api/health (service, database kind, PostGIS version, data version — as always), and the probes for
// an orchestrator: /api/health/live (the process answers; touches no database, so a slow or restarting database
// never gets the process restarted) and /api/health/ready (the database answers and every migration this code knows
// is applied; 503 otherwise, so a load balancer sends no traffic to an instance that cannot serve).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { migrationStatus } from '../../db/migrate.js';
import { currentDataVersion } from '../../domain/data-version/data-version.js';

const Health = z.object({ status: z.literal('ok'), database: z.enum(['embedded', 'postgres']), postgis: z.string(), dataVersion: z.number() });
const Live = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });
const Ready = z.object({
  status: z.enum(['ready', 'not-ready']),
  database: z.enum(['embedded', 'postgres']),
  schema: z.string().nullable().describe('the latest migration applied (null: none, or the database did not answer)'),
  reasons: z.array(z.string()).describe('why not ready: the database does not answer, migrations pending, or a schema newer than this code'),
});

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/health', {
    schema: { tags: ['meta'], summary: 'Service and database health', response: { 200: Health } },
  }, async () => {
    // side by side: under load a probe waits for the database once, not twice (the version is mostly a cache hit)
    const [r, dataVersion] = await Promise.all([app.db.query<{ v: string }>(`SELECT postgis_lib_version() AS v`), currentDataVersion(app.db)]);
    return { status: 'ok' as const, database: app.db.kind, postgis: r.rows[0].v, dataVersion };
  });

  app.get('/api/health/live', {
    schema: { tags: ['meta'], summary: 'Liveness: the process answers (no database access)', response: { 200: Live } },
  }, async (_req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return { status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) };
  });

  app.get('/api/health/ready', {
    schema: { tags: ['meta'], summary: 'Readiness: the database answers and its schema is current (503 otherwise)', response: { 200: Ready, 503: Ready } },
  }, async (_req, reply) => {
    reply.header('Cache-Control', 'no-store');
    const reasons: string[] = [];
    let schema: string | null = null;
    try {
      const s = await migrationStatus(app.db);
      schema = s.applied.at(-1) ?? null;
      if (s.pending.length) reasons.push(`migrations pending: ${s.pending.join(', ')} (run npm run migrate, or restart)`);
      if (s.unknown.length) reasons.push(`the database has migrations this code does not know: ${s.unknown.join(', ')}`);
    } catch {
      reasons.push('the database does not answer');
    }
    if (reasons.length) reply.header('Retry-After', '5');
    return reply.code(reasons.length ? 503 : 200).send({ status: reasons.length ? 'not-ready' as const : 'ready' as const, database: app.db.kind, schema, reasons });
  });
};
export default route;
