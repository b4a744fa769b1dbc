// Bounded work per request (issue 15), on each backend: a large body is refused with 413 before it is read (by its
// content-length, or cut off when chunked), over a real socket; failed logins and wrong API keys are limited per
// client address; made-up bearer tokens or session cookies never get a rate-limit bucket of their own.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const MiB = 1024 * 1024;
const json = (r: { body: string }) => JSON.parse(r.body);

type Sent = { status: number | null; sent: number; closedByServer: boolean; ms: number };

/**
 * POSTs up to `total` bytes of JSON-ish filler in 64 KiB pieces, chunked or with a content-length of `total`, and
 * stops sending as soon as the response arrives (or the server closes). Never sends more than `sendAtMost`: a server
 * that wants the whole body before answering gets no answer, and the request times out with status null.
 */
function postSlowly(port: number, path: string, o: { total: number; sendAtMost: number; chunked: boolean; timeoutMs: number }): Promise<Sent> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let sent = 0, done = false, status: number | null = null, closedByServer = false;
    const finish = () => { if (!done) { done = true; clearTimeout(timer); req.destroy(); resolve({ status, sent, closedByServer, ms: performance.now() - t0 }); } };
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!o.chunked) headers['content-length'] = o.total;
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent: false });
    const timer = setTimeout(finish, o.timeoutMs);
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      res.resume();
      res.on('end', () => setTimeout(finish, 200)); // give the server a moment to close the connection
    });
    req.on('close', () => { closedByServer = true; finish(); });
    req.on('error', () => { closedByServer = true; finish(); });
    // 64 KiB every few milliseconds, so an answer is seen before the next piece is written into a closed connection
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      if (done || status !== null || sent >= o.sendAtMost) return;
      sent += piece.length;
      if (req.write(piece)) setTimeout(pump, 3); else req.once('drain', () => setTimeout(pump, 3));
    };
    req.flushHeaders();
    pump();
  });
}

describe.each(backends)('bounded requests on %s', (kind) => {
  let t: TestApp;
  let analystKey: string;
  beforeAll(async () => {
    t = await openTestApp(kind);
    analystKey = (await createKey(t.db, { name: 'analyst', role: 'analyst' })).key;
  });
  afterAll(async () => { await t?.close(); });

  it('refuses a 10 MiB body to a non-import route with 413 before reading it: by content-length, and chunked cut at the limit', async () => {
    expect(t.config.bodyLimitBytes).toBe(MiB);
    const app = await buildApp({ config: t.config, db: t.db, logger: false });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as AddressInfo).port;
      // content-length 10 MiB, of which only 3 MiB are ever sent: the answer must come without the rest
      const byLength = await postSlowly(port, '/api/session', { total: 10 * MiB, sendAtMost: 3 * MiB, chunked: false, timeoutMs: 5000 });
      expect(byLength.status).toBe(413);
      expect(byLength.sent).toBeLessThan(10 * MiB);
      // chunked, no length: cut once 1 MiB has arrived; the 3 MiB sent are not all read and the connection is closed
      const chunked = await postSlowly(port, '/api/session', { total: 10 * MiB, sendAtMost: 3 * MiB, chunked: true, timeoutMs: 5000 });
      expect(chunked.status).toBe(413);
      expect(chunked.closedByServer).toBe(true);
      // an authenticated change route is limited the same way
      const keys = await app.inject({ method: 'POST', url: '/api/keys', headers: { authorization: `Bearer ${analystKey}`, 'content-type': 'application/json' }, payload: `{"name":"${'x'.repeat(2 * MiB)}"}` });
      expect([403, 413]).toContain(keys.statusCode); // refused by role first, or by size — never read and parsed
      const big = await app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: `{"apiKey":"${'x'.repeat(2 * MiB)}"}` });
      expect(big.statusCode).toBe(413);
      expect(String(big.headers['content-type'])).toContain('application/problem+json');
    } finally { await app.close(); }
  });

  const login = (app: FastifyInstance, apiKey: string, ip: string) =>
    app.inject({ method: 'POST', url: '/api/session', remoteAddress: ip, payload: { apiKey } });

  it('allows 30 failed logins per minute from one address: the 31st is 429 with Retry-After, and so is a wrong bearer key', async () => {
    const app = await buildApp({ config: t.config, db: t.db, logger: false });
    try {
      expect(t.config.loginFailuresPerMinute).toBe(30);
      const codes: number[] = [];
      for (let k = 0; k < 31; k++) codes.push((await login(app, `tk_wrong_${k}`, '10.1.0.1')).statusCode);
      expect(codes.slice(0, 30)).toEqual(Array(30).fill(401));
      expect(codes[30]).toBe(429);
      const r = await login(app, 'tk_wrong_again', '10.1.0.1');
      expect(r.statusCode).toBe(429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(json(r).detail).toMatch(/failed sign-ins/);
      // the right key too is refused now (it cannot be told apart without looking it up); a wrong bearer key as well
      expect((await login(app, analystKey, '10.1.0.1')).statusCode).toBe(429);
      expect((await app.inject({ url: '/api/health', remoteAddress: '10.1.0.1', headers: { authorization: 'Bearer tk_guess' } })).statusCode).toBe(429);
      // requests without credentials from that address, and other addresses, go on
      expect((await app.inject({ url: '/api/health', remoteAddress: '10.1.0.1' })).statusCode).toBe(200);
      expect((await login(app, analystKey, '10.1.0.2')).statusCode).toBe(200);
      // successful logins are no failures
      for (let k = 0; k < 35; k++) expect((await login(app, analystKey, '10.1.0.3')).statusCode).toBe(200);
      // wrong bearer keys count as failures too: 30, then 429 before any lookup
      const bearer: number[] = [];
      for (let k = 0; k < 32; k++) bearer.push((await app.inject({ url: '/api/session', remoteAddress: '10.1.0.4', headers: { authorization: `Bearer tk_${k}` } })).statusCode);
      expect(bearer.slice(0, 30)).toEqual(Array(30).fill(401));
      expect(bearer.slice(30)).toEqual([429, 429]);
      // parallel guesses cannot slip past the limit
      const parallel = await Promise.all(Array.from({ length: 60 }, (_, k) => login(app, `tk_p${k}`, '10.1.0.5')));
      expect(parallel.filter((p) => p.statusCode === 401).length).toBe(30);
    } finally { await app.close(); }
  });

  it('200 requests with 200 random bearer tokens (or session cookies) from one address spend that address\'s one bucket', async () => {
    const app = await buildApp({ config: { ...t.config, rateLimitPerMinute: 20 }, db: t.db, logger: false });
    try {
      const bearer: number[] = [];
      for (let k = 0; k < 200; k++) {
        bearer.push((await app.inject({ url: '/api/health', remoteAddress: '10.2.0.1', headers: { authorization: `Bearer tk_${crypto.randomBytes(24).toString('base64url')}` } })).statusCode);
      }
      expect(bearer.filter((c) => c === 401).length).toBeLessThanOrEqual(20);
      expect(bearer.filter((c) => c === 429).length).toBeGreaterThanOrEqual(180);
      expect(bearer.slice(-10)).toEqual(Array(10).fill(429));
      // the address's bucket is spent: also for a request without credentials
      const after = await app.inject({ url: '/api/health', remoteAddress: '10.2.0.1' });
      expect(after.statusCode).toBe(429);
      expect(Number(after.headers['retry-after'])).toBeGreaterThan(0);
      // another address is not affected
      expect((await app.inject({ url: '/api/health', remoteAddress: '10.2.0.2' })).statusCode).toBe(200);
      // random session cookies are no credential either: they count on the address like anonymous requests
      const cookie: number[] = [];
      for (let k = 0; k < 200; k++) {
        cookie.push((await app.inject({ url: '/api/health', remoteAddress: '10.2.0.3', headers: { cookie: `tk_session=${crypto.randomBytes(24).toString('base64url')}` } })).statusCode);
      }
      expect(cookie.filter((c) => c === 200).length).toBe(20);
      expect(cookie.slice(20).every((c) => c === 429)).toBe(true);
      // a verified key counts on its own bucket, RATE_LIMIT_PER_MINUTE per key, wherever it comes from
      const keyed: number[] = [];
      for (let k = 0; k < 21; k++) keyed.push((await app.inject({ url: '/api/health', remoteAddress: `10.2.1.${k}`, headers: { authorization: `Bearer ${analystKey}` } })).statusCode);
      expect(keyed.slice(0, 20)).toEqual(Array(20).fill(200));
      expect(keyed[20]).toBe(429);
    } finally { await app.close(); }
  });
});
