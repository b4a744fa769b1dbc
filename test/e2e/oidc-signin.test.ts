// Issue 21, "Done when": municipal sign-in in a real headless Chromium (Debian's chromium via playwright-core)
// against the app started in-process with the sample data and OIDC_* pointing at a real OpenID Connect provider
// started in this process (oidc-provider on localhost — another site than the app on 127.0.0.1, so the provider's
// return is a cross-site navigation as in production). A staff member of Husby opens the login dialog by keyboard,
// takes "Logga in med kommunens konto", signs in on the provider's login page and lands back on the map signed in as
// staff of Husby; with the browser's own session cookie and CSRF token Husby's place can be changed and Rinkeby's is
// refused (403). A user without the configured group comes back to the public view with the page's explanation.
// Runs on every backend (embedded; PostgreSQL with TEST_DATABASE_URL).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.js';
import { ensureWebBuilt } from '../../server/web-build.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';
import { oidcEnv, startTestProvider, type TestProvider } from '../helpers/oidc-provider.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
const CHROMIUM_ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A port free on 127.0.0.1 now: the redirect URI must be known before the app (and its configuration) exists. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

type Session = { role: string; districts: string[]; via: string; csrfToken?: string; oidc?: boolean };

describe.each(backends)('municipal sign-in in the browser (%s)', { timeout: 600_000 }, (kind) => {
  let idp: TestProvider;
  let t: TestApp;
  let browser: Browser;
  let base = '';
  let husby = '';
  const places: Record<string, number> = {};
  const names: Record<string, string> = {};

  beforeAll(async () => {
    await ensureWebBuilt();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    idp = await startTestProvider({
      redirectUris: [`${base}/api/session/oidc/callback`],
      accounts: { 'husby-staff': { groups: ['trygghet-staff-HUSBY', 'alla-anstallda'] }, 'no-group': { groups: ['alla-anstallda'] } },
    });
    process.env.SAMPLE_CRIMES = '3000';
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '1000000', ...oidcEnv(idp, `${base}/api/session/oidc/callback`) });
    const { ensureSampleData } = await import('../../server/reference/sample-data.js');
    await ensureSampleData(t.db); // with the sample places, Husby centrum and Rinkeby torg among them
    husby = String((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY'`)).rows[0].id);
    await t.app.listen({ port, host: '127.0.0.1' });
    const rows = (await t.db.query<{ id: number; external_id: string; name: string }>(`SELECT id, external_id, name FROM places WHERE external_id IN ('sample:husby-centrum', 'sample:rinkeby-torg')`)).rows;
    for (const p of rows) { places[p.external_id.slice(7)] = Number(p.id); names[p.external_id.slice(7)] = p.name; }
    expect(Object.keys(places).sort()).toEqual(['husby-centrum', 'rinkeby-torg']);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 600_000);
  afterAll(async () => { await browser?.close(); await t?.close(); await idp?.close(); });

  const ready = (page: Page) => page.waitForFunction(() => (window as unknown as { __tk?: { ready?: boolean } }).__tk?.ready === true, null, { timeout: 120_000 });
  const session = (page: Page) => page.evaluate(async () => (await fetch('/api/session', { cache: 'no-store' })).json()) as Promise<Session>;
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  /** A fresh browser (no cookies at the app or the provider), the map loaded. */
  async function fresh(view = '/'): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    const failed: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(`${base}${view}`, { waitUntil: 'load' });
    // a map that never gets ready says why (page errors, failed requests, the status line)
    await ready(page).catch(async (e: Error) => {
      throw new Error(`${e.message}; page errors: ${JSON.stringify(errors)}; failed: ${JSON.stringify(failed)}; status: ${await page.textContent('#status').catch(() => '?')}`);
    });
    return { ctx, page, errors };
  }

  /** Login dialog by keyboard → "Logga in med kommunens konto" → the provider's login page → back on the map. */
  async function signIn(page: Page, account: string): Promise<void> {
    await page.focus('#btn-login');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#login-oidc');
    expect(await page.textContent('#login-oidc')).toBe('Logga in med kommunens konto');
    // the link names the view to come back to: this page's own path and query
    const href = new URL((await page.getAttribute('#login-oidc', 'href'))!, base);
    expect(href.pathname).toBe('/api/session/oidc/login');
    const here = new URL(page.url());
    expect(href.searchParams.get('returnTo')).toBe(here.pathname + here.search + here.hash);
    expect(await focused(page)).toBe('login-oidc'); // the municipality's account first; the key field below it
    expect(await page.isVisible('#login-form input[name="apiKey"]')).toBe(true);
    await Promise.all([page.waitForURL((u) => u.origin === idp.issuer, { timeout: 60_000 }), page.keyboard.press('Enter')]);
    await page.waitForSelector('#account');
    await page.fill('#account', account);
    await Promise.all([page.waitForURL((u) => u.origin === base, { timeout: 60_000 }), page.keyboard.press('Enter')]);
    await ready(page);
  }

  it('staff of Husby sign in through the municipality\'s provider and may change Husby\'s place, not Rinkeby\'s', async () => {
    // started from a view of shootings: signed in, the map comes back to that view, not to the start page
    const { ctx, page, errors } = await fresh('/?src=shootings');
    expect(await session(page)).toMatchObject({ role: 'public', oidc: true });
    expect(await page.isVisible('#btn-draw')).toBe(false);
    await signIn(page, 'husby-staff');
    expect(new URL(page.url()).searchParams.get('login')).toBeNull();
    expect(new URL(page.url()).searchParams.get('src')).toBe('shootings');

    const me = await session(page);
    expect(me).toMatchObject({ role: 'staff', districts: [husby], via: 'session' });
    expect(me.csrfToken).toBeTruthy();
    // the page knows it too: the staff controls
    await page.waitForFunction(() => document.getElementById('btn-login')?.textContent?.includes('staff'));
    expect(await page.textContent('#btn-login')).toBe('Logga ut (staff)');
    expect(await page.isVisible('#btn-draw')).toBe(true);
    // the session cookie is http-only: the page can not read it
    expect(await page.evaluate(() => document.cookie)).not.toContain('tk_session');
    const cookies = await ctx.cookies(base);
    expect(cookies.find((c) => c.name === 'tk_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies.find((c) => c.name === 'tk_oidc')).toBeUndefined(); // the flow cookie is used up

    // changes with the browser's cookie and the session's CSRF token, as the place panel sends them
    const patch = (id: number, body: object) => page.evaluate(async ({ id, body, csrf }) => {
      const r = await fetch(`/api/places/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) });
      return { status: r.status, body: await r.json() as { name?: string; detail?: string } };
    }, { id, body, csrf: me.csrfToken! });
    const own = await patch(places['husby-centrum'], { name: 'Husby centrum (OIDC e2e)' });
    expect(own.status).toBe(200);
    expect(own.body.name).toBe('Husby centrum (OIDC e2e)');
    const other = await patch(places['rinkeby-torg'], { name: 'Rinkeby torg (must not change)' });
    expect(other.status).toBe(403);
    expect(other.body.detail).toMatch(/Rinkeby|district/i);
    const after = await (await fetch(`${base}/api/places/${places['rinkeby-torg']}`)).json() as { name: string };
    expect(after.name).toBe(names['rinkeby-torg']);
    // the change is in the audit trail under the identity's key, with nothing personal
    const audit = (await t.db.query<{ actor: string; role: string; action: string; detail: unknown }>(`SELECT actor, role, action, detail FROM audit_log ORDER BY id`)).rows;
    expect(audit.find((a) => a.action === 'login')).toMatchObject({ role: 'staff', detail: { via: 'oidc' } });
    expect(JSON.stringify(audit)).not.toContain('husby-staff');
    await page.screenshot({ path: path.join(ARTIFACTS, `oidc-signin-staff-${kind}.png`) });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a user without the configured group comes back to the public view, told why', async () => {
    const { ctx, page, errors } = await fresh();
    await signIn(page, 'no-group');
    expect(await session(page)).toMatchObject({ role: 'public', via: 'none' });
    await page.waitForSelector('#status:not([hidden])');
    expect(await page.textContent('#status')).toContain('ditt konto har ingen behörighet i Trygghetskartan');
    expect(await page.textContent('#btn-login')).toBe('Logga in');
    expect(await page.isVisible('#btn-draw')).toBe(false);
    expect((await ctx.cookies(base)).find((c) => c.name === 'tk_session')).toBeUndefined();
    // the same call that staff could make is refused for want of credentials
    const r = await page.evaluate(async (id) => (await fetch(`/api/places/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' })).status, places['husby-centrum']);
    expect(r).toBe(401);
    await page.screenshot({ path: path.join(ARTIFACTS, `oidc-signin-no-role-${kind}.png`) });
    // the notice does not come back on reload (the page's URL no longer carries ?login=)
    await page.reload({ waitUntil: 'load' });
    await ready(page);
    expect(new URL(page.url()).searchParams.get('login')).toBeNull();
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
