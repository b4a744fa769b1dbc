// Credentials, sessions, CSRF, key management, the audit trail, the log, security headers, rate limiting and the
// database limits — on each backend, through the HTTP API as a browser or script would use it.
import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import errorsPlugin from '../../server/plugins/errors.js';
import { assertMayEditPlace, mayEditPlace } from '../../server/domain/places/place-access.js';
import type { Principal } from '../../server/domain/access/principal.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const json = (r: { body: string }) => JSON.parse(r.body);
const problem = (r: { statusCode: number; headers: Record<string, unknown> }) => String(r.headers['content-type']).startsWith('application/problem+json');

describe.each(backends)('auth and hardening on %s', (kind) => {
  let t: TestApp;
  let adminKey: string, analystKey: string, staffKey: string, staffId: number, husbyId: number, rinkebyId: number;
  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '100000' });
    adminKey = (await createKey(t.db, { name: 'admin', role: 'admin' })).key;
    analystKey = (await createKey(t.db, { name: 'analyst', role: 'analyst' })).key;
    const s = await createKey(t.db, { name: 'staff', role: 'staff', districts: ['stadsdelar:HUSBY'] });
    staffKey = s.key; staffId = s.id;
    const ids = await t.db.query<{ code: string; id: number }>(`SELECT code, id FROM areas WHERE area_set_id = 'stadsdelar' AND code IN ('HUSBY', 'RINKEBY')`);
    husbyId = Number(ids.rows.find((r) => r.code === 'HUSBY')!.id);
    rinkebyId = Number(ids.rows.find((r) => r.code === 'RINKEBY')!.id);
  });
  afterAll(async () => { await t?.close(); });

  const auth = (k: string) => ({ authorization: `Bearer ${k}` });

  it('tells who is asking: public without credentials, the key role with one, 401 for a wrong key', async () => {
    expect(json(await t.app.inject('/api/session'))).toMatchObject({ role: 'public', keyId: null, seesExactData: false });
    expect(json(await t.app.inject({ url: '/api/session', headers: auth(analystKey) }))).toMatchObject({ role: 'analyst', seesExactData: true, via: 'api-key' });
    expect(json(await t.app.inject({ url: '/api/session', headers: { 'x-api-key': staffKey } }))).toMatchObject({ role: 'staff', districts: [String(husbyId)] });
    for (const bad of ['tk_nope', 'x'.repeat(5000), "' OR 1=1 --"]) {
      const r = await t.app.inject({ url: '/api/health', headers: auth(bad) });
      expect(r.statusCode).toBe(401);
      expect(problem(r)).toBe(true);
    }
  });

  it('manages keys as admin only: created once, listed without secret, revoked at once', async () => {
    // refused before the body is read or validated: no 400 that describes the route to a stranger
    expect((await t.app.inject({ method: 'POST', url: '/api/keys', payload: { nonsense: 1 } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/keys', headers: auth(analystKey), payload: 'x'.repeat(100) })).statusCode).toBe(403);
    for (const [k, code] of [[undefined, 401], [analystKey, 403], [staffKey, 403]] as const) {
      const r = await t.app.inject({ method: 'POST', url: '/api/keys', headers: k ? auth(k) : {}, payload: { name: 'x', role: 'admin' } });
      expect(r.statusCode).toBe(code);
      expect(problem(r)).toBe(true);
    }
    const c = await t.app.inject({ method: 'POST', url: '/api/keys', headers: auth(adminKey), payload: { name: 'newsroom', role: 'analyst' } });
    expect(c.statusCode).toBe(201);
    const created = json(c);
    expect(created.key).toMatch(/^tk_[A-Za-z0-9_-]{40,}$/);
    const list = await t.app.inject({ url: '/api/keys', headers: auth(adminKey) });
    expect(list.body).not.toContain(created.key);
    expect(json(list).find((k: { id: number }) => k.id === created.id)).toMatchObject({ name: 'newsroom', role: 'analyst', revokedAt: null });
    const stored = await t.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [created.id]);
    expect(stored.rows[0].key_hash).not.toContain(created.key);
    expect((await t.app.inject({ url: '/api/session', headers: auth(created.key) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/keys/${created.id}`, headers: auth(adminKey) })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/session', headers: auth(created.key) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/keys/${created.id}`, headers: auth(adminKey) })).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'POST', url: '/api/keys', headers: auth(adminKey), payload: { name: 'x', role: 'staff', districts: ['ATLANTIS'] } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).detail).toContain('ATLANTIS');
    const noDistrict = await t.app.inject({ method: 'POST', url: '/api/keys', headers: auth(adminKey), payload: { name: 'x', role: 'staff' } });
    expect(noDistrict.statusCode).toBe(400);
    expect(json(noDistrict).detail).toContain('districts');
  });

  it('logs a browser in with a secure http-only SameSite=Strict cookie and demands the CSRF token on changes', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/session', payload: { apiKey: 'tk_wrong' } });
    expect(wrong.statusCode).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/api/session', payload: { apiKey: adminKey } });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^tk_session=[^;]{20,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure'); // COOKIE_SECURE=off here; see the next test
    const { csrfToken, role } = json(login);
    expect(role).toBe('admin');
    const sid = cookie.split(';')[0];
    expect(json(await t.app.inject({ url: '/api/session', headers: { cookie: sid } }))).toMatchObject({ role: 'admin', via: 'session', csrfToken });
    // a change without the token (what a cross-site form would send) is refused; with it, allowed
    const noToken = await t.app.inject({ method: 'POST', url: '/api/keys', headers: { cookie: sid }, payload: { name: 'y', role: 'analyst' } });
    expect(noToken.statusCode).toBe(403);
    expect(json(noToken).detail).toContain('X-CSRF-Token');
    const badToken = await t.app.inject({ method: 'POST', url: '/api/keys', headers: { cookie: sid, 'x-csrf-token': csrfToken.slice(1) + 'x' }, payload: { name: 'y', role: 'analyst' } });
    expect(badToken.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/keys', headers: { cookie: sid, 'x-csrf-token': csrfToken }, payload: { name: 'y', role: 'analyst' } });
    expect(ok.statusCode).toBe(201);
    // logout is a change too; afterwards the cookie is worth nothing
    expect((await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: sid } })).statusCode).toBe(403);
    const out = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: sid, 'x-csrf-token': csrfToken } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect(json(await t.app.inject({ url: '/api/session', headers: { cookie: sid } }))).toMatchObject({ role: 'public' });
    const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sessions`);
    expect(rows.rows[0].n).toBe(0);
  });

  it('marks the cookie Secure when COOKIE_SECURE=on', async () => {
    const app = await buildApp({ config: { ...t.config, cookieSecure: true }, db: t.db, logger: false });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/session', payload: { apiKey: analystKey } });
      expect(String(login.headers['set-cookie'])).toMatch(/; Secure/);
    } finally { await app.close(); }
  });

  it('ends the sessions of a revoked key', async () => {
    const k = await createKey(t.db, { name: 'temp', role: 'analyst' });
    const sid = String((await t.app.inject({ method: 'POST', url: '/api/session', payload: { apiKey: k.key } })).headers['set-cookie']).split(';')[0];
    expect(json(await t.app.inject({ url: '/api/session', headers: { cookie: sid } })).role).toBe('analyst');
    await t.app.inject({ method: 'DELETE', url: `/api/keys/${k.id}`, headers: auth(adminKey) });
    expect(json(await t.app.inject({ url: '/api/session', headers: { cookie: sid } })).role).toBe('public');
  });

  it('scopes staff to their districts, by area id', async () => {
    // a 60 m circle around each district's interior point, as a new place would be
    const at = async (id: number) => ({
      geomHex: (await t.db.query<{ hex: string }>(`SELECT ST_AsHEXEWKB(ST_Multi(ST_Buffer(ST_PointOnSurface(geom), 60))) AS hex FROM areas WHERE id = $1`, [id])).rows[0].hex,
      districtAreaId: id,
    });
    const husby = await at(husbyId), rinkeby = await at(rinkebyId);
    const staff: Principal = { role: 'staff', keyId: staffId, districts: [String(husbyId)], via: 'api-key' };
    expect(await mayEditPlace(t.db, staff, husby)).toBe(true);
    expect(await mayEditPlace(t.db, staff, rinkeby)).toBe(false);
    expect(await mayEditPlace(t.db, staff, { ...rinkeby, districtAreaId: husbyId })).toBe(false); // the polygon decides too
    expect(await mayEditPlace(t.db, { ...staff, districts: ['HUSBY'] }, husby)).toBe(false); // names are not districts
    expect(await mayEditPlace(t.db, { ...staff, role: 'analyst' }, husby)).toBe(false);
    expect(await mayEditPlace(t.db, { ...staff, role: 'admin', districts: [] }, rinkeby)).toBe(true);
    await expect(assertMayEditPlace(t.db, staff, rinkeby, 'the place')).rejects.toThrow(/covers Husby \(stadsdel, id \d+\); the place is in Rinkeby/);
  });

  it('audits logins and changes by key id and role only, readable by admins', async () => {
    const r = await t.app.inject({ url: '/api/audit?limit=1000', headers: auth(adminKey) });
    expect(r.statusCode).toBe(200);
    const { entries } = json(r) as { entries: { actor: string; role: string; action: string; target: string; detail: unknown }[] };
    expect(entries.some((e) => e.action === 'login' && e.role === 'admin' && /^key:\d+$/.test(e.actor))).toBe(true);
    expect(entries.some((e) => e.action === 'login-failed' && e.actor === 'anonymous')).toBe(true);
    expect(entries.some((e) => e.action === 'logout')).toBe(true);
    expect(entries.some((e) => e.action === 'change' && e.target === 'POST /api/keys')).toBe(true);
    expect(entries.some((e) => e.action === 'change' && e.target === 'DELETE /api/keys/:id')).toBe(true);
    const text = JSON.stringify(entries);
    for (const secret of [adminKey, analystKey, staffKey, '127.0.0.1', 'newsroom']) expect(text).not.toContain(secret);
    expect((await t.app.inject({ url: '/api/audit', headers: auth(analystKey) })).statusCode).toBe(403);
    expect((await t.app.inject('/api/audit')).statusCode).toBe(401);
    const only = json(await t.app.inject({ url: '/api/audit?action=login', headers: auth(adminKey) }));
    expect(only.entries.length).toBeGreaterThan(0);
    expect(only.entries.every((e: { action: string }) => e.action === 'login')).toBe(true);
  });

  it('writes request log lines without the client address, the key or the query string', async () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (d) => { out += d; });
    const app = await buildApp({ config: { ...t.config, logLevel: 'info' }, db: t.db, logger: true, logStream: stream });
    try {
      await app.inject({ url: '/api/health?secretFilter=1', headers: { ...auth(analystKey), 'x-forwarded-for': '203.0.113.9', cookie: 'tk_session=abcdef' }, remoteAddress: '198.51.100.7' });
      await app.inject({ url: '/api/nothing', headers: { 'user-agent': 'Mozilla/5.0 (Person)' }, remoteAddress: '198.51.100.7' });
    } finally { await app.close(); }
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.some((l) => l.req?.path === '/api/health')).toBe(true);
    expect(lines.some((l) => l.res?.statusCode === 404)).toBe(true);
    for (const s of ['198.51.100.7', '203.0.113.9', analystKey, 'Bearer', 'abcdef', 'secretFilter', 'Mozilla', 'remoteAddress', 'user-agent']) expect(out).not.toContain(s);
  });

  it('sends security headers with a CSP that lets MapLibre run blob: workers', async () => {
    const r = await t.app.inject('/');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBeDefined();
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toMatch(/worker-src 'self' blob:/);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-eval/);
    expect(csp).not.toMatch(/https?:\/\//); // nothing allowed from elsewhere
  });

  it('limits requests per key or address with a 429 problem+json and Retry-After', async () => {
    const app = await buildApp({ config: { ...t.config, rateLimitPerMinute: 3 }, db: t.db, logger: false });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await app.inject({ url: '/api/health', remoteAddress: '10.0.0.1' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const r = await app.inject({ url: '/api/health', remoteAddress: '10.0.0.1' });
      expect(r.statusCode).toBe(429);
      expect(problem(r)).toBe(true);
      expect(json(r).detail).toContain('3 requests per minute');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      // another client is not affected; a key has its own bucket; wrong keys and unknown routes count too
      expect((await app.inject({ url: '/api/health', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
      // (a key not used before: on PostgreSQL the counters are shared with every app on the database, t.app included)
      const fresh = (await createKey(t.db, { name: 'rate-limited analyst', role: 'analyst' })).key;
      expect((await app.inject({ url: '/api/health', remoteAddress: '10.0.0.1', headers: auth(fresh) })).statusCode).toBe(200);
      for (let i = 0; i < 3; i++) await app.inject({ url: '/api/nowhere', remoteAddress: '10.0.0.3', headers: auth('tk_guess') });
      expect((await app.inject({ url: '/api/health', remoteAddress: '10.0.0.3', headers: auth('tk_guess') })).statusCode).toBe(429);
    } finally { await app.close(); }
  });

  it('rejects a body over the configured limit with 413 problem+json', async () => {
    const app = await buildApp({ config: { ...t.config, bodyLimitBytes: 1000 }, db: t.db, logger: false });
    try {
      const r = await app.inject({ method: 'POST', url: '/api/session', payload: { apiKey: 'x'.repeat(5000) } });
      expect(r.statusCode).toBe(413);
      expect(problem(r)).toBe(true);
      const garbage = await app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"apiKey":' });
      expect(garbage.statusCode).toBe(400);
      expect(problem(garbage)).toBe(true);
    } finally { await app.close(); }
  });

  it.runIf(kind === 'postgres')('bounds every statement with statement_timeout and answers a timed-out query with 503', async () => {
    const r = await t.db.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(r.rows[0].statement_timeout).toBe(`${t.config.statementTimeoutMs / 1000}s`);
    const { openDb } = await import('../../server/db/index.js');
    const short = await openDb({ ...t.config, statementTimeoutMs: 200, pgPoolMax: 2 });
    // the real error handler, a route running a slow statement on the real database
    const app = Fastify({ logger: false });
    await app.register(errorsPlugin);
    app.get('/slow', async () => short.query('SELECT pg_sleep(2)'));
    try {
      expect((await short.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0].statement_timeout).toBe('200ms');
      const r = await app.inject('/slow');
      expect(r.statusCode).toBe(503);
      expect(problem(r)).toBe(true);
      expect(r.headers['retry-after']).toBeDefined();
      expect(json(r).detail).toMatch(/too long/);
    } finally { await app.close(); await short.close(); }
  });
});
