// Municipal sign-in without a browser: the app (app.inject) against a real OpenID Connect provider started in the
// test (test/helpers/oidc-provider.ts), its login page driven by fetch. Groups → principal: none, unknown, staff of
// two districts, a district that does not exist, analyst/admin, a mapped group id; a changed group applies at the
// next sign-in and a lost one ends the open session; state mismatch, altered, missing and foreign cookies are 400;
// nothing personal reaches the audit trail. The claim mapping's pure part and the configuration are checked too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../server/config.js';
import { readFlow, signFlow } from '../../server/routes/session/oidc.js';
import { groupsOf, roleFromClaims, type ClaimMapping } from '../../server/domain/access/oidc-claims.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';
import { oidcEnv, startTestProvider, type TestProvider } from '../helpers/oidc-provider.js';

const REDIRECT = 'http://127.0.0.1:3999/api/session/oidc/callback';

const mapping: ClaimMapping = {
  groupsClaim: 'groups', adminGroups: ['adm'], analystGroups: ['ana'], staffGroupPrefix: 'staff-', staffGroups: { 'a1b2-guid': ['stadsdelar:HUSBY'] },
};

describe('claims → role (pure)', () => {
  it('reads the groups claim, nested paths and single strings; admin before analyst before staff', () => {
    expect(groupsOf({ groups: ['a', 'b', 'a', 7] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsOf({ realm_access: { roles: ['x'] } }, 'realm_access.roles')).toEqual(['x']);
    expect(groupsOf({ groups: 'one' }, 'groups')).toEqual(['one']);
    expect(groupsOf({ groups: { nope: 1 } }, 'groups')).toEqual([]);
    expect(groupsOf({}, 'a.b')).toEqual([]);
    expect(roleFromClaims({}, mapping)).toEqual({ role: null, reason: 'no-groups' });
    expect(roleFromClaims({ groups: ['other'] }, mapping)).toEqual({ role: null, reason: 'no-match' });
    expect(roleFromClaims({ groups: ['staff-'] }, mapping)).toEqual({ role: null, reason: 'no-match' });
    expect(roleFromClaims({ groups: ['staff-HUSBY', 'ana', 'adm'] }, mapping)).toEqual({ role: 'admin' });
    expect(roleFromClaims({ groups: ['staff-HUSBY', 'ana'] }, mapping)).toEqual({ role: 'analyst' });
    expect(roleFromClaims({ groups: ['staff-HUSBY', 'a1b2-guid', 'staff-RINKEBY'] }, mapping)).toEqual({ role: 'staff', districtEntries: ['HUSBY', 'stadsdelar:HUSBY', 'RINKEBY'] });
  });

  it('configuration: off without OIDC_ISSUER, complete and mapped when on, wrong settings named', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    const on = loadConfig({
      OIDC_ISSUER: 'https://idp.example.se/realms/stad', OIDC_CLIENT_ID: 'tk', OIDC_REDIRECT_URI: 'https://karta.example.se/api/session/oidc/callback',
      OIDC_ANALYST_GROUPS: 'a, b', OIDC_STAFF_GROUPS: '{"g1": "stadsdelar:HUSBY", "g2": ["46", "RINKEBY"]}', OIDC_GROUPS_CLAIM: 'realm_access.roles',
    }).oidc!;
    expect(on).toMatchObject({ clientSecret: undefined, scopes: 'openid', mapping: { groupsClaim: 'realm_access.roles', analystGroups: ['a', 'b'], adminGroups: [], staffGroupPrefix: null, staffGroups: { g1: ['stadsdelar:HUSBY'], g2: ['46', 'RINKEBY'] } } });
    const bad = (env: Record<string, string>) => () => loadConfig({ OIDC_ISSUER: 'https://idp.example.se', OIDC_CLIENT_ID: 'tk', OIDC_REDIRECT_URI: 'https://k.example.se/api/session/oidc/callback', OIDC_ADMIN_GROUPS: 'x', ...env });
    expect(bad({ OIDC_CLIENT_ID: '' })).toThrow(/OIDC_CLIENT_ID/);
    expect(bad({ OIDC_ISSUER: 'http://idp.example.se' })).toThrow(/OIDC_ISSUER: must be https/);
    expect(bad({ OIDC_REDIRECT_URI: 'https://k.example.se/elsewhere' })).toThrow(/OIDC_REDIRECT_URI/);
    expect(bad({ OIDC_STAFF_GROUPS: '{"g": 5}' })).toThrow(/OIDC_STAFF_GROUPS/);
    expect(bad({ OIDC_SCOPES: 'groups' })).toThrow(/OIDC_SCOPES/);
    expect(bad({ OIDC_ADMIN_GROUPS: '' })).toThrow(/at least one/);
    expect(bad({ OIDC_COOKIE_SECRET: 'short' })).toThrow(/OIDC_COOKIE_SECRET/);
  });

  it('the flow cookie: read back with its key before it expires; another key, an edit or expiry give null', () => {
    const key = Buffer.alloc(32, 1), flow = { state: 's', nonce: 'n', verifier: 'v', expires: 2_000 };
    const v = signFlow(key, flow);
    expect(readFlow(key, v, 1_999)).toEqual(flow);
    expect(readFlow(key, v, 2_000)).toBeNull();
    expect(readFlow(Buffer.alloc(32, 2), v, 1_000)).toBeNull();
    expect(readFlow(key, signFlow(key, flow).replace(/^./, (c) => (c === 'e' ? 'f' : 'e')), 1_000)).toBeNull();
    expect(readFlow(key, `${v}.x`, 1_000)).toBeNull();
    expect(readFlow(key, null)).toBeNull();
  });
});

const cookieOf = (r: LightMyRequestResponse, name: string): string | null => {
  const all = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  const c = all.find((x) => x.startsWith(`${name}=`));
  return c === undefined ? null : c.slice(name.length + 1).split(';')[0];
};

describe.each(backends)('municipal sign-in through a real OIDC provider on %s', (kind) => {
  let idp: TestProvider;
  let t: TestApp;
  let husby = '', rinkeby = '', jarva = '';

  beforeAll(async () => {
    idp = await startTestProvider({
      redirectUris: [REDIRECT],
      accounts: {
        'husby-staff': { groups: ['trygghet-staff-HUSBY', 'unrelated'] },
        'two-districts': { groups: ['trygghet-staff-HUSBY', 'trygghet-staff-stadsdelar:RINKEBY'] },
        'no-group': { groups: [] },
        'other-group': { groups: ['ekonomi', 'trygghet-staffHUSBY'] },
        'nowhere': { groups: ['trygghet-staff-ATLANTIS'] },
        'analyst': { groups: ['trygghet-analys', 'trygghet-staff-HUSBY'] },
        'admin': { groups: ['trygghet-admin'] },
        'entra': { groups: ['0f3c6a52-guid'] },
      },
    });
    t = await openTestApp(kind, oidcEnv(idp, REDIRECT, { OIDC_STAFF_GROUPS: JSON.stringify({ '0f3c6a52-guid': ['stadsdelsomraden-2023:Järva'] }) }));
    const id = async (set: string, code: string) => String((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = $1 AND code = $2`, [set, code])).rows[0].id);
    husby = await id('stadsdelar', 'HUSBY');
    rinkeby = await id('stadsdelar', 'RINKEBY');
    jarva = await id('stadsdelsomraden-2023', 'Järva');
  }, 120_000);
  afterAll(async () => { await t?.close(); await idp?.close(); });

  /** GET /api/session/oidc/login: the provider's authorization URL and the signed flow cookie. */
  async function start(returnTo?: string): Promise<{ auth: URL; flow: string }> {
    const r = await t.app.inject(`/api/session/oidc/login${returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`);
    expect(r.statusCode).toBe(303);
    const flow = cookieOf(r, 'tk_oidc');
    expect(flow).toBeTruthy();
    expect(([] as string[]).concat(r.headers['set-cookie'] ?? []).join()).toMatch(/tk_oidc=[^;]+; Path=\/api\/session\/oidc; HttpOnly; SameSite=Lax; Max-Age=600/);
    return { auth: new URL(String(r.headers.location)), flow: flow! };
  }

  /** Signs in on the provider's login page as `account`; the callback URL the provider sends the browser to. */
  async function throughProvider(auth: URL, account: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = auth.href, method = 'GET';
    let body: string | undefined;
    for (let i = 0; i < 12; i++) {
      const res = await fetch(url, {
        method, body, redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      });
      for (const c of res.headers.getSetCookie()) {
        const nv = c.split(';')[0], eq = nv.indexOf('=');
        if (!nv.slice(eq + 1) || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(nv.slice(0, eq)); else jar.set(nv.slice(0, eq), nv.slice(eq + 1));
      }
      if (res.status >= 300 && res.status < 400) {
        const next = new URL(res.headers.get('location')!, url);
        if (next.href.startsWith(REDIRECT)) return next;
        url = next.href; method = 'GET'; body = undefined;
        continue;
      }
      const html = await res.text();
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
      if (res.status !== 200 || !action) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
      url = new URL(action, url).href; method = 'POST'; body = new URLSearchParams({ account }).toString();
    }
    throw new Error('too many redirects at the provider');
  }

  const callback = (cb: URL, flow: string | null, extraCookie = '') =>
    t.app.inject({ url: cb.pathname + cb.search, headers: { cookie: [flow === null ? '' : `tk_oidc=${flow}`, extraCookie].filter(Boolean).join('; ') } });

  /** The whole sign-in: the callback's answer and the session cookie it set (null: none). */
  async function signIn(account: string, extraCookie = '', returnTo?: string) {
    const { auth, flow } = await start(returnTo);
    const r = await callback(await throughProvider(auth, account), flow, extraCookie);
    return { r, session: cookieOf(r, 'tk_session') || null };
  }
  const who = async (session: string | null) => (await t.app.inject({ url: '/api/session', headers: session ? { cookie: `tk_session=${session}` } : {} })).json();

  it('GET /api/session offers the sign-in; the login redirect carries PKCE (S256), state, nonce and the scopes', async () => {
    expect(await who(null)).toMatchObject({ role: 'public', oidc: true });
    const { auth } = await start();
    expect(auth.origin).toBe(idp.issuer);
    const q = auth.searchParams;
    expect([q.get('response_type'), q.get('client_id'), q.get('redirect_uri'), q.get('scope'), q.get('code_challenge_method')]).toEqual(['code', idp.clientId, REDIRECT, 'openid groups', 'S256']);
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(q.get('nonce')).toMatch(/^[\w-]{20,}$/);
  });

  it('staff of Husby: the session of a staff principal with Husby\'s area id; audited without anything personal', async () => {
    const { r, session } = await signIn('husby-staff');
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(([] as string[]).concat(r.headers['set-cookie'] ?? []).join('\n')).toMatch(/tk_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800/);
    const me = await who(session);
    expect(me).toMatchObject({ role: 'staff', districts: [husby], via: 'session', seesExactData: false });
    expect(me.csrfToken).toBeTruthy();
    const a = await t.db.query<{ actor: string; role: string; action: string; detail: Record<string, unknown> }>(`SELECT actor, role, action, detail FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1`);
    expect(a.rows[0]).toMatchObject({ actor: `key:${me.keyId}`, role: 'staff', detail: { via: 'oidc', subject: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    const everything = JSON.stringify((await t.db.query(`SELECT * FROM audit_log`)).rows) + JSON.stringify((await t.db.query(`SELECT name FROM api_keys`)).rows);
    expect(everything).not.toContain('husby-staff');
    // the same identity signs in again: the same key row
    const again = await signIn('husby-staff');
    expect((await who(again.session)).keyId).toBe(me.keyId);
  });

  it('staff of two districts; a mapped group id (Entra ID) gives its district; analyst and admin before staff', async () => {
    expect(await who((await signIn('two-districts')).session)).toMatchObject({ role: 'staff', districts: [husby, rinkeby] });
    expect(await who((await signIn('entra')).session)).toMatchObject({ role: 'staff', districts: [jarva] });
    expect(await who((await signIn('analyst')).session)).toMatchObject({ role: 'analyst', districts: [], seesExactData: true });
    expect(await who((await signIn('admin')).session)).toMatchObject({ role: 'admin' });
  });

  it('no group, an unknown group or a district that does not exist: no session, back to /?login=no-role, the public view', async () => {
    for (const account of ['no-group', 'other-group', 'nowhere']) {
      const { r, session } = await signIn(account);
      expect(r.statusCode, account).toBe(303);
      expect(r.headers.location, account).toBe('/?login=no-role');
      expect(session, account).toBeNull();
      expect(await who(session)).toMatchObject({ role: 'public', via: 'none' });
    }
    const a = await t.db.query<{ detail: { reason: string; why: string } }>(`SELECT detail FROM audit_log WHERE action = 'login-failed' ORDER BY id DESC LIMIT 3`);
    expect(a.rows.map((x) => x.detail.why).sort()).toEqual(['no-district', 'no-groups', 'no-match']);
  });

  it('a sign-in replaces the browser\'s session; a group taken away ends the identity\'s open sessions at the next sign-in', async () => {
    const first = await signIn('husby-staff');
    expect((await who(first.session)).role).toBe('staff');
    // signing in as someone without a role in the same browser ends the staff session too
    const other = await signIn('no-group', `tk_session=${first.session}`);
    expect(([] as string[]).concat(other.r.headers['set-cookie'] ?? []).join()).toMatch(/tk_session=; Path=\/;.*Max-Age=0/);
    expect((await who(first.session)).role).toBe('public');
    // the group changes at the provider: analyst at the next sign-in, then nothing — the open session ends
    const s1 = await signIn('husby-staff');
    idp.accounts['husby-staff'].groups = ['trygghet-analys'];
    const s2 = await signIn('husby-staff');
    expect(await who(s2.session)).toMatchObject({ role: 'analyst' });
    expect(await who(s1.session)).toMatchObject({ role: 'analyst' }); // the identity's row: every session follows
    idp.accounts['husby-staff'].groups = [];
    expect((await signIn('husby-staff')).r.headers.location).toBe('/?login=no-role');
    expect((await who(s2.session)).role).toBe('public');
    idp.accounts['husby-staff'].groups = ['trygghet-staff-HUSBY'];
    expect(await who((await signIn('husby-staff')).session)).toMatchObject({ role: 'staff', districts: [husby] });
  });

  it('a wrong state, an altered, missing or foreign flow cookie: 400 and no session', async () => {
    const { auth, flow } = await start();
    const cb = await throughProvider(auth, 'husby-staff');
    const wrongState = new URL(cb);
    wrongState.searchParams.set('state', 'x'.repeat(43));
    const [payload, sig] = flow.split('.');
    const flipped = (s: string) => s.slice(0, 5) + (s[5] === 'A' ? 'B' : 'A') + s.slice(6);
    const cases: [string, URL, string | null][] = [
      ['state mismatch', wrongState, flow],
      ['altered payload', cb, `${flipped(payload)}.${sig}`],
      ['altered signature', cb, `${payload}.${flipped(sig)}`],
      ['no cookie', cb, null],
      ['not a flow cookie', cb, 'garbage'],
    ];
    for (const [what, url, cookie] of cases) {
      const r = await callback(url, cookie);
      expect(r.statusCode, what).toBe(400);
      expect(r.headers['content-type'], what).toContain('application/problem+json');
      expect(cookieOf(r, 'tk_session'), what).toBeNull();
      expect(cookieOf(r, 'tk_oidc'), what).toBe(''); // the flow is used up either way
    }
    // the untouched answer still works once: the provider's code is single use
    const ok = await callback(cb, flow);
    expect(ok.statusCode).toBe(303);
    expect((await who(cookieOf(ok, 'tk_session'))).role).toBe('staff');
    const replay = await callback(cb, flow);
    expect(replay.statusCode).toBe(400);
    // a cookie signed by another server (another key) is refused as well
    const otherApp = await openTestApp(kind, oidcEnv(idp, REDIRECT));
    try {
      const foreign = cookieOf(await otherApp.app.inject('/api/session/oidc/login'), 'tk_oidc')!;
      const { auth: a2 } = await start();
      const cb2 = await throughProvider(a2, 'husby-staff');
      const state = cb2.searchParams.get('state');
      expect(state).toBeTruthy();
      expect((await callback(cb2, foreign)).statusCode).toBe(400);
    } finally { await otherApp.close(); }
  });

  it('back to the view the sign-in started from: the map\'s own path and query, never another site', async () => {
    const view = '/?sel=a12&src=shootings&from=2025-01-01&to=2026-01-01#panel';
    const { r, session } = await signIn('husby-staff', '', view);
    expect([r.statusCode, r.headers.location]).toEqual([303, view]);
    expect(session).toBeTruthy();
    // without a role: the same view, with the reason
    expect((await signIn('no-group', '', '/?sel=a12')).r.headers.location).toBe('/?sel=a12&login=no-role');
    // the provider says no: the same view too
    const { auth, flow } = await start('/?src=shootings');
    const cb = new URL(REDIRECT);
    cb.searchParams.set('error', 'access_denied');
    cb.searchParams.set('state', auth.searchParams.get('state')!);
    expect((await callback(cb, flow)).headers.location).toBe('/?src=shootings&login=failed');
    // anything but a path of this site is refused before the provider is asked: no open redirect
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/api/../x\n', 'x']) {
      const b = await t.app.inject(`/api/session/oidc/login?returnTo=${encodeURIComponent(bad)}`);
      expect(b.statusCode, bad).toBe(400);
      expect(b.headers.location, bad).toBeUndefined();
    }
  });

  it('the provider says no (error=access_denied with the right state): back to /?login=failed', async () => {
    const { auth, flow } = await start();
    const cb = new URL(REDIRECT);
    cb.searchParams.set('error', 'access_denied');
    cb.searchParams.set('state', auth.searchParams.get('state')!);
    const r = await callback(cb, flow);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/?login=failed');
  });
});

describe('without OIDC configured', () => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp('embedded'); });
  afterAll(async () => { await t?.close(); });
  it('the routes answer 404 and GET /api/session says no sign-in is offered', async () => {
    expect(await (await t.app.inject('/api/session')).json()).toMatchObject({ role: 'public', oidc: false });
    for (const url of ['/api/session/oidc/login', '/api/session/oidc/callback?code=x&state=y']) {
      const r = await t.app.inject(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().detail).toMatch(/not configured/);
    }
  });
});
