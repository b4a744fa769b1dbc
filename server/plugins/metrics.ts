// Prometheus metrics (prom-client, one registry per app) and the slow-statement log.
//  - requests: count and latency per route *pattern* (/api/areas/:id/profile, never the URL with its values) and
//    status; a request no route matched is "unmatched";
//  - tile cache hits and misses per layer (from the tiles route's X-Tile-Cache answer);
//  - imports (count, rows, duration, rows/s of the last one) and rollup rebuild durations, from the domain's
//    operation events (domain/operations/operation-events.ts: the domain knows no metrics library);
//  - connection use (pg pool total/idle/waiting; embedded: its one connection and the statements queued for it),
//    statement durations, the data version;
//  - Node's process metrics (prom-client's defaults: CPU, memory, event loop lag, GC).
// A statement that takes SLOW_QUERY_MS or longer is logged at warn with its route (or "background"), method,
// duration and the statement's shape (literals replaced by ?, never the parameters): nothing personal.
//
// Who may read them: GET /metrics on the service's port needs the admin role (an API key or session, like every
// admin route). With METRICS_PORT set, /metrics is also served without credentials on that port, bound to
// METRICS_HOST (default 127.0.0.1): for a Prometheus on the same host or a private network, never the public one.
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { onStatement, statementShape } from '../db/observe.js';
import { currentDataVersion } from '../domain/data-version/data-version.js';
import { onOperation } from '../domain/operations/operation-events.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry. */
    metrics: Registry;
  }
}

type RequestContext = { route: string; method: string };
/** The route of the request a statement runs for (set around every request's hooks and handler). */
const requestContext = new AsyncLocalStorage<RequestContext>();

const seconds = (ms: number) => ms / 1000;

export default fp(async function metricsPlugin(app: FastifyInstance) {
  const register = new Registry();
  collectDefaultMetrics({ register });
  const db = app.db;

  const requests = new Counter({
    name: 'tk_http_requests_total', help: 'HTTP requests by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers: [register],
  });
  const latency = new Histogram({
    name: 'tk_http_request_duration_seconds', help: 'HTTP request duration by method and route pattern', labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [register],
  });
  const tileCache = new Counter({
    name: 'tk_tile_cache_requests_total', help: 'Tile requests answered from the in-memory tile cache (hit) or rendered (miss)', labelNames: ['layer', 'result'], registers: [register],
  });
  const imports = new Counter({ name: 'tk_imports_total', help: 'Imports by kind and outcome', labelNames: ['kind', 'outcome'], registers: [register] });
  const importRows = new Counter({ name: 'tk_import_rows_total', help: 'Rows read by imports, by kind and outcome', labelNames: ['kind', 'outcome'], registers: [register] });
  const importDuration = new Histogram({
    name: 'tk_import_duration_seconds', help: 'Import duration by kind and outcome', labelNames: ['kind', 'outcome'],
    buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800], registers: [register],
  });
  const importRate = new Gauge({ name: 'tk_import_rows_per_second', help: 'Rows per second of the last committed import of a kind', labelNames: ['kind'], registers: [register] });
  const rollups = new Histogram({
    name: 'tk_rollup_rebuild_duration_seconds', help: 'Rebuild duration of a derived rollup (hex-month: hot spots; area-month: statistics)', labelNames: ['rollup'],
    buckets: [0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [register],
  });
  const statements = new Histogram({
    name: 'tk_db_statement_duration_seconds', help: 'Database statement duration', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30], registers: [register],
  });
  const slow = new Counter({ name: 'tk_db_slow_statements_total', help: 'Statements that took SLOW_QUERY_MS or longer, by route pattern', labelNames: ['route'], registers: [register] });
  new Gauge({
    name: 'tk_db_pool_connections', help: `Database connections (${db.kind}): total, idle, and callers waiting for one (embedded: queued statements)`,
    labelNames: ['state'], registers: [register],
    collect() {
      const s = db.poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  new Gauge({
    name: 'tk_db_reads', help: 'Queries of the read-only routes since start, by where they ran (replica, primary), and the reads that waited for a replica and the replica failures (DATABASE_READ_URLS)',
    labelNames: ['target'], registers: [register],
    collect() {
      const s = (app.readDb as { readStats?: () => Record<string, number> } | undefined)?.readStats?.();
      if (s) for (const [k, v] of Object.entries(s)) this.set({ target: k }, v);
    },
  });
  new Gauge({
    name: 'tk_data_version', help: 'The data version (meta.data_version): every committed change of served data raises it', registers: [register],
    async collect() {
      // an unreachable database leaves the last value rather than failing the whole scrape
      try { this.set(await currentDataVersion(db)); } catch { /* kept */ }
    },
  });

  const slowMs = app.config.slowQueryMs;
  const offStatement = onStatement((e) => {
    if (e.db !== db) return;
    statements.observe(seconds(e.ms));
    if (slowMs > 0 && e.ms >= slowMs) {
      const ctx = requestContext.getStore();
      const route = ctx?.route ?? 'background';
      slow.inc({ route });
      app.log.warn({ route, method: ctx?.method, durationMs: Math.round(e.ms), failed: e.failed, statement: statementShape(e.sql) }, 'slow statement');
    }
  });
  const offOperation = onOperation((e) => {
    if (e.type === 'import') {
      const l = { kind: e.kind, outcome: e.outcome };
      imports.inc(l);
      importRows.inc(l, e.rowsRead);
      importDuration.observe(l, seconds(e.durationMs));
      if (e.outcome === 'committed' && e.durationMs > 0) importRate.set({ kind: e.kind }, Math.round((e.rowsRead * 1000) / e.durationMs));
    } else {
      rollups.observe({ rollup: e.rollup }, seconds(e.durationMs));
    }
  });
  app.addHook('onClose', async () => { offStatement(); offOperation(); });

  app.decorate('metrics', register);
  // the rest of the request (hooks, handler, its statements) runs inside its route's context
  app.addHook('onRequest', (req, _reply, done) => {
    requestContext.run({ route: req.routeOptions.url ?? 'unmatched', method: req.method }, done);
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    latency.observe({ method: req.method, route }, seconds(reply.elapsedTime));
    const cache = reply.getHeader('x-tile-cache');
    if (cache === 'hit' || cache === 'miss') tileCache.inc({ layer: String((req.params as { layer?: string }).layer ?? 'unknown'), result: cache });
  });
});

/** GET /metrics on the service's port: admin only (register after the auth plugin). */
export const metricsRoute = async (app: FastifyInstance) => {
  app.get('/metrics', { preHandler: app.requireRole('admin'), schema: { hide: true } }, async (_req, reply) => {
    reply.header('Cache-Control', 'no-store').type(app.metrics.contentType);
    return app.metrics.metrics();
  });
};

/** Serves GET /metrics without credentials on its own port (METRICS_PORT), bound to `host`. Anything else there is a 404. */
export async function listenMetrics(app: FastifyInstance, port: number, host: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    app.metrics.metrics().then(
      (text) => res.writeHead(200, { 'content-type': app.metrics.contentType, 'cache-control': 'no-store' }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, host, () => resolve()); });
  const close = () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  return { port: (server.address() as AddressInfo).port, close };
}
