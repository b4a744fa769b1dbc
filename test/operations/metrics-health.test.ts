// Operations, on each backend: /metrics in Prometheus text format moves with the traffic (requests per route
// pattern, tile cache misses then hits, an import's rows, a rollup rebuild, the data version, pool use) and is for
// admins only (or, with METRICS_PORT, on its own port); slow statements are logged with their route and no values;
// the health probes: liveness needs no database, readiness 503s on pending or unknown migrations.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { PROJECT_ROOT } from '../../server/config.js';
import { DatabaseUnavailableError, type Db } from '../../server/db/index.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { listenMetrics } from '../../server/plugins/metrics.js';
import { backends, openTestDb, type TestDb } from '../helpers/backends.js';

/** The value of one sample of the exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return 0;
}

// Medborgarplatsen at z14: inside the county, drawn from the areas layer
const TILE = '/tiles/areas/14/9014/4742.mvt?source=crimes&areaSet=stadsdelar';
const CSV = fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/imports/crimes.csv'), 'utf8');

describe.each(backends)('metrics and health (%s)', (kind) => {
  let t: TestDb;
  let app: FastifyInstance;
  const logLines: Record<string, unknown>[] = [];
  let admin: string, analyst: string;
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const scrape = async () => {
    const r = await app.inject({ url: '/metrics', headers: as(admin) });
    expect(r.statusCode).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    // every statement counts as slow, so each request logs its statements
    t = await openTestDb(kind, { SLOW_QUERY_MS: '1', LOG_LEVEL: 'warn' });
    const logStream = new Writable({ write(chunk, _e, cb) { for (const l of String(chunk).split('\n')) if (l) logLines.push(JSON.parse(l)); cb(); } });
    app = await buildApp({ config: t.config, db: t.db, logStream });
    admin = (await createKey(t.db, { name: 'metrics admin', role: 'admin' })).key;
    analyst = (await createKey(t.db, { name: 'metrics analyst', role: 'analyst' })).key;
  });
  afterAll(async () => { await app?.close(); await t?.close(); });

  it('serves /metrics to admins only, in the Prometheus text format', async () => {
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: as(analyst) })).statusCode).toBe(403);
    const r = await app.inject({ url: '/metrics', headers: as(admin) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(r.body).toContain('# TYPE tk_http_requests_total counter');
    expect(r.body).toContain('# TYPE tk_http_request_duration_seconds histogram');
    expect(r.body).toContain('process_cpu_user_seconds_total');
  });

  it('counts requests per route pattern, tile cache misses and hits, an import, the data version and pool use', async () => {
    const before = await scrape();
    const versionBefore = sample(before, 'tk_data_version');

    const imp = await app.inject({ method: 'POST', url: '/api/imports/crimes?fileName=metrics.csv', payload: CSV, headers: { ...as(admin), 'content-type': 'text/csv' } });
    expect(imp.statusCode).toBe(201);
    const rows = imp.json().rowsRead as number;
    expect(rows).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) expect((await app.inject('/api/stats?areaSet=stadsdelar&source=crimes')).statusCode).toBe(200);
    const first = await app.inject(TILE);
    const second = await app.inject(TILE);
    expect([first.headers['x-tile-cache'], second.headers['x-tile-cache']]).toEqual(['miss', 'hit']);
    expect((await app.inject('/api/nothing/here/4711')).statusCode).toBe(404);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('tk_http_requests_total', { method: 'GET', route: '/api/stats', status: '200' })).toBe(3);
    expect(moved('tk_http_request_duration_seconds_count', { method: 'GET', route: '/api/stats' })).toBe(3);
    expect(moved('tk_http_requests_total', { method: 'POST', route: '/api/imports/:kind', status: '201' })).toBe(1);
    expect(moved('tk_http_requests_total', { method: 'GET', route: '/tiles/:layer/:z/:x/:y.mvt', status: '200' }) + moved('tk_http_requests_total', { method: 'GET', route: '/tiles/:layer/:z/:x/:y.mvt', status: '204' })).toBe(2);
    expect(moved('tk_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(moved('tk_tile_cache_requests_total', { layer: 'areas', result: 'miss' })).toBe(1);
    expect(moved('tk_tile_cache_requests_total', { layer: 'areas', result: 'hit' })).toBe(1);
    expect(moved('tk_imports_total', { kind: 'crimes', outcome: 'committed' })).toBe(1);
    expect(moved('tk_import_rows_total', { kind: 'crimes', outcome: 'committed' })).toBe(rows);
    expect(moved('tk_import_duration_seconds_count', { kind: 'crimes', outcome: 'committed' })).toBe(1);
    expect(sample(after, 'tk_import_rows_per_second', { kind: 'crimes' })).toBeGreaterThan(0);
    // the stats after the import rebuilt the month rollup of its (set, source)
    expect(moved('tk_rollup_rebuild_duration_seconds_count', { rollup: 'area-month' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'tk_data_version')).toBeGreaterThan(versionBefore);
    expect(sample(after, 'tk_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/tk_db_pool_connections\{state="waiting"\} \d+/);
    expect(moved('tk_db_statement_duration_seconds_count', {})).toBeGreaterThan(0);
    // route patterns only: no concrete tile address, area set value or unmatched path in the labels
    expect(after).not.toContain('9014');
    expect(after).not.toContain('/api/nothing');
  });

  it('logs slow statements with their route and duration, without values', async () => {
    logLines.length = 0;
    expect((await app.inject('/api/stats?areaSet=stadsdelsomraden-2023&source=shootings')).statusCode).toBe(200);
    const slow = logLines.filter((l) => l.msg === 'slow statement');
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.some((l) => l.route === '/api/stats' && l.method === 'GET')).toBe(true);
    for (const l of slow) {
      expect(typeof l.durationMs).toBe('number');
      expect(typeof l.statement).toBe('string');
      // the request's values are parameters: never in the log
      expect(JSON.stringify(l)).not.toContain('stadsdelsomraden-2023');
      expect(JSON.stringify(l)).not.toContain('shootings');
    }
    const r = await app.inject({ url: '/metrics', headers: as(admin) });
    expect(sample(r.body, 'tk_db_slow_statements_total', { route: '/api/stats' })).toBeGreaterThan(0);
  });

  it('serves /metrics without credentials on METRICS_PORT only', async () => {
    const m = await listenMetrics(app, 0, '127.0.0.1');
    try {
      const r = await fetch(`http://127.0.0.1:${m.port}/metrics`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('tk_http_requests_total');
      expect((await fetch(`http://127.0.0.1:${m.port}/api/stats`)).status).toBe(404);
    } finally {
      await m.close();
    }
  });

  it('health: /api/health as before, liveness without the database, readiness 503 on pending or unknown migrations', async () => {
    const h = await app.inject('/api/health');
    expect(h.statusCode).toBe(200);
    expect(h.json()).toMatchObject({ status: 'ok', database: kind });
    const live = await app.inject('/api/health/live');
    expect(live.statusCode).toBe(200);
    expect(live.json().status).toBe('ok');
    const ready = await app.inject('/api/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: kind, reasons: [] });
    const last = ready.json().schema as string;
    expect(last).toMatch(/^\d+_.*\.sql$/);

    await t.db.query('DELETE FROM schema_migrations WHERE name = $1', [last]);
    const pending = await app.inject('/api/health/ready');
    expect(pending.statusCode).toBe(503);
    expect(pending.json().reasons.join(' ')).toContain(`migrations pending: ${last}`);
    await t.db.query('INSERT INTO schema_migrations (name) VALUES ($1)', [last]);

    await t.db.query(`INSERT INTO schema_migrations (name) VALUES ('999_from_the_future.sql')`);
    const newer = await app.inject('/api/health/ready');
    expect(newer.statusCode).toBe(503);
    expect(newer.json().reasons.join(' ')).toContain('999_from_the_future.sql');
    await t.db.query(`DELETE FROM schema_migrations WHERE name = '999_from_the_future.sql'`);
    expect((await app.inject('/api/health/ready')).statusCode).toBe(200);
  });

  it('liveness answers and readiness says not ready when the database is gone', async () => {
    // the same database, every statement failing as an unreachable server's would
    const gone: Db = { ...t.db, query: async () => { throw new DatabaseUnavailableError(new Error('connect ECONNREFUSED')); } };
    const a = await buildApp({ config: t.config, db: gone, logger: false });
    try {
      expect((await a.inject('/api/health/live')).statusCode).toBe(200);
      const r = await a.inject('/api/health/ready');
      expect(r.statusCode).toBe(503);
      expect(r.headers['retry-after']).toBe('5');
      expect(r.json()).toMatchObject({ status: 'not-ready', schema: null, reasons: ['the database does not answer'] });
      expect((await a.inject('/api/health')).statusCode).toBe(503);
    } finally {
      await a.close();
    }
  });
});
