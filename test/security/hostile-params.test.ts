// Property test: random and hostile values at every query and path parameter of every GET route (enumerated from
// the OpenAPI document, so new routes are covered), and random JSON bodies at every change route as admin.
// Never a 5xx; every error is application/problem+json.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';
import { fillPath, operations, pathValue, queryValue, tileOf, type Operation, type SampleCtx } from './route-samples.js';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 30);

const HOSTILE = [
  "' OR 1=1 --", "'; DROP TABLE areas; --", '"; SELECT pg_sleep(10); --', '$1', '\\', "stadsdelar'--", 'areas; DELETE FROM incidents',
  '../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '/etc/passwd', 'C:\\Windows\\win.ini', '%00', '\u0000', 'a\u0000b', '\uFFFF', '\uD800',
  'NaN', 'Infinity', '-Infinity', '1e308', '-1e308', '1e-320', '-0', '0', '-1', '9'.repeat(40), '0x10', '1_000', '1.5', '1,5', '2^53',
  '', ' ', '\t', '\n', 'null', 'undefined', 'true', '[]', '{}', '{"$gt":""}', '<script>alert(1)</script>', '${7*7}', '{{7*7}}',
  '2025-02-30', '9999-99-99', '0000-01-01', '10000-01-01', '2025-13-01', '2025-01-01T00:00:00Z', '2024-01-01..2023-01-01', '..',
  '%', '%%', '%zz', 'a,b,,c', ',,,', ';', '=cmd|calc', '+1', '@SUM(A1)', 'Järva', 'ÅÄÖ', '😀🔥', '𝕏', 'İ', 'ß'.repeat(100),
  'x'.repeat(20_000), 'HUSBY,'.repeat(3000), '-180,-90,180,90', '1,2,3', 'a,b,c,d', '999,999,-999,-999', 'EPSG:99999',
  'http://www.opengis.net/def/crs/EPSG/0/3006', 'http://evil.example/', 'javascript:alert(1)',
];

/** Query names often understood by data routes; fuzzed on every route even when undocumented (OGC items etc.). */
const COMMON = ['f', 'limit', 'offset', 'bbox', 'datetime', 'crs', 'bbox-crs', 'areaSet', 'source', 'category', 'from', 'to', 'lang', 'sep'];

const value = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 100 }).map(String) },
);

function enumValues(op: Operation, name: string): string[] {
  const p = op.params.find((x) => x.name === name);
  const e = p?.schema?.enum ?? (p?.schema?.anyOf as { enum?: unknown[] }[] | undefined)?.find((s) => s.enum)?.enum;
  return (e ?? []).map(String).filter((v) => v !== 'pdf'); // PDF rendering starts Chromium: covered by the report's own tests
}

function encodeRaw(s: string): string {
  // encodeURIComponent throws on lone surrogates: send their replacement, like a browser would
  try { return encodeURIComponent(s); } catch { return encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD')); }
}

describe.each(backends)('hostile parameters on %s', (kind) => {
  let t: TestApp;
  let ops: Operation[];
  let ctx: SampleCtx;
  let adminKey: string;
  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '10000000', STATEMENT_TIMEOUT_MS: '20000' });
    adminKey = (await createKey(t.db, { name: 'fuzz', role: 'admin' })).key;
    ops = await operations(t.app);
    const husby = (await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY'`)).rows[0];
    ctx = { areaId: Number(husby.id), placeId: 1, tile: tileOf(17.93, 59.41, 14), values: { areaSet: 'stadsdelar', from: '2025-01-01', to: '2025-07-01' } };
  });
  afterAll(async () => { await t?.close(); });

  const bad: string[] = [];
  const check = (url: string, r: { statusCode: number; headers: Record<string, unknown>; body: string }, method = 'GET') => {
    if (r.statusCode >= 500) bad.push(`${method} ${url.slice(0, 300)} → ${r.statusCode} ${r.body.slice(0, 200)}`);
    else if (r.statusCode >= 400 && !String(r.headers['content-type']).startsWith('application/problem+json')) bad.push(`${method} ${url.slice(0, 300)} → ${r.statusCode} as ${r.headers['content-type']}`);
    return r.statusCode < 500;
  };

  it('answers every GET route with a 4xx problem+json or a success, never a 5xx', async () => {
    const gets = ops.filter((o) => o.method === 'GET' && !o.path.startsWith('/api/audit'));
    expect(gets.length).toBeGreaterThan(5);
    const slow: string[] = [];
    for (const op of gets) {
      const t0 = performance.now();
      const qnames = [...new Set([...op.params.filter((p) => p.in === 'query').map((p) => p.name), ...COMMON])];
      const pnames = op.params.filter((p) => p.in === 'path').map((p) => p.name);
      const target = fc.oneof(
        ...[...qnames.map((n) => fc.constant({ where: 'query' as const, name: n })), ...pnames.map((n) => fc.constant({ where: 'path' as const, name: n }))],
      );
      const values = fc.oneof({ weight: 4, arbitrary: value.map((v) => [v]) }, { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) });
      await fc.assert(fc.asyncProperty(target, values, fc.boolean(), async (tg, vs, withEnums) => {
        const qs: string[] = [];
        for (const p of op.params.filter((x) => x.in === 'query')) {
          if (p.name === tg.name && tg.where === 'query') continue;
          const ev = enumValues(op, p.name);
          const v = withEnums && ev.length ? ev[ev.length - 1] : queryValue(op, p, ctx);
          if (v !== undefined && !(p.name === 'f' && v === 'pdf')) qs.push(`${encodeRaw(p.name)}=${encodeRaw(v)}`);
        }
        if (tg.where === 'query') for (const v of vs) qs.push(`${encodeRaw(tg.name)}=${encodeRaw(v)}`);
        const path = op.path.replace(/\{([^}]+)\}/g, (_m, n: string) => encodeRaw(tg.where === 'path' && n === tg.name ? vs[0] : pathValue(op.path, n, ctx)));
        const url = path + (qs.length ? `?${qs.join('&')}` : '');
        const r = await t.app.inject({ url });
        return check(url, r);
      }), { numRuns: RUNS, seed: 4242, endOnFailure: true, interruptAfterTimeLimit: Number(process.env.HOSTILE_ROUTE_MS ?? 4000), markInterruptAsFailure: false }).catch(() => { /* collected in bad */ });
      slow.push(`${op.path} ${Math.round(performance.now() - t0)} ms`);
    }
    if (process.env.HOSTILE_TIMES) console.log(slow.join('\n'));
    expect(bad).toEqual([]);
  }, 600_000);

  it('answers random JSON bodies at every change route (as admin) with a 4xx problem+json or a success', async () => {
    const changes = ops.filter((o) => ['POST', 'PATCH', 'PUT'].includes(o.method));
    const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom('name', 'role', 'districts', 'geometry', 'status', 'startDate', 'type', 'date', 'description', 'partners', 'indicator', 'targetValue', 'deadline', 'apiKey', 'areaId', 'from', 'to'), value));
    for (const op of changes) {
      const url = fillPath(op, ctx);
      await fc.assert(fc.asyncProperty(body, async (b) => {
        const r = await t.app.inject({ method: op.method as 'POST', url, headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, payload: JSON.stringify(b) });
        return check(url, r, op.method);
      }), { numRuns: Math.ceil(RUNS / 2), seed: 777, endOnFailure: true }).catch(() => {});
      for (const raw of ['{', 'null', '"x"', '[' .repeat(5000), '{"a":'.repeat(1000), '\u0000']) {
        check(url, await t.app.inject({ method: op.method as 'POST', url, headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, payload: raw }), op.method);
      }
    }
    expect(bad).toEqual([]);
  });

  it('answers hostile headers and methods without a 5xx', async () => {
    const urls = ['/api/health', '/api/stats?areaSet=stadsdelar', '/api/nothing', '/tiles/hexbins/14/9012/4739.mvt'];
    for (const url of urls) {
      for (const headers of [{ authorization: 'Bearer ' }, { authorization: 'Basic YTpi' }, { 'x-api-key': "'; DROP TABLE api_keys;--" }, { cookie: 'tk_session=%E0%A4%A' }, { cookie: `tk_session=${'a'.repeat(5000)}` }, { accept: 'application/xml' }, { 'content-type': 'text/plain' }]) {
        check(url, await t.app.inject({ url, headers: headers as unknown as Record<string, string> }));
      }
      for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const) check(url, await t.app.inject({ method, url }), method);
    }
    expect(bad).toEqual([]);
  });
});
