// Read replicas (issue 22) against a real streaming replica of the test cluster (.ci/start-replica: pg_basebackup -R
// on port 5433; CI starts it and sets TEST_REPLICA_URL and TEST_REPLICA_CTL). Reads of the read-only routes go to
// the replica, writes to the primary; a read right after an import sees it, even when the replica has stopped
// replaying (it waits, then the primary answers); stopping the replica while requests run loses none of them.
import { exec, execSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadStats } from '../../server/db/read-replicas.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { openTestApp, type TestApp } from '../helpers/backends.js';

const REPLICA = process.env.TEST_REPLICA_URL;
const CTL = process.env.TEST_REPLICA_CTL;
const enabled = Boolean(REPLICA && CTL && process.env.TEST_DATABASE_URL);

/** The replica's URL for the test's own database (`{db}`: its name, filled in by openTestApp). */
const replicaOfTestDb = (url: string) => url.replace(/\/[^/?]*(\?|$)/, '/{db}$1');

describe.runIf(enabled)('read replicas on a streaming replica of the test cluster', { timeout: 300_000 }, () => {
  let t: TestApp;
  let analyst: string;
  let admin: string;
  let husby: { x: number; y: number };
  const stats = () => (t.app.readDb as unknown as { readStats(): ReadStats }).readStats();
  const ctl = (action: string) => execSync(CTL!.replace('%s', action), { stdio: 'pipe', timeout: 60_000 });
  // while requests run: the event loop must keep serving them
  const ctlAsync = (action: string) => promisify(exec)(CTL!.replace('%s', action), { timeout: 60_000 });
  let husbyId = 0;

  beforeAll(async () => {
    t = await openTestApp('postgres', { DATABASE_READ_URLS: replicaOfTestDb(REPLICA!), READ_REPLICA_WAIT_MS: '500', RATE_LIMIT_PER_MINUTE: '1000000' });
    analyst = (await createKey(t.db, { name: 'replica-analyst', role: 'analyst' })).key;
    admin = (await createKey(t.db, { name: 'replica-admin', role: 'admin' })).key;
    const p = await t.db.query<{ x: number; y: number }>(
      `SELECT ST_X(p) x, ST_Y(p) y FROM (SELECT ST_PointOnSurface(geom) p FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY') s`);
    husby = p.rows[0];
    husbyId = Number((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY'`)).rows[0].id);
    await replicaCaughtUp();
  }, 300_000);
  afterAll(async () => {
    // whatever happened, the replica answers again for the next run
    try { execSync(`${process.env.TEST_REPLICA_URL ? `psql ${REPLICA} -Atc "select pg_wal_replay_resume()"` : 'true'}`, { stdio: 'pipe' }); } catch { /* down */ }
    try { ctl('start'); } catch { /* already running */ }
    await t?.close();
  });

  /** Waits until the replica has replayed all the primary has written (this test's database included): under a
   * loaded CI the other test files' databases are WAL too. Says what the replica is doing if it never gets there. */
  async function replicaCaughtUp(): Promise<void> {
    const lsn = (await t.db.query<{ l: string }>('SELECT pg_current_wal_lsn()::text l')).rows[0].l;
    const ask = (sql: string) => execSync(`psql ${REPLICA} -Atc "${sql}"`, { stdio: 'pipe' }).toString().trim();
    for (let i = 0; i < 240; i++) {
      if (ask(`select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`) === 't') return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the replica did not replay ${lsn} within a minute: ${ask(
      `select format('in recovery %s, paused %s, replayed %s, receiver %s', pg_is_in_recovery(), pg_is_wal_replay_paused(), pg_last_wal_replay_lsn(), (select status from pg_stat_wal_receiver))`)}`);
  }

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${analyst}` } });
  let n = 0;
  /** Imports `count` crimes in Husby on 2025-06-15 through the API (the primary); returns when committed. */
  async function importHusby(count: number): Promise<void> {
    const rows = Array.from({ length: count }, (_, i) => `RR-${++n}-${i},2025-06-15T12:00:00,,ran,${husby.x.toFixed(1)},${husby.y.toFixed(1)}`);
    const r = await t.app.inject({ method: 'POST', url: '/api/imports/crimes', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
      payload: `id,occurred_from,occurred_to,category,x,y\n${rows.join('\n')}\n` });
    expect(r.statusCode, r.body).toBe(201);
  }
  const husbyCount = async (): Promise<number> => {
    const r = await get('/api/stats?areaSet=stadsdelar&source=crimes&from=2025-06-01&to=2025-07-01');
    expect(r.statusCode, r.body).toBe(200);
    return r.json().rows.find((x: { code: string }) => x.code === 'HUSBY').count;
  };

  it('sends the read-only routes to the replica and writes to the primary', async () => {
    const inRecovery = async (q: { query: TestApp['db']['query'] }) => (await q.query<{ r: boolean }>('SELECT pg_is_in_recovery() r')).rows[0].r;
    await t.app.readDb.query('SELECT 1'); // the read view learns the data version and the LSN it needs…
    await replicaCaughtUp(); // …which the replica has replayed, however busy the other test files keep the primary
    expect(await inRecovery(t.app.readDb)).toBe(true);
    expect(await inRecovery(t.db)).toBe(false);
    const before = stats();
    for (const url of ['/api/stats?areaSet=stadsdelar&source=crimes', `/api/areas/${husbyId}/profile`, '/tiles/areas/10/562/297.mvt?areaSet=stadsdelar&source=crimes']) {
      const r = await get(url);
      expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBeLessThan(300);
    }
    const after = stats();
    expect(after.replica).toBeGreaterThan(before.replica);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${admin}` } });
    expect(metrics.body).toMatch(new RegExp(`tk_db_reads\\{target="replica"\\} ${after.replica}\\b`));
    await importHusby(3); // a write: on the primary (the replica would refuse it)
  });

  it('a read right after an import sees it, each time', async () => {
    for (let i = 0; i < 5; i++) {
      const before = await husbyCount();
      await importHusby(2);
      expect(await husbyCount()).toBe(before + 2);
    }
  });

  it('a replica that stopped replaying is not read from: the read waits, then the primary answers with the import', async () => {
    const before = await husbyCount();
    execSync(`psql ${REPLICA} -Atc "select pg_wal_replay_pause()"`, { stdio: 'pipe' });
    try {
      const s0 = stats();
      await importHusby(4);
      expect(await husbyCount()).toBe(before + 4);
      const s1 = stats();
      expect(s1.waitedForReplica).toBeGreaterThan(s0.waitedForReplica);
      expect(s1.primary).toBeGreaterThan(s0.primary);
    } finally {
      execSync(`psql ${REPLICA} -Atc "select pg_wal_replay_resume()"`, { stdio: 'pipe' });
    }
  });

  it('stopping the replica while requests run loses none of them', async () => {
    const urls = ['/api/stats?areaSet=stadsdelar&source=crimes', '/api/stats?areaSet=stadsdelsomraden-2023&source=crimes&from=2025-01-01&to=2026-01-01',
      `/api/areas/${husbyId}/profile`];
    const statuses: number[] = [];
    let stopping = true;
    const load = (async () => {
      for (let i = 0; stopping || i < 30; i++) statuses.push((await get(urls[i % urls.length])).statusCode);
    })();
    await new Promise((r) => setTimeout(r, 200));
    const during = statuses.length;
    await ctlAsync('stop -m fast');
    expect(statuses.length).toBeGreaterThan(during); // requests were answered while it stopped
    await new Promise((r) => setTimeout(r, 500));
    stopping = false;
    await load;
    expect(statuses.length).toBeGreaterThanOrEqual(30);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(stats().replicaFailures).toBeGreaterThan(0);
    // with the replica gone, reads and imports still work, from the primary
    const before = await husbyCount();
    await importHusby(1);
    expect(await husbyCount()).toBe(before + 1);
    ctl('start');
  });
});
