// Who is asking: an API key (Authorization: Bearer <key> or X-API-Key) or a browser session cookie resolves to a
// role; no credentials means the public role. Routes declare the roles they allow with app.requireRole(...).
//
// OIDC: municipal sign-in plugs in at the session login (routes/session/oidc.ts): instead of an API key in POST
// /api/session, the authorization-code callback GET /api/session/oidc/callback (openid-client) verifies the ID
// token, maps its groups to a role and district area ids (domain/access/oidc-claims.ts) kept in the identity's row
// of api_keys (domain/keys/oidc-identities.ts; the secret unused), and creates the same session cookie. Everything
// below — principal, requireRole, CSRF, audit — stays unchanged.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { PUBLIC, type Principal, type Role } from '../domain/access/principal.js';
import { hashSecret } from '../domain/keys/hash-secret.js';
import { forbidden, unauthorized } from './errors.js';


declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyInstance {
    requireRole: (...roles: Role[]) => RoleGuard;
    /** Every route registered, with the roles its requireRole guard allows (null: open to every role). */
    routeAccess: RouteAccess[];
  }
}

export type RoleGuard = ((req: FastifyRequest) => Promise<void>) & { roles: Role[] };
export type RouteAccess = { method: string; url: string; roles: Role[] | null };
export const SESSION_COOKIE = 'tk_session';

function safeEqual(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function guardRoles(h: unknown): Role[] | null {
  const list = Array.isArray(h) ? h : h ? [h] : [];
  for (const f of list) if (f && Array.isArray((f as RoleGuard).roles)) return (f as RoleGuard).roles;
  return null;
}

/**
 * A role guard declared as preHandler runs only after the body is read and validated; moved to onRequest it refuses
 * an unauthorised client before a (possibly huge) body is parsed, and answers 401/403 rather than a 400 that
 * describes the route's parameters to someone who may not use it.
 */
function hoistGuard(r: RouteOptions, hook: 'preHandler' | 'preValidation'): Role[] | null {
  const list = Array.isArray(r[hook]) ? [...(r[hook] as unknown[])] : r[hook] ? [r[hook]] : [];
  const i = list.findIndex((f) => f && Array.isArray((f as RoleGuard).roles));
  if (i < 0) return null;
  const [guard] = list.splice(i, 1) as RoleGuard[];
  (r as unknown as Record<string, unknown>)[hook] = list.length ? list : undefined;
  const before = Array.isArray(r.onRequest) ? r.onRequest : r.onRequest ? [r.onRequest] : [];
  (r as unknown as Record<string, unknown>).onRequest = [...before, guard];
  return guard.roles;
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h === 'string' && /^Bearer\s+/i.test(h)) return h.replace(/^Bearer\s+/i, '').trim();
  const k = req.headers['x-api-key'];
  return typeof k === 'string' && k ? k : null;
}

export default fp(async function auth(app: FastifyInstance) {
  app.decorateRequest('principal', null as unknown as Principal);
  const registry: RouteAccess[] = [];
  app.decorate('routeAccess', registry);
  app.addHook('onRoute', (r: RouteOptions) => {
    const roles = guardRoles(r.onRequest) ?? hoistGuard(r, 'preValidation') ?? hoistGuard(r, 'preHandler');
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) if (m !== 'HEAD') registry.push({ method: m, url: r.url, roles });
  });
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
        // a cookie-authenticated change must carry the session's CSRF token (double submit); only logging in again
        // (POST /api/session, which needs an API key anyway) is exempt
        const isLogin = req.method === 'POST' && req.url.split('?')[0] === '/api/session';
        if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method) && !isLogin && !safeEqual(req.headers['x-csrf-token'], k.csrf_token)) {
          throw forbidden('Missing or wrong X-CSRF-Token header for a session-authenticated change.');
        }
        req.principal = { role: k.role, keyId: Number(k.id), districts: k.districts ?? [], via: 'session' };
      }
    }
  });
  app.decorate('requireRole', (...roles: Role[]): RoleGuard => {
    const guard = async (req: FastifyRequest) => {
      if (roles.includes(req.principal.role)) return;
      if (req.principal.role === 'public') throw unauthorized(`This needs the ${roles.join(' or ')} role: send an API key (Authorization: Bearer …) or log in.`);
      throw forbidden(`Your role (${req.principal.role}) may not do this; it needs ${roles.join(' or ')}.`);
    };
    return Object.assign(guard, { roles });
  });
});

export function parseCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try { return decodeURIComponent(part.slice(i + 1).trim()); } catch { return null; } // malformed %-escape: no session
    }
  }
  return null;
}
