// The audit trail for admins: who (key id and role), when, what, with which filter. Newest first.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAudit } from '../../domain/audit/list-audit.js';
import { auditPageSchema } from '../../domain/audit/audit-schema.js';
import { isoDate } from '../shared-schemas.js';

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/audit', {
    preHandler: app.requireRole('admin'),
    schema: {
      tags: ['keys'], summary: 'The audit log (admin): logins, imports, edits, point-data requests', security: [{ apiKey: [] }],
      querystring: z.object({
        action: z.string().max(100).regex(/^[a-z-]+$/, 'an action such as login, change, point-data').optional(),
        actor: z.string().max(40).regex(/^(anonymous|key:\d+)$/, 'anonymous or key:<id>').optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
      }),
      response: { 200: auditPageSchema },
    },
  }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return listAudit(app.db, req.query);
  });
};
export default route;
