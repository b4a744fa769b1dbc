// Several service instances over one PostgreSQL database (issue 22, "several instances behind a load balancer"):
// - a data-version bump committed through instance A reaches instance B at once over LISTEN/NOTIFY: B's /api/stats
//   answer and its tile ETags change without waiting out the 1 s poll of the cached version;
// - the listening connection comes back after it was cut (a PostgreSQL restart), and while it is down B falls back
//   to the poll;
// - a rollup rebuild runs once cluster-wide: while one instance holds a rebuild's advisory lock the other skips it
//   at once (no connection held waiting), sees it as running, and afterwards sees when and where it was built;
// - the rate limits count in PostgreSQL: requests alternating between the two instances get the limit once, not
//   twice, and so do failed credential checks;
// - behind the load balancer each client keeps its own rate-limit bucket: with TRUST_PROXY the address comes from
//   the balancer's X-Forwarded-For, and a client that is not the balancer cannot choose its address with the header
//   (both backends).
// On the embedded backend there is one process: only the single-instance behaviour applies (data-version.test.ts).
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { settleBackgroundWork } from '../../server/db/background-work.js';
import { openDb, type Db } from '../../server/db/index.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { onOperation } from '../../server/domain/operations/operation-events.js';
import { buildHexRollup } from '../../server/domain/rollups/hex-month-counts.js';
import { ensureMonthRollup } from '../../server/domain/rollups/area-month-counts.js';
import { rollupBuildRunning, rollupBuildStatus } from '../../server/domain/rollups/rollup-builds.js';
import { readDataVersion } from '../../server/domain/data-version/data-version.js';
import { tryLockRollupBuilder } from '../../server/db/write-locks.js';
import { importOptionsSchema } from '../../server/ingest/import-options.js';
import { runImport } from '../../server/ingest/run-import.js';
import { bumpDataVersion, dataVersionListening } from '../../server/domain/data-version/data-version.js';
import { loadConfig } from '../../server/config.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const HUSBY: [number, number] = [17.927332, 59.409086];
const lon2x = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2y = (lat: number, z: number) => Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
const tileAt = (layer: string, z: number, [lon, lat]: [number, number]) => `/tiles/${layer}/${z}/${lon2x(lon, z)}/${lat2y(lat, z)}.mvt`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 20 ms until it holds or `ms` passed; returns the time it took (or throws). */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
}

const ENV = { RATE_LIMIT_PER_MINUTE: '1000000' };

describe.skipIf(!process.env.TEST_DATABASE_URL)('two instances on one PostgreSQL database', () => {
  let a: TestApp;
  let dbB: Db;
  let b: FastifyInstance;
  let admin = '';
  beforeAll(async () => {
    a = await openTestApp('postgres', ENV);
    dbB = await openDb(a.config);
    b = await buildApp({ config: a.config, db: dbB, logger: false });
    admin = (await createKey(a.db, { name: 'test admin', role: 'admin', districts: [] })).key;
    await within(5000, async () => dataVersionListening(dbB));
  });
  afterAll(async () => { await b?.close(); await dbB?.close(); await a?.close(); });
  const auth = () => ({ authorization: `Bearer ${admin}` });

  it('an import through A changes /api/stats and the tile ETags on B at once', async () => {
    const stats = '/api/stats?areaSet=stadsdelar&source=crimes&from=2025-03-01&to=2025-04-01';
    const husby = (r: { json(): { rows: { code: string; count: number | null }[] } }) => r.json().rows.find((x) => x.code === 'HUSBY')!.count;
    const areasTile = tileAt('areas', 12, HUSBY) + '?from=2025-03-01&to=2025-04-01';
    const before = await b.inject({ url: stats, headers: auth() });
    expect(before.statusCode).toBe(200);
    const t0 = await b.inject(areasTile);
    expect(t0.statusCode).toBe(200);
    // B has the version cached now: a second request is a hit and 304
    expect((await b.inject({ url: areasTile, headers: { 'if-none-match': String(t0.headers.etag) } })).statusCode).toBe(304);

    const csv = 'id,occurred_from,occurred_to,category,x,y\n' +
      [1, 2, 3].map((i) => `MI-${i},2025-03-1${i}T12:00:00+01:00,,misshandel,665840.8,6588838.5`).join('\n') + '\n';
    const s = await runImport(a.db, { kind: 'crimes', input: Readable.from([Buffer.from(csv)]), fileName: 'mi.csv', options: importOptionsSchema.parse({}) });
    expect(s.inserted).toBe(3);

    // well inside the 1 s poll: only the notification can have told B
    await within(300, async () => (await b.inject({ url: areasTile, headers: { 'if-none-match': String(t0.headers.etag) } })).statusCode === 200);
    const after = await b.inject({ url: stats, headers: auth() });
    expect(after.json().meta.dataVersion).toBeGreaterThan(before.json().meta.dataVersion);
    expect(husby(after)).toBe(husby(before)! + 3);
    const health = await b.inject('/api/health');
    expect(health.json().dataVersion).toBe(after.json().meta.dataVersion);
  });

  it('the listening connection comes back after PostgreSQL cut it, and B polls meanwhile', async () => {
    const admin = new pg.Client({ connectionString: a.config.databaseUrl! });
    await admin.connect();
    try {
      // every listening backend of this database: B's (and A's) dedicated connections
      const cut = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`);
      expect(cut.rowCount).toBeGreaterThan(0);
      await within(2000, async () => !dataVersionListening(dbB));
      // a bump while B does not listen: seen through the poll (≤ 1 s)
      const v0 = (await b.inject('/api/health')).json().dataVersion as number;
      await a.db.transaction((tx) => bumpDataVersion(tx, 'test: while B is deaf'));
      await within(2500, async () => (await b.inject('/api/health')).json().dataVersion > v0);
      // listening again: the next bump is seen at once
      await within(10_000, async () => dataVersionListening(dbB));
      const v1 = (await b.inject('/api/health')).json().dataVersion as number;
      await a.db.transaction((tx) => bumpDataVersion(tx, 'test: B hears again'));
      await within(300, async () => (await b.inject('/api/health')).json().dataVersion > v1);
    } finally {
      await admin.end();
    }
  });

  it('a rollup rebuild runs once across both instances, and its state is visible to both', async () => {
    // a build an earlier request left running in the background (a stats request over its time budget) is not this test's
    await Promise.all([settleBackgroundWork(a.db), settleBackgroundWork(dbB)]);
    const rebuilds: string[] = [];
    const off = onOperation((e) => { if (e.type === 'rollup-rebuild') rebuilds.push(e.rollup); });
    try {
      // A is mid-build (holds the builder's lock): B skips the rebuild at once, and sees it running
      let release = () => {};
      const held = new Promise<void>((r) => { release = r; });
      let locked = (_: boolean) => {};
      const gotLock = new Promise<boolean>((r) => { locked = r; });
      const holder = a.db.transaction(async (tx) => { locked(await tryLockRollupBuilder(tx, 'hex-month', '250|crimes')); await held; });
      try {
        expect(await gotLock).toBe(true);
        const t0 = Date.now();
        expect(await buildHexRollup(dbB, 250, 'crimes')).toBeNull();
        expect(Date.now() - t0).toBeLessThan(1000);
        expect(await rollupBuildRunning(dbB, 'hex-month', '250|crimes')).toBe(true);
      } finally {
        release();
        await holder;
      }
      expect(await rollupBuildRunning(dbB, 'hex-month', '250|crimes')).toBe(false);

      // both at once: one builds, the other skips or finds it built
      const v = await readDataVersion(a.db);
      const built = await Promise.all([buildHexRollup(a.db, 250, 'crimes'), buildHexRollup(dbB, 250, 'crimes')]);
      expect(built.filter((x) => x === v).length).toBeGreaterThanOrEqual(1);
      expect(rebuilds.filter((r) => r === 'hex-month')).toHaveLength(1);
      const seenByA = (await rollupBuildStatus(a.db)).find((s) => s.rollup === 'hex-month' && s.key === '250|crimes')!;
      expect(seenByA).toMatchObject({ running: false, version: v });
      expect(seenByA.buildMs).toBeGreaterThanOrEqual(0);
      expect(seenByA.builtAt).toBeInstanceOf(Date);
      expect(seenByA.builtBy).toMatch(/:\d+$/);
      expect((await rollupBuildStatus(dbB)).find((s) => s.rollup === 'hex-month' && s.key === '250|crimes')).toEqual(seenByA);

      // the monthly area rollup of the stats: the same
      const monthly = await Promise.all([ensureMonthRollup(a.db, 'stadsdelar', 'crimes', v), ensureMonthRollup(dbB, 'stadsdelar', 'crimes', v)]);
      expect(monthly).toContain(true);
      expect(rebuilds.filter((r) => r === 'area-month')).toHaveLength(1);
      expect((await rollupBuildStatus(dbB)).find((s) => s.rollup === 'area-month' && s.key === 'stadsdelar|crimes')).toMatchObject({ running: false, version: v });
    } finally {
      off();
    }
  });

  it('rate limits count across both instances', async () => {
    const [ra, rb] = await Promise.all([a.db, dbB].map((db) => buildApp({ config: { ...a.config, rateLimitPerMinute: 10, loginFailuresPerMinute: 4 }, db, logger: false })));
    try {
      const codes: number[] = [];
      for (let i = 0; i < 14; i++) codes.push((await (i % 2 ? rb : ra).inject({ url: '/api/health', remoteAddress: '10.9.0.1' })).statusCode);
      expect(codes).toEqual([...Array(10).fill(200), 429, 429, 429, 429]);
      // another address is not affected, on either instance
      expect((await rb.inject({ url: '/api/health', remoteAddress: '10.9.0.2' })).statusCode).toBe(200);
      // wrong keys: LOGIN_FAILURES_PER_MINUTE across both, then refused before the key is looked up
      const wrong: number[] = [];
      for (let i = 0; i < 6; i++) wrong.push((await (i % 2 ? rb : ra).inject({ url: '/api/health', remoteAddress: '10.9.0.3', headers: { authorization: 'Bearer tk_guess' } })).statusCode);
      expect(wrong).toEqual([401, 401, 401, 401, 429, 429]);
      // a key's own budget is shared too
      const key = (await createKey(a.db, { name: 'rate test', role: 'analyst', districts: [] })).key;
      const keyed: number[] = [];
      for (let i = 0; i < 12; i++) keyed.push((await (i % 2 ? rb : ra).inject({ url: '/api/health', remoteAddress: `10.9.1.${i}`, headers: { authorization: `Bearer ${key}` } })).statusCode);
      expect(keyed).toEqual([...Array(10).fill(200), 429, 429]);
    } finally {
      await Promise.all([ra.close(), rb.close()]);
    }
  });
});

describe.each(backends)('behind a load balancer on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(kind); });
  afterAll(async () => { await t?.close(); });

  it('TRUST_PROXY: the client address is the balancer\'s X-Forwarded-For, believed only from the balancer', async () => {
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
    const app = await buildApp({ config: { ...t.config, rateLimitPerMinute: 2, trustProxy: '10.0.0.0/8' }, db: t.db, logger: false });
    try {
      const via = (client: string, remoteAddress = '10.0.0.5') => app.inject({ url: '/api/health', remoteAddress, headers: { 'x-forwarded-for': client } });
      // two clients behind the balancer: each its own limit
      expect([(await via('203.0.113.1')).statusCode, (await via('203.0.113.1')).statusCode, (await via('203.0.113.1')).statusCode]).toEqual([200, 200, 429]);
      expect((await via('203.0.113.2')).statusCode).toBe(200);
      // not from the balancer: the header is ignored, the client is counted by its own address
      const direct: number[] = [];
      for (const fake of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) direct.push((await via(fake, '192.0.2.9')).statusCode);
      expect(direct).toEqual([200, 200, 429]);
    } finally { await app.close(); }
  });
});
