// API key management for admins: list (never the secrets), create (the secret is in this one response only),
// revoke. Every change is audited by the generic change hook; the key itself is never logged.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiKeyInfoSchema, createdApiKeySchema, createKey, DistrictResolveError, listKeys, NewKey, revokeKey } from '../../domain/keys/api-keys.js';
import { badRequest, notFound } from '../../plugins/errors.js';
import { numericId } from '../shared-schemas.js';

const route: FastifyPluginAsyncZod = async (app) => {
  const admin = app.requireRole('admin');

  app.get('/api/keys', {
    preHandler: admin,
    schema: { tags: ['keys'], summary: 'API keys (admin): id, name, role, districts, created, revoked — never the secret', security: [{ apiKey: [] }], response: { 200: z.array(apiKeyInfoSchema) } },
  }, async (_req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return listKeys(app.db);
  });

  app.post('/api/keys', {
    preHandler: admin,
    schema: {
      tags: ['keys'], summary: 'Create an API key (admin); the key is returned once and stored only as a hash',
      description: 'districts (staff): area ids, or <areaSetId>:<code> (stadsdelar:HUSBY, stadsdelsomraden-2023:Järva), or a bare stadsdel ' +
        'code (HUSBY: the stadsdel only); stored as area ids. A key for a stadsdelsområde covers the stadsdelar inside it.',
      security: [{ apiKey: [] }], body: NewKey, response: { 201: createdApiKeySchema },
    },
  }, async (req, reply) => {
    const k = await createKey(app.db, req.body).catch((e) => {
      throw e instanceof DistrictResolveError ? badRequest(e.message, { districtErrors: e.problems }) : e;
    });
    reply.header('Cache-Control', 'no-store');
    return reply.code(201).send(k);
  });

  app.delete('/api/keys/:id', {
    preHandler: admin,
    schema: { tags: ['keys'], summary: 'Revoke an API key (admin); its sessions end at once', security: [{ apiKey: [] }], params: z.object({ id: numericId }) },
  }, async (req, reply) => {
    if (!(await revokeKey(app.db, req.params.id))) throw notFound(`No active API key ${req.params.id}. GET /api/keys lists them.`);
    return reply.code(204).send();
  });
};
export default route;
