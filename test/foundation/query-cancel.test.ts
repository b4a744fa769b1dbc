// A caller that goes away (a tile request abandoned by the map) gives up its query: on PostgreSQL the running
// statement is cancelled in the server, not left to run to its end; on both backends a query not yet started is
// never run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCancelledError } from '../../server/db/index.js';
import { backends, openTestDb, type TestDb } from '../helpers/backends.js';

describe.each(backends)('query cancellation on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => { t = await openTestDb(kind); });
  afterAll(async () => { await t?.close(); });

  it('a signal aborted before the query starts means it is never run', async () => {
    const ac = new AbortController();
    ac.abort();
    await t.db.query('CREATE TABLE cancel_probe (n int)');
    await expect(t.db.query('INSERT INTO cancel_probe VALUES (1)', [], { signal: ac.signal })).rejects.toBeInstanceOf(QueryCancelledError);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cancel_probe')).rows[0].n).toBe(0);
  });

  it.runIf(kind === 'postgres')('a running statement is cancelled in the server when the signal aborts', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    const run = t.db.query('SELECT pg_sleep(20), $1::text AS tag', ['cancel-me'], { signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    await expect(run).rejects.toBeInstanceOf(QueryCancelledError);
    expect(performance.now() - t0).toBeLessThan(5000);
    const left = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%' AND state = 'active'`);
    expect(left.rows[0].n).toBe(0);
    // the pool is still healthy
    expect((await t.db.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  });
});
