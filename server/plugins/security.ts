// Security headers (CSP that lets MapLibre run its blob: workers), rate limits, and the body limit's 413.
// The headers come from helmet, computed once: they are the same for every response, and @fastify/helmet rebuilt
// them (parsing every CSP directive) on each request — a tenth of the time of a cached tile.
//
// Rate limits (one-minute windows), keyed by client address until a credential is verified, so a made-up key or
// cookie never gets a bucket of its own. On PostgreSQL the counters are shared by every instance on the database
// (domain/rate-limits/shared-counter.ts: N instances behind a load balancer give the limit once, not N times); on
// the embedded backend (one process) they are in memory:
//  - every request counts against its address (RATE_LIMIT_PER_MINUTE), checked before authentication, so a 404, a
//    wrong key or a body that would be large is counted before any database lookup or body parsing;
//  - a request whose API key or session the auth plugin verified is moved to its key's bucket (RATE_LIMIT_PER_MINUTE
//    per key id: verifiedRateLimit, registered after auth), so a key keeps its own budget behind a shared address;
//  - credential checks that fail (a wrong API key, a failed POST /api/session, a session cookie sent once the
//    address's budget is spent) count against LOGIN_FAILURES_PER_MINUTE per address (at most the rate limit); past
//    it a request carrying a key, and every login, is refused with 429 before its key is looked up. A check counts
//    as failed from its start until it succeeds, so parallel guesses cannot slip past the limit.
// IPv6 clients are counted per /64 (one host usually holds a whole /64).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import { SharedRateCounter, type Count, type RateCounter } from '../domain/rate-limits/shared-counter.js';
import { sendProblem } from './errors.js';

/** The address bucket of a client: the IPv4 address, or the /64 of an IPv6 address. */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1];
  const [head, tail = ''] = ip.split('%')[0].split('::');
  const h = head ? head.split(':') : [], t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

/** Counts per key in one-minute windows (a key's window starts at its first count); refunds may subtract. */
export class MinuteCounter {
  private readonly m = new Map<string, { n: number; reset: number }>();
  private sweepAt = 0;
  constructor(private readonly windowMs = 60_000) {}

  add(key: string, d = 1, now = Date.now()): { n: number; ttl: number } {
    if (now >= this.sweepAt) {
      for (const [k, v] of this.m) if (v.reset <= now) this.m.delete(k);
      this.sweepAt = now + this.windowMs;
    }
    let e = this.m.get(key);
    if (!e || e.reset <= now) {
      if (d <= 0) return { n: 0, ttl: this.windowMs };
      e = { n: 0, reset: now + this.windowMs };
      this.m.set(key, e);
    }
    e.n = Math.max(0, e.n + d);
    return { n: e.n, ttl: e.reset - now };
  }

  peek(key: string, now = Date.now()): { n: number; ttl: number } {
    const e = this.m.get(key);
    return e && e.reset > now ? { n: e.n, ttl: e.reset - now } : { n: 0, ttl: this.windowMs };
  }
}

/** A MinuteCounter as a RateCounter (one process: nothing to share). */
const inMemory = (c: MinuteCounter): RateCounter => ({
  add: async (key: string, d = 1): Promise<Count> => c.add(key, d),
  peek: async (key: string): Promise<Count> => c.peek(key),
});

type Limits = { max: number; failMax: number; addresses: RateCounter; failures: RateCounter; keys: RateCounter };
/** A request's share in the counters: its address, whether it counts as a failed check, on the address, over budget. */
type Seen = { ip: string; login: boolean; failing: boolean; onAddress: boolean; overTtl: number | null };

declare module 'fastify' {
  interface FastifyInstance {
    rateLimits: Limits;
  }
}

const seen = new WeakMap<FastifyRequest, Seen>();

function tooMany(reply: FastifyReply, detail: string, ttlMs: number) {
  const s = Math.max(1, Math.ceil(ttlMs / 1000));
  reply.header('Retry-After', String(s));
  return sendProblem(reply, 429, 'Too Many Requests', `${detail} Retry in ${s} s.`, { retryAfterSeconds: s });
}

const hasApiKey = (req: FastifyRequest) => {
  const h = req.headers.authorization;
  return (typeof h === 'string' && /^Bearer\s+/i.test(h)) || (typeof req.headers['x-api-key'] === 'string' && req.headers['x-api-key'] !== '');
};
const hasSessionCookie = (req: FastifyRequest) => /(?:^|;\s*)tk_session=/.test(String(req.headers.cookie ?? ''));

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
  const max = app.config.rateLimitPerMinute;
  const failMax = Math.min(app.config.loginFailuresPerMinute, max);
  let limits: Limits;
  if (app.db.kind === 'postgres') {
    // failed credential checks always count in the database: few, and guessing must not get a try per instance
    const shared = [new SharedRateCounter(app.db, 'addr', max), new SharedRateCounter(app.db, 'fail', failMax, { exact: true }), new SharedRateCounter(app.db, 'key', max)];
    limits = { max, failMax, addresses: shared[0], failures: shared[1], keys: shared[2] };
    app.addHook('onClose', async () => { await Promise.all(shared.map((c) => c.close())); });
  } else {
    limits = { max, failMax, addresses: inMemory(new MinuteCounter()), failures: inMemory(new MinuteCounter()), keys: inMemory(new MinuteCounter()) };
  }
  app.decorate('rateLimits', limits);
  const failed = (reply: FastifyReply, ttl: number) => tooMany(reply,
    `Too many failed sign-ins or wrong API keys from your address (at most ${failMax} per minute).`, ttl);

  // before authentication: every request on its address; a credential check only while the address has failures to spare
  app.addHook('onRequest', async (req, reply) => {
    const ip = addressKey(req.ip);
    // a declared body over the route's limit: 413 before anything is awaited (the shared counters may ask the
    // database; meanwhile the client would send on, and closing on unread data resets the connection before the
    // answer is read). Still counted on its address. Multipart uploads are bounded by their parser.
    const length = Number(req.headers['content-length']);
    const bodyLimit = req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit;
    if (length > 0 && bodyLimit && length > bodyLimit && !String(req.headers['content-type'] ?? '').startsWith('multipart/')) {
      void limits.addresses.add(ip, 1).catch(() => {});
      return sendProblem(reply, 413, 'Payload Too Large', `The request body is larger than the ${bodyLimit} bytes this route accepts.`);
    }
    const login = req.method === 'POST' && req.url.split('?')[0] === '/api/session';
    const key = hasApiKey(req), cookie = hasSessionCookie(req);
    const s: Seen = { ip, login, failing: false, onAddress: false, overTtl: null };
    seen.set(req, s);
    // counted first, given back when over: parallel checks cannot all pass a look at the count
    let failTtl = 0;
    const startCheck = async () => {
      const f = await limits.failures.add(ip, 1);
      if (f.n > failMax) { await limits.failures.add(ip, -1); failTtl = f.ttl; return false; }
      s.failing = true;
      return true;
    };
    if ((key || login) && !(await startCheck())) return failed(reply, failTtl);
    if (login) return; // limited by its failures only (a success is refunded in onResponse)
    const a = await limits.addresses.add(ip, 1);
    s.onAddress = true;
    if (a.n <= max) return;
    const detail = `Rate limit of ${max} requests per minute exceeded.`;
    if (!key && !cookie) return tooMany(reply, detail, a.ttl);
    // over the address's budget only a verified credential may go on (verifiedRateLimit); a cookie's check counts
    if (cookie && !key && !(await startCheck())) return tooMany(reply, detail, a.ttl);
    s.overTtl = a.ttl;
  });
  // a successful login is no failure
  app.addHook('onResponse', async (req, reply) => {
    const s = seen.get(req);
    if (s?.login && s.failing && reply.statusCode < 400) { s.failing = false; await limits.failures.add(s.ip, -1); }
  });
  // the body limit's 413 (a content-length over it, or a chunked body cut at it): close the connection rather than
  // read the rest of an oversized body only to throw it away
  app.addHook('onSend', async (_req, reply, payload) => {
    if (reply.statusCode === 413) reply.header('Connection', 'close');
    return payload;
  });
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

/**
 * After authentication (registered after the auth plugin): a verified key or session leaves its address's bucket for
 * its key's (RATE_LIMIT_PER_MINUTE per key id) and its check is no failure; an unverified request over its
 * address's budget is refused. A wrong API key never gets here (401 from auth): it stays a failure on its address.
 */
export const verifiedRateLimit = fp(async function verifiedRateLimit(app: FastifyInstance) {
  app.addHook('onRequest', async (req, reply) => {
    const s = seen.get(req);
    if (!s) return;
    const l = app.rateLimits;
    const p = req.principal;
    if (p && p.keyId !== null) {
      if (s.failing && !s.login) { s.failing = false; await l.failures.add(s.ip, -1); }
      if (s.onAddress) { s.onAddress = false; await l.addresses.add(s.ip, -1); }
      const k = await l.keys.add(`key:${p.keyId}`, 1);
      if (k.n > l.max) return tooMany(reply, `Rate limit of ${l.max} requests per minute for your key exceeded.`, k.ttl);
      return;
    }
    if (s.overTtl !== null) return tooMany(reply, `Rate limit of ${l.max} requests per minute exceeded.`, s.overTtl);
  });
});
