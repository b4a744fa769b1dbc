// ETags for the public aggregates (issue 22: an HTTP cache in front). A public answer of /api/stats, the survey,
// divergence, categories and area profiles is a function of its URL, its language and the data version, so its
// ETag is a hash of those: a client or a shared cache that sends it back in If-None-Match gets 304 before anything
// is computed, and every import changes it. Analysts' and admins' answers (exact, private) never get one; staff
// see the public view but are signed in, so their answers stay out of shared caches too.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { currentDataVersion } from '../domain/data-version/data-version.js';

const CACHEABLE = new Set(['/api/stats', '/api/survey', '/api/survey/groups', '/api/divergence', '/api/categories', '/api/areas/:id/profile']);

declare module 'fastify' {
  interface FastifyRequest { dataEtag?: string }
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(etag.replace(/^W\//, ''));
}

export default fp(async function dataEtag(app: FastifyInstance) {
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'GET' || req.principal.role !== 'public' || !CACHEABLE.has(req.routeOptions.url ?? '')) return;
    const version = await currentDataVersion(app.db);
    const lang = String(req.headers['accept-language'] ?? '');
    const etag = `W/"d${version}-${createHash('sha256').update(`${req.url}\n${lang}`).digest('base64url').slice(0, 22)}"`;
    req.dataEtag = etag;
    if (matches(req.headers['if-none-match'], etag)) {
      await reply.code(304).header('ETag', etag).header('Vary', 'Accept-Language').send();
    }
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.dataEtag && reply.statusCode === 200) reply.header('ETag', req.dataEtag).header('Vary', 'Accept-Language');
    return payload;
  });
});
