// Browser login: POST /api/session exchanges an API key for an http-only, SameSite=Strict session cookie and
// returns the CSRF token the page must send as X-CSRF-Token on every change; GET says who is signed in;
// DELETE logs out. Logins, failed logins and logouts are audited (key id and role only).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../domain/audit/record-audit.js';
import { findKey } from '../../domain/keys/api-keys.js';
import { createSession, deleteSession, SESSION_HOURS, sessionAnswerSchema, sessionCookie, sessionCsrf } from '../../domain/keys/sessions.js';
import { parseCookie, SESSION_COOKIE } from '../../plugins/auth.js';
import { PUBLIC } from '../../domain/access/principal.js';
import { unauthorized } from '../../plugins/errors.js';

const route: FastifyPluginAsyncZod = async (app) => {
  app.post('/api/session', {
    schema: {
      tags: ['session'], summary: 'Log in with an API key: sets the session cookie, returns the CSRF token',
      body: z.object({ apiKey: z.string().min(1).max(200) }),
      response: { 200: sessionAnswerSchema },
    },
    // logging in is where guessing would happen: failed logins count against LOGIN_FAILURES_PER_MINUTE per client
    // address (plugins/security.ts), the 31st in a minute is refused before its key is looked up
  }, async (req, reply) => {
    const key = await findKey(app.db, req.body.apiKey);
    if (!key) {
      await recordAudit(app.db, PUBLIC, 'login-failed', null, {});
      throw unauthorized('The API key is not valid or has been revoked.');
    }
    const s = await createSession(app.db, key.id);
    const who = { role: key.role, keyId: key.id, districts: key.districts, via: 'session' as const };
    await recordAudit(app.db, who, 'login', `key:${key.id}`, { via: 'session' });
    reply.header('Set-Cookie', sessionCookie(s.sessionId, { secure: app.config.cookieSecure, maxAgeSeconds: SESSION_HOURS * 3600 }));
    reply.header('Cache-Control', 'no-store');
    return { ...who, seesExactData: key.role === 'analyst' || key.role === 'admin', csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() };
  });

  app.get('/api/session', {
    schema: { tags: ['session'], summary: 'Who am I: role and districts (public when not signed in); the CSRF token of a session', response: { 200: sessionAnswerSchema } },
  }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    const p = req.principal;
    const out = { role: p.role, keyId: p.keyId, districts: p.districts, via: p.via, seesExactData: p.role === 'analyst' || p.role === 'admin', oidc: Boolean(app.config.oidc) };
    if (p.via === 'session') {
      const cookie = parseCookie(req.headers.cookie, SESSION_COOKIE);
      const s = cookie ? await sessionCsrf(app.db, cookie) : null;
      if (s) return { ...out, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() };
    }
    return out;
  });

  app.delete('/api/session', {
    schema: { tags: ['session'], summary: 'Log out: ends the session and clears the cookie' },
  }, async (req, reply) => {
    const cookie = parseCookie(req.headers.cookie, SESSION_COOKIE);
    if (cookie && cookie.length <= 200) await deleteSession(app.db, cookie);
    if (req.principal.via === 'session') await recordAudit(app.db, req.principal, 'logout', `key:${req.principal.keyId}`, {});
    reply.header('Set-Cookie', sessionCookie('', { secure: app.config.cookieSecure, maxAgeSeconds: 0 }));
    return reply.code(204).send();
  });
};
export default route;
