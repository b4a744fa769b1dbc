// Soak (issue 21): SOAK_CLIENTS (100) concurrent clients for SOAK_MINUTES (10; or --minutes=N) against the real server
// process (npm start's entry, as bench/load.bench.ts) on a dedicated PostgreSQL + PostGIS database (tk_soak, created,
// filled with SOAK_CRIMES (1,000,000) synthetic crimes by bench/bench-data.ts, and dropped at the end; SOAK_KEEP_DB=1
// keeps it and reuses it next time).
// Mix (public and analyst keys): vector tiles (hexbins/areas, z12–15), /api/stats at every area level and several
// periods (JSON and CSV export), hot spots (125–1000 m), area profiles, OGC items (stats collections for everyone,
// incident points for analysts, GeoJSON and CSV); one admin import of SOAK_IMPORT_ROWS (2,000) crimes halfway
// (SOAK_IMPORT=0: none), which changes the data version and so empties the caches once, as a real import does.
// Clients send their next request as soon as the last is answered (closed loop, as the load bench); SOAK_THINK_MS
// adds a pause. Other knobs: PG_POOL_MAX (10), SOAK_DATABASE_URL.
// SOAK_PG_RESTART_CMD (off by default: the local server is shared): a shell command that restarts PostgreSQL, run
// at 60 % of the run (e.g. `su postgres -c 'pg_ctl -D … -m fast -w restart'` for a private cluster); the service must
// keep running and answer again. Failures in the SOAK_RESTART_GRACE_S (60) s after it are counted on their own.
// Every minute one line: requests, errors, p50/p95/p99, server RSS and heap, connections, tile cache hit ratio (from
// the server's /metrics on its METRICS_PORT). At the end a summary, and a non-zero exit on:
//  - any 5xx (or a request that got no answer) outside the restart's grace window, or the service not ready again
//    within that window;
//  - leak: RSS or V8 heap in the last minute > 1 + SOAK_MAX_GROWTH (0.10) × minute 2's. Each is the median of the
//    minute's 5-second samples (heap: nodejs_heap_size_used_bytes), so one GC cycle does not decide it;
//  - degradation: p99 of the last minute > 2 × p99 of minute 2 (the same run's baseline, after the caches warmed);
//  - connection leak: SOAK_IDLE_WAIT_S (60) s after the clients stop, the pool still has a connection in use or a
//    caller waiting, or the database has an app backend not idle.
// Figures are ratios against minute 2 of the same run; the absolute latencies depend on the (shared, 2-core) machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { centralStockholmTiles } from './central-tiles.js';
import { percentile, report, RESULTS_DIR, type BenchRow } from './harness.js';

const argMinutes = (() => {
  const a = process.argv.slice(2);
  const i = a.findIndex((x) => x === '--minutes' || x.startsWith('--minutes='));
  if (i < 0) return undefined;
  return a[i].includes('=') ? a[i].split('=')[1] : a[i + 1];
})();
const MINUTES = Number(argMinutes ?? process.env.SOAK_MINUTES ?? 10);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 100);
const CRIMES = Number(process.env.SOAK_CRIMES ?? 1_000_000);
const MAX_GROWTH = Number(process.env.SOAK_MAX_GROWTH ?? 0.1);
const IDLE_WAIT_S = Number(process.env.SOAK_IDLE_WAIT_S ?? 60);
const IMPORT_ROWS = process.env.SOAK_IMPORT === '0' ? 0 : Number(process.env.SOAK_IMPORT_ROWS ?? 2000);
const KEEP_DB = process.env.SOAK_KEEP_DB === '1';
const RESTART_CMD = process.env.SOAK_PG_RESTART_CMD ?? '';
const RESTART_GRACE_MS = Number(process.env.SOAK_RESTART_GRACE_S ?? 60) * 1000;
const POOL = process.env.PG_POOL_MAX ?? '10';
const THINK_MS = Number(process.env.SOAK_THINK_MS ?? 0); // a client's pause between requests (0: closed loop, as the load bench)
if (!(MINUTES > 0) || !(CLIENTS > 0) || !(CRIMES > 0)) { console.error('SOAK_MINUTES, SOAK_CLIENTS and SOAK_CRIMES must be positive'); process.exit(2); }
process.env.BENCH_DATABASE_URL = process.env.SOAK_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tk_soak';
const { openBenchDb, BENCH_URL, BENCH_ANALYST_KEY } = await import('./bench-data.js');
const { hashSecret } = await import('../server/domain/keys/hash-secret.js');
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DB_NAME = new URL(BENCH_URL).pathname.slice(1);
const ADMIN_KEY = 'bench-soak-admin-key-not-secret';
const shownUrl = BENCH_URL.replace(/\/\/[^@]*@/, '//');

const adminUrl = Object.assign(new URL(BENCH_URL), { pathname: '/postgres' }).toString();
async function adminSql(sql: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}
const dropDb = () => adminSql(`DROP DATABASE IF EXISTS ${DB_NAME.replace(/[^a-z0-9_]/g, '')} WITH (FORCE)`);

const rssMb = (pid: number) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch { return NaN; }
};
const freePort = () => new Promise<number>((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => res(p)); }); });
const median = (a: number[]) => { const s = a.filter(Number.isFinite).sort((x, y) => x - y); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the database: fresh unless kept from a previous run
const tLoad = Date.now();
if (!KEEP_DB) await dropDb();
const db = await openBenchDb(CRIMES);
const loadS = (Date.now() - tLoad) / 1000;
await db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('bench soak admin', 'admin', $1) ON CONFLICT (key_hash) DO NOTHING`, [hashSecret(ADMIN_KEY)]);
const areaSets = (await db.query<{ id: string }>(`SELECT DISTINCT area_set_id AS id FROM areas ORDER BY 1`)).rows.map((r) => r.id);
const areaIds = (await db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' ORDER BY code`)).rows.map((r) => Number(r.id));
const latest = (await db.query<{ d: string }>(`SELECT to_char(max(occurred_from), 'YYYY-MM-DD') d FROM incidents WHERE source = 'crimes'`)).rows[0].d ?? '2025-12-31';
const crimesInDb = (await db.query<{ n: number }>(`SELECT count(*)::int n FROM incidents WHERE source = 'crimes'`)).rows[0].n;
await db.close();
console.log(`database ${shownUrl}: ${crimesInDb.toLocaleString('en')} crimes ready in ${loadS.toFixed(0)} s (create, migrate, generate, load); area sets: ${areaSets.join(', ')}`);

// ---- the server, with /metrics on its own port (no credentials, 127.0.0.1)
const port = await freePort();
const metricsPort = await freePort();
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: BENCH_URL, SAMPLE_DATA: 'off', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000',
    PG_POOL_MAX: POOL, METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' },
});
let serverLog = '';
let slowStatements = 0;
const keepLog = (d: Buffer) => { const s = String(d); slowStatements += s.split('slow statement').length - 1; serverLog = (serverLog + s).slice(-20_000); };
server.stdout.on('data', keepLog); // read, so a chatty server never blocks on a full pipe
server.stderr.on('data', keepLog);
let serverExitedAt: number | null = null;
server.on('exit', () => { serverExitedAt = Date.now(); });
const stopServer = () => new Promise<void>((resolve) => {
  if (server.exitCode !== null || server.signalCode !== null) return resolve();
  server.once('exit', () => resolve());
  server.kill('SIGTERM');
  setTimeout(() => { if (server.exitCode === null) server.kill('SIGKILL'); }, 15_000).unref();
});
async function abort(msg: string): Promise<never> {
  console.error(msg);
  await stopServer();
  if (!KEEP_DB) await dropDb().catch(() => {});
  process.exit(1);
}
process.once('SIGINT', () => { void abort('interrupted'); });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try { if ((await fetch(`${base}/api/health`)).ok) break; } catch { /* starting */ }
  if (i > 600 || server.exitCode !== null) await abort(`server did not start: ${serverLog.slice(-2000)}`);
  await sleep(500);
}

// ---- /metrics and the database's own count of the app's connections
type Metrics = { heapUsedMb: number; poolTotal: number; poolIdle: number; poolWaiting: number; tileHit: number; tileMiss: number };
async function scrape(): Promise<Metrics | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const v = (re: RegExp) => { let sum = 0, any = false; for (const m of text.matchAll(re)) { sum += Number(m[1]); any = true; } return any ? sum : NaN; };
    return {
      heapUsedMb: v(/^nodejs_heap_size_used_bytes (\S+)$/gm) / 2 ** 20,
      poolTotal: v(/^tk_db_pool_connections\{state="total"\} (\S+)$/gm),
      poolIdle: v(/^tk_db_pool_connections\{state="idle"\} (\S+)$/gm),
      poolWaiting: v(/^tk_db_pool_connections\{state="waiting"\} (\S+)$/gm),
      tileHit: v(/^tk_tile_cache_requests_total\{[^}]*result="hit"[^}]*\} (\S+)$/gm) || 0,
      tileMiss: v(/^tk_tile_cache_requests_total\{[^}]*result="miss"[^}]*\} (\S+)$/gm) || 0,
    };
  } catch { return null; }
}
let probe = new pg.Client({ connectionString: BENCH_URL, application_name: 'tk-soak-probe' });
probe.on('error', () => {});
await probe.connect();
async function reconnectProbe() {
  await probe.end().catch(() => {});
  for (let i = 0; i < 120; i++) {
    const c = new pg.Client({ connectionString: BENCH_URL, application_name: 'tk-soak-probe' });
    c.on('error', () => {});
    try { await c.connect(); probe = c; return; } catch { await sleep(500); }
  }
}
/** The app's backends on the soak database (every connection but this probe's), and those not idle. */
async function backends(): Promise<{ all: number; busy: number }> {
  const r = await probe.query<{ all: number; busy: number }>(
    `SELECT count(*)::int AS all, count(*) FILTER (WHERE state <> 'idle')::int AS busy FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`, [DB_NAME]);
  return r.rows[0];
}

// ---- the request mix
const tiles = centralStockholmTiles();
const cats = ['stold', 'misshandel', 'skadegorelse', 'ran'];
let seed = 21021;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T,>(a: T[]) => a[Math.floor(rnd() * a.length)];
const to = latest;
const statsSets = areaSets.length ? areaSets : ['stadsdelar'];
type Req = { kind: string; url: string; analyst: boolean };
function nextRequest(): Req {
  const u = rnd();
  const analyst = rnd() < 0.25;
  const from = pick(['2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01']);
  const cat = () => (rnd() < 0.4 ? `&category=${pick(cats)}` : '');
  if (u < 0.45) return { kind: 'tile', analyst, url: `/tiles/${rnd() < 0.7 ? 'hexbins' : 'areas'}/${pick(tiles)}.mvt?source=crimes&areaSet=stadsdelar&from=${from}${cat()}` };
  if (u < 0.65) return { kind: 'stats', analyst, url: `/api/stats?areaSet=${pick(statsSets)}&source=crimes&from=${from}&to=${to}${cat()}` };
  if (u < 0.70) return { kind: 'stats-csv', analyst, url: `/api/stats?areaSet=${pick(statsSets)}&source=crimes&from=${from}&to=${to}&f=csv${rnd() < 0.5 ? '&sep=semicolon' : ''}${cat()}` };
  if (u < 0.78) return { kind: 'profile', analyst, url: `/api/areas/${pick(areaIds)}/profile?from=${from}&to=${to}` };
  if (u < 0.86) return { kind: 'hotspots', analyst, url: `/api/hotspots?source=crimes&areaSet=stadsdelar&cellSize=${pick([125, 250, 500, 1000])}&from=${from}&to=${to}${cat()}` };
  // OGC items: analysts read incident points in a bbox of central Stockholm (GeoJSON or CSV); everyone the stats collections
  const f = rnd() < 0.3 ? 'csv' : 'json';
  if (analyst && rnd() < 0.5) {
    const lon = 17.98 + rnd() * 0.1, lat = 59.30 + rnd() * 0.05;
    return { kind: 'ogc-items', analyst, url: `/ogc/collections/incidents/items?bbox=${lon.toFixed(4)},${lat.toFixed(4)},${(lon + 0.02).toFixed(4)},${(lat + 0.01).toFixed(4)}&datetime=${from}/${to}&limit=100&f=${f}` };
  }
  return { kind: 'ogc-items', analyst, url: `/ogc/collections/stats-${pick(statsSets)}-crimes/items?limit=${pick([10, 50, 100])}&datetime=${from}/${to}&f=${f}` };
}
const auth = (r: Req): Record<string, string> => (r.analyst ? { authorization: `Bearer ${BENCH_ANALYST_KEY}` } : {});

// warm-up: each kind once (not counted), so minute 1 measures load rather than first-compile costs
for (const k of ['tile', 'stats', 'stats-csv', 'profile', 'hotspots', 'ogc-items']) {
  let r: Req; do r = nextRequest(); while (r.kind !== k);
  const res = await fetch(base + r.url, { headers: auth(r) });
  await res.arrayBuffer();
  if (res.status >= 400) await abort(`warm-up ${r.url} answered ${res.status}`);
}

// ---- the soak
type Done = { kind: string; ms: number; status: number; at: number };
const minuteMs = 60_000;
const totalMs = MINUTES * minuteMs;
const nMinutes = Math.ceil(MINUTES);
const done: Done[][] = Array.from({ length: nMinutes }, () => []);
const netErrors: number[] = Array(nMinutes).fill(0);
const netErrorTimes: number[] = [];
const samples: { at: number; rss: number; m: Metrics | null; pg: { all: number; busy: number } }[] = [];
const importResult: { at?: number; status?: number; ms?: number; body?: string } = {};
const t0 = Date.now();
const until = t0 + totalMs;
const minuteOf = (at: number) => Math.min(nMinutes - 1, Math.floor((at - t0) / minuteMs));
const okStatus = (s: number) => (s >= 200 && s < 300) || s === 304;

const failed: Record<string, { n: number; sample: string }> = {};
async function client() {
  while (Date.now() < until && serverExitedAt === null) {
    const r = nextRequest();
    const s = performance.now();
    try {
      const res = await fetch(base + r.url, { headers: auth(r) });
      if (okStatus(res.status)) await res.arrayBuffer();
      else {
        const body = await res.text();
        const key = `${r.kind} ${res.status}`;
        const e = (failed[key] ??= { n: 0, sample: body.replace(/\s+/g, ' ').slice(0, 200) });
        e.n++;
      }
      const at = Date.now();
      done[minuteOf(at)].push({ kind: r.kind, ms: performance.now() - s, status: res.status, at });
    } catch { netErrors[minuteOf(Date.now())]++; netErrorTimes.push(Date.now()); await sleep(100); }
    if (THINK_MS) await sleep(THINK_MS * (0.5 + rnd()));
  }
}

async function importHalfway() {
  if (!IMPORT_ROWS) return;
  await sleep(totalMs / 2);
  // EPSG:3006 points around Sergels torg, 2025, ids unique to this run
  const lines = ['id,occurred_from,occurred_to,category,x,y'];
  for (let k = 0; k < IMPORT_ROWS; k++) {
    const d = new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 364 * 86_400_000)).toISOString();
    lines.push(`SOAK-${t0}-${k},${d},,${pick(cats)},${(674_000 + rnd() * 2000).toFixed(1)},${(6_580_000 + rnd() * 2000).toFixed(1)}`);
  }
  const s = performance.now();
  importResult.at = Date.now();
  try {
    const res = await fetch(`${base}/api/imports/crimes?fileName=soak.csv`, { method: 'POST', body: lines.join('\n') + '\n', headers: { 'content-type': 'text/csv', authorization: `Bearer ${ADMIN_KEY}` } });
    importResult.status = res.status;
    importResult.body = (await res.text()).slice(0, 300);
  } catch (e) { importResult.status = 0; importResult.body = String(e); }
  importResult.ms = performance.now() - s;
  console.log(`  import of ${IMPORT_ROWS} crimes at ${((importResult.at - t0) / 60_000).toFixed(1)} min: HTTP ${importResult.status} in ${(importResult.ms / 1000).toFixed(1)} s`);
}

const restart: { at?: number; cmdStatus?: number | null; readyAfterS?: number } = {};
async function restartHalfway() {
  if (!RESTART_CMD) return;
  await sleep(totalMs * 0.6);
  restart.at = Date.now();
  // not spawnSync: the clients keep running (and timing) while PostgreSQL restarts
  const r = await new Promise<{ status: number | null; out: string }>((resolve) => {
    const p = spawn('sh', ['-c', RESTART_CMD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('close', (status) => resolve({ status, out }));
  });
  restart.cmdStatus = r.status;
  if (r.status !== 0) console.log(`  PostgreSQL restart command exited ${r.status}: ${r.out.slice(-300)}`);
  // the probe's connection died with the server: open a new one
  await reconnectProbe();
  for (;;) {
    try { if ((await fetch(`${base}/api/health/ready`)).ok) { restart.readyAfterS = (Date.now() - restart.at) / 1000; break; } } catch { /* down */ }
    if (Date.now() - restart.at > RESTART_GRACE_MS) break;
    await sleep(250);
  }
  console.log(`  PostgreSQL restarted at ${((restart.at - t0) / 60_000).toFixed(1)} min: the service ${restart.readyAfterS !== undefined ? `was ready again after ${restart.readyAfterS.toFixed(1)} s` : `was not ready within ${RESTART_GRACE_MS / 1000} s`}`);
}
const inRestartWindow = (at: number) => restart.at !== undefined && at >= restart.at && at < restart.at + RESTART_GRACE_MS;

type MinuteLine = { minute: number; requests: number; errors: number; n5xx: number; p50: number; p95: number; p99: number; rssMb: number; heapMb: number;
  poolTotal: number; poolInUse: number; poolWaiting: number; pgBackends: number; tileCacheHitRatio: number };
const minutes: MinuteLine[] = [];
function minuteLine(k: number): MinuteLine {
  const d = done[k];
  const lat = d.map((x) => x.ms).sort((a, b) => a - b);
  const inMinute = samples.filter((s) => s.at >= t0 + k * minuteMs && s.at < t0 + (k + 1) * minuteMs);
  const last = inMinute[inMinute.length - 1];
  const before = samples.filter((s) => s.at < t0 + k * minuteMs && s.m).pop();
  const hit = (last?.m?.tileHit ?? 0) - (before?.m?.tileHit ?? 0), miss = (last?.m?.tileMiss ?? 0) - (before?.m?.tileMiss ?? 0);
  return {
    minute: k + 1, requests: d.length, errors: d.filter((x) => !okStatus(x.status)).length + netErrors[k], n5xx: d.filter((x) => x.status >= 500).length,
    p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99),
    rssMb: median(inMinute.map((s) => s.rss)), heapMb: median(inMinute.map((s) => s.m?.heapUsedMb ?? NaN)),
    poolTotal: Math.max(...inMinute.map((s) => s.m?.poolTotal ?? 0)), poolInUse: Math.max(...inMinute.map((s) => (s.m ? s.m.poolTotal - s.m.poolIdle : 0))),
    poolWaiting: Math.max(...inMinute.map((s) => s.m?.poolWaiting ?? 0)), pgBackends: Math.max(...inMinute.map((s) => s.pg.all)),
    tileCacheHitRatio: hit + miss ? hit / (hit + miss) : NaN,
  };
}
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const printMinute = (l: MinuteLine) => console.log(
  `  min ${String(l.minute).padStart(2)}  req ${String(l.requests).padStart(6)}  err ${String(l.errors).padStart(3)} (5xx ${l.n5xx})  p50/p95/p99 ${f0(l.p50)}/${f0(l.p95)}/${f0(l.p99)} ms  ` +
  `RSS ${f0(l.rssMb)} MB  heap ${f0(l.heapMb)} MB  pool ${l.poolTotal} (max in use ${l.poolInUse}, waiting ≤ ${l.poolWaiting})  PG backends ${l.pgBackends}  tile cache hits ${Number.isFinite(l.tileCacheHitRatio) ? (100 * l.tileCacheHitRatio).toFixed(0) + ' %' : '–'}`);

let sampling = true;
async function sampler() {
  let printed = 0;
  while (sampling) {
    const at = Date.now();
    const [m, b] = await Promise.all([scrape(), backends().catch(() => ({ all: NaN, busy: NaN }))]);
    samples.push({ at, rss: rssMb(server.pid!), m, pg: b });
    while (printed < nMinutes - 1 && Date.now() >= t0 + (printed + 1) * minuteMs) { const l = minuteLine(printed++); minutes.push(l); printMinute(l); }
    await sleep(Math.max(0, 5000 - (Date.now() - at)));
  }
}

console.log(`soak: ${CLIENTS} clients${THINK_MS ? ` (think ~${THINK_MS} ms)` : ''} for ${MINUTES} min on ${crimesInDb.toLocaleString('en')} crimes (${shownUrl}), pool ${POOL}${IMPORT_ROWS ? `, one import of ${IMPORT_ROWS} rows halfway` : ''}`);
const sampling$ = sampler();
await Promise.all([...Array.from({ length: CLIENTS }, client), importHalfway(), restartHalfway()]);
const wall = (Date.now() - t0) / 1000;
// the last (possibly partial) minute: requests finished after `until` count in it
await sleep(100);
{ const l = minuteLine(nMinutes - 1); minutes.push(l); printMinute(l); }
sampling = false;
await sampling$;

// ---- connections back to idle after the clients stop
let idle: { poolTotal: number; poolInUse: number; poolWaiting: number; pgBusy: number; pgAll: number; afterS: number } | null = null;
const tIdle = Date.now();
for (;;) {
  const m = await scrape();
  const b = await backends();
  const cur = { poolTotal: m?.poolTotal ?? NaN, poolInUse: m ? m.poolTotal - m.poolIdle : NaN, poolWaiting: m?.poolWaiting ?? NaN, pgBusy: b.busy, pgAll: b.all, afterS: (Date.now() - tIdle) / 1000 };
  idle = cur;
  if (cur.poolInUse === 0 && cur.poolWaiting === 0 && cur.pgBusy === 0) break;
  if (Date.now() - tIdle > IDLE_WAIT_S * 1000) break;
  await sleep(1000);
}
const connLeak = !(idle && idle.poolInUse === 0 && idle.poolWaiting === 0 && idle.pgBusy === 0);
const serverAlive = serverExitedAt === null;
const rssEnd = rssMb(server.pid!);
await probe.end();
await stopServer();
if (!KEEP_DB) await dropDb();

// ---- summary
const all = done.flat();
const lats = all.map((x) => x.ms).sort((a, b) => a - b);
const status: Record<string, number> = {};
for (const d of all) status[d.status] = (status[d.status] ?? 0) + 1;
const n5xxRestart = all.filter((d) => d.status >= 500 && inRestartWindow(d.at)).length;
const nNetRestart = netErrorTimes.filter(inRestartWindow).length;
const n5xx = all.filter((d) => d.status >= 500).length - n5xxRestart;
const nNet = netErrorTimes.length - nNetRestart;
const nOther = all.filter((d) => !okStatus(d.status) && d.status < 500).length;
const baseIdx = Math.min(1, minutes.length - 1); // minute 2 (minute 1 when the run is shorter)
const b = minutes[baseIdx], e = minutes[minutes.length - 1];
const rssGrowth = e.rssMb / b.rssMb - 1, heapGrowth = e.heapMb / b.heapMb - 1;
const degradation = e.p99 / b.p99;
const leakOk = rssGrowth <= MAX_GROWTH && heapGrowth <= MAX_GROWTH;
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} %`;
const rows: BenchRow[] = [
  { metric: 'crimes in the database', value: crimesInDb },
  { metric: 'database ready (create, migrate, generate, load)', value: loadS, unit: 's' },
  { metric: 'requests', value: all.length },
  { metric: 'throughput', value: all.length / wall, unit: 'req/s' },
  { metric: RESTART_CMD ? '5xx responses (outside the restart window)' : '5xx responses', value: n5xx, target: '0', ok: n5xx === 0 },
  { metric: 'requests without an answer', value: nNet, target: '0', ok: nNet === 0 },
  { metric: 'other unexpected statuses (4xx)', value: nOther },
  { metric: 'p50 / p95 / p99 all', value: `${f0(percentile(lats, 50))} / ${f0(percentile(lats, 95))} / ${f0(percentile(lats, 99))} ms` },
];
for (const k of [...new Set(all.map((d) => d.kind))].sort()) {
  const v = all.filter((d) => d.kind === k).map((d) => d.ms).sort((x, y) => x - y);
  rows.push({ metric: `${k}: n / p50 / p95 / p99`, value: `${v.length} / ${f0(percentile(v, 50))} / ${f0(percentile(v, 95))} / ${f0(percentile(v, 99))} ms` });
}
rows.push(
  { metric: `RSS minute ${baseIdx + 1} → last (median of 5 s samples)`, value: `${f0(b.rssMb)} → ${f0(e.rssMb)} MB (${pct(rssGrowth)})`, target: `≤ +${(100 * MAX_GROWTH).toFixed(0)} %`, ok: rssGrowth <= MAX_GROWTH },
  { metric: `heap used minute ${baseIdx + 1} → last (median of 5 s samples)`, value: `${f0(b.heapMb)} → ${f0(e.heapMb)} MB (${pct(heapGrowth)})`, target: `≤ +${(100 * MAX_GROWTH).toFixed(0)} %`, ok: heapGrowth <= MAX_GROWTH },
  { metric: `p99 last minute ÷ p99 minute ${baseIdx + 1}`, value: `${f0(e.p99)} ÷ ${f0(b.p99)} ms = ${degradation.toFixed(2)}`, target: '≤ 2', ok: degradation <= 2 },
  { metric: `connections after the clients stopped (pool in use / waiting; PG backends busy / all)`, value: `${idle?.poolInUse} / ${idle?.poolWaiting}; ${idle?.pgBusy} / ${idle?.pgAll} after ${idle?.afterS.toFixed(0)} s`, target: '0 / 0; 0 busy', ok: !connLeak },
  { metric: 'server RSS at the end', value: rssEnd, unit: 'MB' },
  { metric: 'slow statements logged (≥ SLOW_QUERY_MS)', value: slowStatements },
);
if (RESTART_CMD) {
  rows.push({ metric: `PostgreSQL restart at ${(((restart.at ?? NaN) - t0) / 60_000).toFixed(1)} min: service ready again after`, value: restart.readyAfterS ?? 'never', unit: restart.readyAfterS !== undefined ? 's' : undefined, target: `≤ ${RESTART_GRACE_MS / 1000} s, no service restart`, ok: restart.readyAfterS !== undefined && serverAlive });
  rows.push({ metric: `5xx / no answer in the ${RESTART_GRACE_MS / 1000} s after the restart (not in the rows above)`, value: `${n5xxRestart} / ${nNetRestart}` });
}
if (IMPORT_ROWS) rows.push({ metric: `import of ${IMPORT_ROWS} crimes halfway`, value: `HTTP ${importResult.status} in ${((importResult.ms ?? NaN) / 1000).toFixed(1)} s`, target: '2xx', ok: !!importResult.status && importResult.status < 300 });
const notes = [
  `${CLIENTS} concurrent clients${THINK_MS ? ` (each pausing ~${THINK_MS} ms between requests)` : ' (each sends its next request when the last one is answered)'} for ${MINUTES} min on ${crimesInDb.toLocaleString('en')} synthetic crimes (PostgreSQL ${shownUrl}, ${KEEP_DB ? 'kept' : 'created and dropped by the bench'}), pool ${POOL}`,
  'mix: 45 % tiles (hexbins 70 %, areas 30 %, z12–15 central Stockholm), 20 % /api/stats (every area set), 5 % /api/stats as CSV, 8 % area profiles, 8 % hot spots (125–1000 m), 14 % OGC items (stats collections; analysts also incident points in a bbox; 30 % CSV); 25 % of requests with an analyst key; periods from four quarter starts to the latest data, 40 % with a category',
  `leak check: RSS and heap used are each the median of the minute's 5-second samples; growth = last minute ÷ minute ${baseIdx + 1} − 1, bound +${(100 * MAX_GROWTH).toFixed(0)} %`,
  `degradation: p99 of the last minute ÷ p99 of minute ${baseIdx + 1} (same run), bound 2`,
  `status codes: ${JSON.stringify(status)}`,
  ...Object.entries(failed).map(([k, v]) => `${k}: ${v.n} × e.g. ${v.sample}`),
  ...(importResult.status && importResult.status >= 300 ? [`import answer: ${importResult.body}`] : []),
  ...(serverAlive ? [] : ['the server process exited during the run']),
];
if (!serverAlive) console.error(`the server exited during the run; the end of its output:\n${serverLog.slice(-4000)}`);
report('soak', rows, notes);
const out = path.join(RESULTS_DIR, 'soak.json');
fs.writeFileSync(out, JSON.stringify({ ...JSON.parse(fs.readFileSync(out, 'utf8')), config: { minutes: MINUTES, clients: CLIENTS, crimes: crimesInDb, pool: Number(POOL), importRows: IMPORT_ROWS, maxGrowth: MAX_GROWTH }, minutes }, null, 1));
const failures = [
  n5xx > 0 && `${n5xx} 5xx responses`, RESTART_CMD && restart.readyAfterS === undefined && 'not ready after the PostgreSQL restart', nNet > 0 && `${nNet} requests without an answer`, !leakOk && `growth over +${(100 * MAX_GROWTH).toFixed(0)} % (RSS ${pct(rssGrowth)}, heap ${pct(heapGrowth)})`,
  degradation > 2 && `p99 degraded ${degradation.toFixed(2)}×`, connLeak && 'connections not back to idle', !serverAlive && 'server exited',
  IMPORT_ROWS > 0 && !(importResult.status && importResult.status < 300) && 'the import failed',
].filter(Boolean);
if (failures.length) console.error(`soak FAILED: ${failures.join('; ')}`);
process.exit(failures.length ? 1 : 0);
