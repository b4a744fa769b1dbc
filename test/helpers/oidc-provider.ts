// A real OpenID Connect provider for the sign-in tests (oidc-provider, the certified Node implementation), started in
// the test process on a free port. Accounts are a map the test may change; each signs in on a small login page of
// this provider (a form naming the account, as the municipality's own login page would ask for credentials), and
// first-party consent is granted without asking. PKCE is required. Groups come in the `groups` scope/claim, through
// userinfo (the provider keeps the ID token to the standard claims, as many providers do).
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

export type TestAccounts = Record<string, { groups: string[] }>;
export type TestProvider = { issuer: string; clientId: string; clientSecret: string; accounts: TestAccounts; close: () => Promise<void> };

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, accounts: TestAccounts): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head><body>
<h1>Municipality sign-in (test)</h1>
<form method="post" action="/interaction/${esc(uid)}/login">
<label for="account">Account</label> <input id="account" name="account" autocomplete="off" list="accounts" autofocus>
<datalist id="accounts">${Object.keys(accounts).map((a) => `<option value="${esc(a)}">`).join('')}</datalist>
<button type="submit" id="sign-in">Sign in</button></form></body></html>`;
}

async function formBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Starts the provider on host (localhost by default: another site than the app's 127.0.0.1) and a free port. */
export async function startTestProvider(opts: { redirectUris: string[]; accounts: TestAccounts; host?: string }): Promise<TestProvider> {
  const host = opts.host ?? 'localhost';
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  const clientId = 'trygghetskarta';
  const clientSecret = crypto.randomBytes(24).toString('base64url');
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const accounts = opts.accounts;
  const config: Configuration = {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: opts.redirectUris, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' }],
    jwks: { keys: [{ ...(privateKey.export({ format: 'jwk' }) as Record<string, string>), kid: 'test-key', alg: 'RS256', use: 'sig' }] as never },
    cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
    scopes: ['openid', 'groups'],
    claims: { openid: ['sub'], groups: ['groups'] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, id) => (Object.hasOwn(accounts, id) ? { accountId: id, claims: async () => ({ sub: id, groups: [...accounts[id].groups] }) } : undefined),
    // a first-party client: consent is granted for what it asks
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid groups');
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => { ctx.type = 'html'; ctx.body = `<!doctype html><h1>Provider error</h1><pre>${esc(JSON.stringify(out))}</pre>`; },
  };
  const provider = new Provider(issuer, config);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec((req.url ?? '').split('?')[0]);
    if (!m) { callback(req, res); return; }
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          res.end(loginPage(details.uid, accounts));
          return;
        }
        const account = (await formBody(req)).get('account') ?? '';
        if (!Object.hasOwn(accounts, account)) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(loginPage(details.uid, accounts).replace('<form', '<p role="alert">No such account</p><form'));
          return;
        }
        await provider.interactionFinished(req, res, { login: { accountId: account } }, { mergeWithLastSubmission: false });
      } catch (e) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`interaction failed: ${(e as Error).message}`);
      }
    })();
  });
  return {
    issuer, clientId, clientSecret, accounts,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** The app's OIDC environment for this provider (staff groups: trygghet-staff-<district>). */
export function oidcEnv(p: TestProvider, redirectUri: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OIDC_ISSUER: p.issuer, OIDC_CLIENT_ID: p.clientId, OIDC_CLIENT_SECRET: p.clientSecret, OIDC_REDIRECT_URI: redirectUri,
    OIDC_SCOPES: 'openid groups', OIDC_STAFF_GROUP_PREFIX: 'trygghet-staff-', OIDC_ANALYST_GROUPS: 'trygghet-analys', OIDC_ADMIN_GROUPS: 'trygghet-admin',
    ...extra,
  };
}
