// Municipal sign-in: OpenID Connect authorization code + PKCE with the municipality's identity provider (Entra ID,
// Keycloak, Freja eID+ through a broker…), through openid-client.
//   GET /api/session/oidc/login     redirects to the provider; state, nonce and the PKCE verifier travel in a
//                                   short-lived (10 min) HMAC-signed, http-only cookie scoped to /api/session/oidc
//   GET /api/session/oidc/callback  checks that cookie and the state, exchanges the code (PKCE, nonce, ID token
//                                   signature, issuer and audience checked by openid-client), maps the groups to a
//                                   principal (domain/access/oidc-claims.ts) and creates the same session cookie as
//                                   POST /api/session; then back to the view the sign-in started from (returnTo, a
//                                   path of this site: never another host). Groups that give no role: no session (an
//                                   open one of this browser ends too), back there with login=no-role — the public view.
// Both answer 404 when OIDC_ISSUER is not set; GET /api/session says whether sign-in is offered (oidc).
// Nothing personal is kept or logged: no token, name or e-mail; the audit trail has the key id, the role and a
// hash of issuer and subject. The request log has no query strings (app.ts), so the code never reaches it.
import crypto from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as client from 'openid-client';
import { z } from 'zod';
import type { OidcConfig } from '../../config.js';
import { hasGroupsClaim, principalFromClaims, subjectHash, type Claims } from '../../domain/access/oidc-claims.js';
import { PUBLIC } from '../../domain/access/principal.js';
import { recordAudit } from '../../domain/audit/record-audit.js';
import { identityKey, revokeIdentity } from '../../domain/keys/oidc-identities.js';
import { createSession, deleteSession, SESSION_HOURS, sessionCookie } from '../../domain/keys/sessions.js';
import { parseCookie, SESSION_COOKIE } from '../../plugins/auth.js';
import { badRequest, HttpProblem, notFound } from '../../plugins/errors.js';

export const OIDC_FLOW_COOKIE = 'tk_oidc';
const FLOW_PATH = '/api/session/oidc';
const FLOW_SECONDS = 600;

/** returnTo: the map's view (path, query and fragment of this site) the sign-in started from, to come back to */
type Flow = { state: string; nonce: string; verifier: string; expires: number; returnTo?: string };

/** A path of this site: one leading "/", never "//" or "/\\" (another host to a browser), no spaces or control characters. */
export const SAME_SITE_PATH = /^\/(?![/\\])[^\s\\]*$/;

/** The view to come back to, with the outcome of a failed sign-in (login=no-role|failed) added to its query. */
export function backTo(returnTo: string | undefined, login?: 'no-role' | 'failed'): string {
  const u = new URL(returnTo ?? '/', 'http://this.site');
  if (login) u.searchParams.set('login', login);
  return u.pathname + u.search + u.hash;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const mac = (key: Buffer, payload: string) => crypto.createHmac('sha256', key).update(payload).digest();

/** `<payload>.<HMAC-SHA256>`, both base64url; the payload is the flow's JSON. */
export function signFlow(key: Buffer, flow: Flow): string {
  const payload = b64(JSON.stringify(flow));
  return `${payload}.${b64(mac(key, payload))}`;
}

/** The flow in a signed cookie value, or null when it is malformed, altered or expired. */
export function readFlow(key: Buffer, value: string | null, now = Date.now()): Flow | null {
  if (!value || value.length > 2000) return null;
  const [payload, sig, ...rest] = value.split('.');
  if (!payload || !sig || rest.length) return null;
  const want = mac(key, payload);
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) return null;
  try {
    const f = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Flow;
    if (typeof f.state !== 'string' || typeof f.nonce !== 'string' || typeof f.verifier !== 'string' || typeof f.expires !== 'number') return null;
    if (f.returnTo !== undefined && (typeof f.returnTo !== 'string' || !SAME_SITE_PATH.test(f.returnTo))) return null;
    return f.expires > now ? f : null;
  } catch { return null; }
}

function flowCookie(value: string, secure: boolean, maxAge: number): string {
  // Lax, not Strict: the provider sends the browser back with a cross-site top-level GET, which must carry it
  return [`${OIDC_FLOW_COOKIE}=${value}`, `Path=${FLOW_PATH}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAge}`, ...(secure ? ['Secure'] : [])].join('; ');
}

/** The provider's metadata, discovered at the first sign-in (not at start-up: the server runs while the provider is away) and kept. */
function discoverer(o: OidcConfig, log: FastifyBaseLogger): () => Promise<client.Configuration> {
  let pending: Promise<client.Configuration> | null = null;
  return () => {
    pending ??= client.discovery(new URL(o.issuer), o.clientId, o.clientSecret ? { client_secret: o.clientSecret } : {},
      o.clientSecret ? client.ClientSecretPost(o.clientSecret) : client.None(),
      { timeout: 10, ...(new URL(o.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}) })
      .catch((e: Error) => {
        pending = null; // try again at the next sign-in
        log.warn({ err: { name: e.name, code: (e as { code?: string }).code, message: e.message } }, 'OIDC discovery failed');
        throw new HttpProblem(502, 'Bad Gateway', 'The identity provider does not answer; try again later, or log in with an API key.');
      });
    return pending;
  };
}

const route: FastifyPluginAsyncZod = async (app) => {
  const o = app.config.oidc;
  const key = o?.cookieSecret ? crypto.createHash('sha256').update(o.cookieSecret).digest() : crypto.randomBytes(32);
  const discover = o ? discoverer(o, app.log) : null;
  const secure = app.config.cookieSecure;
  const notConfigured = () => notFound('Municipal sign-in (OpenID Connect) is not configured on this server; log in with an API key.');

  app.get('/api/session/oidc/login', {
    schema: {
      tags: ['session'], summary: 'Municipal sign-in: redirects to the identity provider (authorization code + PKCE); 404 when not configured',
      querystring: z.object({
        returnTo: z.string().max(2000).regex(SAME_SITE_PATH, 'a path of this site, starting with a single /').optional()
          .meta({ description: 'The view to come back to after signing in (a path of this site with its query and fragment); / when left out', example: '/?sel=a88&src=crimes' }),
      }),
    },
  }, async (req, reply) => {
    if (!o || !discover) throw notConfigured();
    const config = await discover();
    const flow: Flow = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), expires: Date.now() + FLOW_SECONDS * 1000, returnTo: req.query.returnTo };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: o.redirectUri, scope: o.scopes, state: flow.state, nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier), code_challenge_method: 'S256',
    });
    reply.header('Set-Cookie', flowCookie(signFlow(key, flow), secure, FLOW_SECONDS));
    reply.header('Cache-Control', 'no-store');
    return reply.redirect(url.href, 303);
  });

  app.get('/api/session/oidc/callback', {
    schema: {
      tags: ['session'], summary: 'Municipal sign-in: the identity provider\'s answer; sets the session cookie and returns to the map (/?login=no-role without a configured group)',
      // what the identity provider sends back (OpenID Connect Core 3.1.2.5, RFC 9207); not for API clients
      querystring: z.object({
        code: z.string().max(4096).optional().meta({ description: 'The authorization code (single use)', example: 'Xb2r…' }),
        state: z.string().max(512).optional().meta({ description: 'The state this browser started with (checked against its sign-in cookie)', example: 'f3Kq…' }),
        iss: z.string().max(2048).optional().meta({ description: 'The provider\'s issuer (RFC 9207; checked when sent)', example: 'https://login.example.se/realms/stad' }),
        error: z.string().max(256).optional().meta({ description: 'The provider\'s error code instead of a code', example: 'access_denied' }),
        error_description: z.string().max(2048).optional().meta({ description: 'The provider\'s text for the error (not shown or logged)', example: 'User cancelled' }),
        session_state: z.string().max(2048).optional().meta({ description: 'The provider\'s session state (OpenID Connect Session Management; ignored)', example: 'a1b2…' }),
      }),
    },
  }, async (req, reply) => {
    if (!o || !discover) throw notConfigured();
    reply.header('Cache-Control', 'no-store');
    const flow = readFlow(key, parseCookie(req.headers.cookie, OIDC_FLOW_COOKIE));
    // whatever happens next, the flow is used up
    const cookies = [flowCookie('', secure, 0)];
    reply.header('Set-Cookie', cookies);
    if (!flow) throw badRequest('This sign-in can not be verified: its cookie is missing, altered or older than 10 minutes. Start again from the login dialog.');
    if (!req.query.state || req.query.state !== flow.state) throw badRequest('This sign-in can not be verified: the state does not match the one this browser started with. Start again from the login dialog.');
    const failed = async (reason: string, extra: Record<string, unknown> = {}) => recordAudit(app.db, PUBLIC, 'login-failed', null, { via: 'oidc', reason, ...extra });
    if (req.query.error) {
      await failed('provider-error', { error: req.query.error.slice(0, 64) });
      return reply.redirect(backTo(flow.returnTo, 'failed'), 303);
    }
    const config = await discover();
    const current = new URL(o.redirectUri);
    for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') current.searchParams.set(k, v);
    let claims: Claims;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      claims = { ...(tokens.claims() ?? {}) } as Claims;
      if (!hasGroupsClaim(claims, o.mapping.groupsClaim) && tokens.access_token && config.serverMetadata().userinfo_endpoint) {
        // groups are often left out of the ID token (too many, or the provider's default): ask userinfo
        const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        claims = { ...info, ...claims };
      }
    } catch (e) {
      const err = e as Error & { code?: string; error?: string };
      req.log.warn({ err: { name: err.name, code: err.code ?? err.error } }, 'OIDC sign-in refused');
      await failed('not-verified');
      throw badRequest('The identity provider\'s answer could not be verified. Start again from the login dialog.');
    }
    if (typeof claims.sub !== 'string' || !claims.sub) { await failed('no-subject'); throw badRequest('The identity provider did not say who signed in (no sub claim).'); }
    const subject = subjectHash(o.issuer, claims.sub);

    // a sign-in replaces whatever session this browser had
    const old = parseCookie(req.headers.cookie, SESSION_COOKIE);
    if (old && old.length <= 200) await deleteSession(app.db, old);

    const p = await principalFromClaims(app.db, claims, o.mapping);
    if (p.role === null) {
      await revokeIdentity(app.db, subject);
      await failed('no-role', { why: p.reason, subject });
      reply.header('Set-Cookie', [...cookies, sessionCookie('', { secure, maxAgeSeconds: 0 })]);
      return reply.redirect(backTo(flow.returnTo, 'no-role'), 303);
    }
    const s = await app.db.transaction(async (tx) => {
      const keyId = await identityKey(tx, subject, p.role, p.districts);
      const session = await createSession(tx, keyId);
      await recordAudit(tx, { role: p.role, keyId, districts: p.districts, via: 'session' }, 'login', `key:${keyId}`, { via: 'oidc', subject, ...(p.ignoredDistricts ? { ignoredDistricts: p.ignoredDistricts } : {}) });
      return session;
    });
    reply.header('Set-Cookie', [...cookies, sessionCookie(s.sessionId, { secure, maxAgeSeconds: SESSION_HOURS * 3600 })]);
    return reply.redirect(backTo(flow.returnTo), 303);
  });
};

export default route;
