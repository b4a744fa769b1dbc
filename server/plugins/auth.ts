// Who is asking: an API key (Authorization: Bearer <key> or X-API-Key) or a browser session cookie resolves to a
// role; no credentials means the public role. Routes declare the roles they allow with app.requireRole(...).
// An OIDC provider would plug in here: map its verified claims to the same { role, districts } principal.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, unauthorized } from './errors.js';

export type Role = 'public' | 'analyst' | 'staff' | 'admin';
export type Principal = { role: Role; keyId: number | null; districts: string[]; via: 'none' | 'api-key' | 'session' };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyInstance {
    requireRole: (...roles: Role[]) => (req: FastifyRequest) => Promise<void>;
  }
}

export const PUBLIC: Principal = { role: 'public', keyId: null, districts: [], via: 'none' };
export const SESSION_COOKIE = 'tk_session';

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

/** Analysts and admins see exact counts and points; the public and staff see suppressed aggregates. */
export function seesExactData(p: Principal): boolean {
  return p.role === 'analyst' || p.role === 'admin';
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h === 'string' && /^Bearer\s+/i.test(h)) return h.replace(/^Bearer\s+/i, '').trim();
  const k = req.headers['x-api-key'];
  return typeof k === 'string' && k ? k : null;
}

export default fp(async function auth(app: FastifyInstance) {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req) => {
    req.principal = PUBLIC;
    const key = bearer(req);
    if (key) {
      if (key.length > 200) throw unauthorized('The API key is not valid.');
      const r = await app.db.query<{ id: number; role: Role; districts: string[] }>(
        `SELECT id, role, districts FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`, [hashSecret(key)]);
      if (!r.rows.length) throw unauthorized('The API key is not valid or has been revoked.');
      const k = r.rows[0];
      req.principal = { role: k.role, keyId: Number(k.id), districts: k.districts ?? [], via: 'api-key' };
      return;
    }
    const cookie = parseCookie(req.headers.cookie, SESSION_COOKIE);
    if (cookie && cookie.length <= 200) {
      const r = await app.db.query<{ id: number; role: Role; districts: string[]; csrf_token: string }>(
        `SELECT k.id, k.role, k.districts, s.csrf_token FROM sessions s JOIN api_keys k ON k.id = s.api_key_id
         WHERE s.id_hash = $1 AND s.expires_at > now() AND k.revoked_at IS NULL`, [hashSecret(cookie)]);
      if (r.rows.length) {
        const k = r.rows[0];
        // a cookie-authenticated change must carry the session's CSRF token (double submit)
        if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method) && req.headers['x-csrf-token'] !== k.csrf_token && !req.url.startsWith('/api/session')) {
          throw forbidden('Missing or wrong X-CSRF-Token header for a session-authenticated change.');
        }
        req.principal = { role: k.role, keyId: Number(k.id), districts: k.districts ?? [], via: 'session' };
      }
    }
  });
  app.decorate('requireRole', (...roles: Role[]) => async (req: FastifyRequest) => {
    if (roles.includes(req.principal.role)) return;
    if (req.principal.role === 'public') throw unauthorized(`This needs the ${roles.join(' or ')} role: send an API key (Authorization: Bearer …) or log in.`);
    throw forbidden(`Your role (${req.principal.role}) may not do this; it needs ${roles.join(' or ')}.`);
  });
});

export function parseCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}
