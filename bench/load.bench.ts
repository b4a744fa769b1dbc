// Load: LOAD_CLIENTS (100) concurrent clients mixing vector tiles (hexbins/areas at z12–15 over central Stockholm),
// /api/stats and area profiles for LOAD_SECONDS (60) against the real server process (npm start's entry) on
// PostgreSQL with LOAD_CRIMES synthetic crimes (1,000,000 in `npm run bench`; CI sets a smaller number).
// Reports throughput, p50/p95/p99 per kind, the count of 5xx (target 0) and the server's RSS before/after.
// The server runs with the rate limit lifted (one machine plays 100 clients); caches stay on, as in production.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { centralStockholmTiles } from './central-tiles.js';
import { percentile, report, type BenchRow } from './harness.js';

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 100);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CRIMES = Number(process.env.LOAD_CRIMES ?? 1_000_000);
if (!process.env.BENCH_DATABASE_URL) {
  process.env.BENCH_DATABASE_URL = CRIMES === 1_000_000 ? 'postgres://postgres@127.0.0.1:5432/tk_bench_tiles' : `postgres://postgres@127.0.0.1:5432/tk_bench_load_${CRIMES}`;
}
const { openBenchDb, BENCH_URL } = await import('./bench-data.js');
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
const freePort = () => new Promise<number>((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => res(p)); }); });


const db = await openBenchDb(CRIMES);
const areaIds = (await db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' ORDER BY code`)).rows.map((r) => Number(r.id));
const latest = (await db.query<{ d: string }>(`SELECT to_char(max(occurred_from), 'YYYY-MM-DD') d FROM incidents WHERE source = 'crimes'`)).rows[0].d ?? '2025-12-31';
await db.close();

const port = await freePort();
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: BENCH_URL, SAMPLE_DATA: 'off', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000', PG_POOL_MAX: process.env.PG_POOL_MAX ?? '10' },
});
let serverErr = '';
server.stderr.on('data', (d) => { serverErr += d; });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try { if ((await fetch(`${base}/api/health`)).ok) break; } catch { /* starting */ }
  if (i > 600 || server.exitCode !== null) { console.error(`server did not start: ${serverErr.slice(-1000)}`); process.exit(1); }
  await new Promise((r) => setTimeout(r, 500));
}

const tiles = centralStockholmTiles();
const cats = ['stold', 'misshandel', 'skadegorelse', 'ran'];
let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T,>(a: T[]) => a[Math.floor(rnd() * a.length)];
const to = latest; // the profile and stats default to the last 12 months of data; periods vary so caches do not answer everything
function nextRequest(): { kind: string; url: string } {
  const u = rnd();
  const from = pick(['2025-01-01', '2025-04-01', '2025-07-01']);
  if (u < 0.6) return { kind: 'tile', url: `/tiles/${rnd() < 0.7 ? 'hexbins' : 'areas'}/${pick(tiles)}.mvt?source=crimes&areaSet=stadsdelar&from=${from}${rnd() < 0.3 ? `&category=${pick(cats)}` : ''}` };
  if (u < 0.85) return { kind: 'stats', url: `/api/stats?areaSet=${pick(['stadsdelar', 'basomraden', 'stadsdelsomraden-2023'])}&source=crimes&from=${from}&to=${to}${rnd() < 0.5 ? `&category=${pick(cats)}` : ''}` };
  return { kind: 'profile', url: `/api/areas/${pick(areaIds)}/profile?from=${from}&to=${to}` };
}

// warm-up: every kind once, then RSS before
for (const k of ['tile', 'stats', 'profile']) { let r; do r = nextRequest(); while (r.kind !== k); await fetch(base + r.url).then((x) => x.arrayBuffer()); }
const rssBefore = rssMb(server.pid!);
const lat: Record<string, number[]> = { tile: [], stats: [], profile: [] };
const status: Record<string, number> = {};
let errors = 0;
const until = Date.now() + SECONDS * 1000;
const t0 = performance.now();
async function client() {
  while (Date.now() < until) {
    const r = nextRequest();
    const s = performance.now();
    try {
      const res = await fetch(base + r.url);
      await res.arrayBuffer();
      status[res.status] = (status[res.status] ?? 0) + 1;
      lat[r.kind].push(performance.now() - s);
    } catch { errors++; }
  }
}
let peak = rssBefore;
const sampler = setInterval(() => { peak = Math.max(peak, rssMb(server.pid!)); }, 500);
await Promise.all(Array.from({ length: CLIENTS }, client));
clearInterval(sampler);
const wall = (performance.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 2000));
const rssAfter = rssMb(server.pid!);
server.kill('SIGTERM');

const all = Object.values(lat).flat().sort((a, b) => a - b);
const n5xx = Object.entries(status).filter(([s]) => s.startsWith('5')).reduce((a, [, n]) => a + n, 0);
const rows: BenchRow[] = [
  { metric: 'requests', value: all.length },
  { metric: 'throughput', value: all.length / wall, unit: 'req/s' },
  { metric: '5xx responses', value: n5xx, target: '0', ok: n5xx === 0 },
  { metric: 'network errors', value: errors, target: '0', ok: errors === 0 },
  { metric: 'p50 all', value: percentile(all, 50), unit: 'ms' },
  { metric: 'p95 all', value: percentile(all, 95), unit: 'ms' },
  { metric: 'p99 all', value: percentile(all, 99), unit: 'ms' },
];
for (const [k, v] of Object.entries(lat)) {
  v.sort((a, b) => a - b);
  rows.push({ metric: `${k}: n / p50 / p95 / p99`, value: `${v.length} / ${percentile(v, 50).toFixed(0)} / ${percentile(v, 95).toFixed(0)} / ${percentile(v, 99).toFixed(0)} ms` });
}
rows.push({ metric: 'server RSS before', value: rssBefore, unit: 'MB' }, { metric: 'server RSS peak', value: peak, unit: 'MB' },
  { metric: 'server RSS after', value: rssAfter, unit: 'MB', target: '≤ 1.5 × before', ok: rssAfter <= rssBefore * 1.5 });
report('load', rows, [
  `${CLIENTS} concurrent clients for ${SECONDS} s on ${CRIMES.toLocaleString('en')} synthetic crimes (PostgreSQL ${BENCH_URL.replace(/\/\/[^@]*@/, '//')}), pool ${process.env.PG_POOL_MAX ?? 10}`,
  'mix: 60 % tiles (hexbins 70 %, areas 30 %, z12–15 central Stockholm), 25 % /api/stats (3 area sets), 15 % area profiles; public role',
  `status codes: ${JSON.stringify(status)}`,
]);
process.exit(n5xx === 0 && errors === 0 ? 0 : 1);
