// Security headers (CSP that lets MapLibre run its blob: workers), rate limiting per API key, session or IP.
// The headers come from helmet, computed once: they are the same for every response, and @fastify/helmet rebuilt
// them (parsing every CSP directive) on each request — a tenth of the time of a cached tile.
// The limiter is one global onRequest hook registered before auth, so every request — a 404, a wrong key,
// a body that would be large — is counted before any database lookup or body parsing happens.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import rateLimit from '@fastify/rate-limit';
import { HttpProblem } from './errors.js';

/** The rate-limit bucket: a hash of the credential (key or session cookie), else the client address (kept in memory only). */
export function rateLimitKey(req: FastifyRequest): string {
  const cred = req.headers.authorization ?? req.headers['x-api-key'] ?? /(?:^|;\s*)tk_session=([^;]+)/.exec(String(req.headers.cookie ?? ''))?.[1];
  if (cred) return `cred:${crypto.createHash('sha256').update(String(cred)).digest('base64url').slice(0, 22)}`;
  return `ip:${req.ip}`;
}

const HELMET: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // MapLibre creates its web workers from blob: URLs and draws tiles from blob:/data: images
      workerSrc: ["'self'", 'blob:'],
      childSrc: ["'self'", 'blob:'],
      imgSrc: ["'self'", 'data:', 'blob:'],
      // MapLibre sets inline styles on its canvas container and popups
      styleSrc: ["'self'", "'unsafe-inline'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
      upgradeInsecureRequests: null,
    },
  },
  crossOriginEmbedderPolicy: false,
  // HSTS belongs to the TLS-terminating proxy in front; the service itself may run on plain HTTP locally
  hsts: false,
  referrerPolicy: { policy: 'no-referrer' },
};

/** The headers helmet would set, recorded once from a stand-in response. */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const out: Record<string, string> = {};
  const res = { setHeader: (k: string, v: unknown) => { out[k.toLowerCase()] = String(v); }, removeHeader: (k: string) => { delete out[k.toLowerCase()]; } };
  helmet(options)({} as never, res as never, (e?: unknown) => { if (e) throw e; });
  return out;
}

export default fp(async function security(app: FastifyInstance) {
  const headers = securityHeaders(HELMET);
  app.addHook('onRequest', async (_req, reply) => { reply.headers(headers); });
  await app.register(rateLimit, {
    global: false,
    max: app.config.rateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_req, ctx) => new HttpProblem(429, 'Too Many Requests',
      `Rate limit of ${ctx.max} requests per minute exceeded; retry in ${ctx.after}.`, { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) }),
  });
  app.addHook('onRequest', app.rateLimit());
  // the same URL answers differently per role: shared caches must key on the credential, and never keep a
  // signed-in (possibly exact, unsuppressed) answer as a public one
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('Vary', [reply.getHeader('Vary'), 'Authorization', 'Cookie'].filter(Boolean).join(', '));
    const role = (req as { principal?: { role?: string } }).principal?.role ?? 'public';
    const cc = reply.getHeader('Cache-Control');
    if (role !== 'public' && typeof cc === 'string' && /\bpublic\b/.test(cc)) reply.header('Cache-Control', cc.replace(/\bpublic\b/, 'private'));
    return payload;
  });
});
