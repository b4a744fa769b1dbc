// Bounded hot spot work (issue 15), on each backend: public and staff choose cell size and band from a menu,
// analysts any cell size; cells × neighbours is capped for everyone; the analysis runs in a worker thread, so five
// of the largest public requests at once leave /api/health answering within a second; an analysis past
// HOTSPOT_TIMEOUT_MS is a 503 with Retry-After and its worker is terminated; only offered cell sizes get a rollup.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { settleBackgroundWork } from '../../server/db/background-work.js';
import { analysisPoolStats } from '../../server/domain/hotspots/analysis-pool.js';
import { hotspotSettingsOf, latticeNeighbours, setHotspotSettings } from '../../server/domain/hotspots/hotspot-limits.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { hashSecret } from '../../server/domain/keys/hash-secret.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const ANALYST = 'bounded-hotspots-analyst-key';
const STAFF = 'bounded-hotspots-staff-key';
const YEAR = 'from=2025-01-01&to=2026-01-01';
/** The heaviest public request over the whole county: the smallest cell the grid allows there, the widest band. */
const LARGEST_PUBLIC = `/api/hotspots?source=crimes&${YEAR}&areaSet=lan-stockholm&cellSize=250&distanceBand=1250`;

/** GET over a socket; the body is read and dropped, keeping its size and, for a hot spot answer, meta.cells. */
function fetchOver(port: number, path: string): Promise<{ status: number; bytes: number; cells: number | null }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let bytes = 0, head = '';
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; if (head.length < 4096) head += chunk.toString('utf8', 0, Math.min(chunk.length, 4096)); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, cells: Number(/"cells":(\d+)/.exec(head)?.[1] ?? NaN) || null }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe.each(backends)('bounded hot spot work on %s', (kind) => {
  let t: TestApp;
  const get = (url: string, key?: string) => t.app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} });
  const problem = (r: { statusCode: number; headers: Record<string, unknown>; body: string }) => {
    expect(String(r.headers['content-type'])).toContain('application/problem+json');
    return JSON.parse(r.body) as { detail: string; errors?: { parameter: string; message: string }[] };
  };

  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '1000000' });
    const e = (await t.db.query<{ x0: number; y0: number; x1: number; y1: number }>(
      `SELECT ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, ST_YMax(e) y1 FROM (SELECT ST_Extent(geom) e FROM areas WHERE area_set_id = 'lan-stockholm') s`)).rows[0];
    const rng = seedrandom('bounded-hotspots');
    const day = () => new Date(Date.UTC(2025, 0, 2) + Math.floor(rng() * 360) * 86_400_000 + 43_200_000);
    // crimes over the county's box and a cluster in the city: every cell of the county grid gets counted
    const crimes: IncidentInput[] = Array.from({ length: 12_000 }, (_, k) => ({
      externalId: `u${k}`, category: 'stold', precision: 'exact' as const, occurredFrom: day(),
      x: e.x0 + rng() * (e.x1 - e.x0), y: e.y0 + rng() * (e.y1 - e.y0),
    }));
    for (let k = 0; k < 800; k++) crimes.push({ externalId: `c${k}`, category: 'stold', precision: 'exact', occurredFrom: day(), x: 674_620 + rng() * 600, y: 6_579_020 + rng() * 600 });
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', crimes));
    await t.db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('a', 'analyst', $1)`, [hashSecret(ANALYST)]);
    await t.db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('s', 'staff', $1)`, [hashSecret(STAFF)]);
  });
  afterAll(async () => { await t?.close(); });

  it('public and staff choose cellSize and distanceBand from the menu; analysts any cell size', async () => {
    for (const key of [undefined, STAFF]) {
      const r = await get(`/api/hotspots?source=crimes&${YEAR}&cellSize=333`, key);
      expect(r.statusCode).toBe(400);
      const p = problem(r);
      expect(p.errors?.[0].parameter).toBe('cellSize');
      expect(p.detail).toContain('125, 250, 500, 1000');
      const band = await get(`/api/hotspots?source=crimes&${YEAR}&cellSize=250&distanceBand=700`, key);
      expect(band.statusCode).toBe(400);
      expect(problem(band).errors?.[0].parameter).toBe('distanceBand');
      expect(problem(band).detail).toContain('500, 750, 1000, 1250');
      const cmp = await get(`/api/hotspots/compare?source=crimes&${YEAR}&cellSize=333`, key);
      expect(cmp.statusCode).toBe(400);
      expect(problem(cmp).errors?.[0].parameter).toBe('cellSize');
      const tile = await get('/tiles/hotspots/12/2252/1184.mvt?source=crimes&cellSize=333', key);
      expect(tile.statusCode).toBe(400);
      expect(problem(tile).errors?.[0].parameter).toBe('cellSize');
    }
    expect((await get(`/api/hotspots?source=crimes&${YEAR}&cellSize=250&distanceBand=750&f=json`)).statusCode).toBe(200);
    expect((await get(`/api/hotspots?source=crimes&${YEAR}&cellSize=500&f=json`, STAFF)).statusCode).toBe(200);
    // the hexbins layer has no cellSize of its own: the parameter is not checked there
    expect((await get('/tiles/hexbins/12/2252/1184.mvt?source=crimes&cellSize=333')).statusCode).not.toBe(400);
    const analyst = await get(`/api/hotspots?source=crimes&${YEAR}&cellSize=333&distanceBand=1000&f=json`, ANALYST);
    expect(analyst.statusCode).toBe(200);
    expect(analyst.json().meta.cellSize).toBe(333);
    expect((await get(`/api/hotspots/compare?source=crimes&${YEAR}&cellSize=333&f=json`, ANALYST)).statusCode).toBe(200);
    expect([200, 204]).toContain((await get('/tiles/hotspots/12/2252/1184.mvt?source=crimes&cellSize=333', ANALYST)).statusCode);
  });

  it('refuses an analysis over the work cap (cells × neighbours) for every role with a 400 that says what to change', async () => {
    expect(latticeNeighbours(250)).toBe(6);
    expect(latticeNeighbours(250, 1250)).toBeGreaterThan(25);
    // the county at 250 m with an 8 × band (analysts only): about 37,000 cells × 72 neighbours, over the default 2,500,000
    for (const path of ['/api/hotspots', '/api/hotspots/compare']) {
      const r = await get(`${path}?source=crimes&${YEAR}&areaSet=lan-stockholm&cellSize=250&distanceBand=2000`, ANALYST);
      expect(r.statusCode, path).toBe(400);
      expect(problem(r).errors?.[0].parameter).toBe('distanceBand');
      expect(problem(r).detail).toContain('choose a larger cellSize or a smaller distanceBand');
    }
    // the public's menu is under the default cap; a smaller HOTSPOT_MAX_WORK holds for the public too
    const app = await buildApp({ config: { ...t.config, hotspotMaxWork: 500_000 }, db: t.db, logger: false });
    try {
      const r = await app.inject(LARGEST_PUBLIC);
      expect(r.statusCode).toBe(400);
      expect(problem(r).detail).toContain('at most 500000');
      expect((await app.inject(`/api/hotspots?source=crimes&${YEAR}&areaSet=lan-stockholm&cellSize=500&distanceBand=1000&f=json`)).statusCode).toBe(200);
    } finally {
      await app.close();
      setHotspotSettings(t.db, hotspotSettingsOf(t.config));
    }
  });

  // retried: on the 2-core CI machine another test file runs beside this one, and a single scheduling or GC stall of
  // the shared CPUs can push one probe past 1 s (seen once: 1,171 ms among 32 probes, the rest ≤ 596 ms); without the
  // worker pool and the turns every attempt fails by tens of seconds
  it('five parallel hot spot requests with the largest public parameters leave /api/health answering within 1 s', { retry: 2, timeout: 180_000 }, async () => {
    // over real sockets, as clients would ask (inject would assemble five county answers inside this process)
    const app = await buildApp({ config: t.config, db: t.db, logger: false });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as AddressInfo).port;
      // warm: the county grid and the 250 m rollup are built once (on the embedded database they hold the one thread)
      expect((await fetchOver(port, LARGEST_PUBLIC)).status).toBe(200);
      await settleBackgroundWork(t.db);
      let running = true;
      const health: number[] = [];
      const probe = (async () => {
        while (running) {
          const t0 = performance.now();
          const h = await fetchOver(port, '/api/health');
          health.push(performance.now() - t0);
          expect(h.status).toBe(200);
          await new Promise((res) => setTimeout(res, 25));
        }
      })();
      const t0 = performance.now();
      const answers = await Promise.all(Array.from({ length: 5 }, () => fetchOver(port, LARGEST_PUBLIC)));
      const elapsed = performance.now() - t0;
      running = false;
      await probe;
      for (const a of answers) expect(a.status).toBe(200);
      expect(answers[0].cells).toBeGreaterThan(30_000);
      expect(answers[0].bytes).toBeGreaterThan(5_000_000);
      expect(health.length).toBeGreaterThan(3);
      expect(Math.max(...health), `health latencies ${health.map(Math.round).join(', ')} ms during ${Math.round(elapsed)} ms of hot spots`).toBeLessThan(1000);
    } finally { await app.close(); }
  });

  it('answers 503 with Retry-After when the analysis runs past HOTSPOT_TIMEOUT_MS, and terminates its worker', async () => {
    const app = await buildApp({ config: { ...t.config, hotspotTimeoutMs: 1 }, db: t.db, logger: false });
    try {
      const before = analysisPoolStats().terminated;
      const r = await app.inject({ url: `/api/hotspots?source=crimes&${YEAR}&areaSet=lan-stockholm&cellSize=500&distanceBand=2500&f=json`, headers: { authorization: `Bearer ${ANALYST}` } });
      expect(r.statusCode).toBe(503);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(problem(r).detail).toMatch(/did not finish within 1 ms/);
      expect(analysisPoolStats().terminated).toBe(before + 1);
    } finally {
      await app.close();
      setHotspotSettings(t.db, hotspotSettingsOf(t.config));
    }
    // the pool recovers: the next analysis runs in a new worker
    expect((await get(`/api/hotspots?source=crimes&${YEAR}&cellSize=500&f=json`, ANALYST)).statusCode).toBe(200);
  });

  it('builds the monthly rollup only for offered cell sizes: a new size counts from the incidents, no rebuild starts', async () => {
    const state = async (size: number) => (await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM hex_rollup_state WHERE cell_size = $1 AND source = 'crimes'`, [size])).rows[0].n;
    for (const size of [333, 777]) {
      const r = await get(`/api/hotspots?source=crimes&${YEAR}&cellSize=${size}&f=json`, ANALYST);
      expect(r.statusCode).toBe(200);
      expect(r.json().meta.n).toBeGreaterThan(0);
      await settleBackgroundWork(t.db);
      expect(await state(size), `rollup state of ${size} m`).toBe(0);
    }
    // an offered size does get its rollup
    expect((await get(`/api/hotspots?source=crimes&${YEAR}&cellSize=1000&f=json`)).statusCode).toBe(200);
    await settleBackgroundWork(t.db);
    expect(await state(1000)).toBe(1);
  });
});
