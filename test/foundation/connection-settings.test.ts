// The service's PostgreSQL connections carry the settings its queries are tuned for: UTC, and PG_WORK_MEM as
// work_mem (at PostgreSQL's 4 MB a national z8 hexbin tile's bitmap went lossy and took 14.5 s instead of 8.0 s).
// A size PostgreSQL would not take is refused at start, naming the variable.
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { backends, openTestDb, type TestDb } from '../helpers/backends.js';

describe.runIf(backends.includes('postgres'))('the PostgreSQL connections of the service', () => {
  const open: TestDb[] = [];
  afterAll(async () => { await Promise.all(open.map((t) => t.close())); });
  const show = async (t: TestDb, what: string) => Object.values((await t.db.query<Record<string, string>>(`SHOW ${what}`)).rows[0])[0];

  it('use 64MB of work_mem by default, PG_WORK_MEM when set, and UTC', async () => {
    const byDefault = await openTestDb('postgres');
    open.push(byDefault);
    expect(await show(byDefault, 'work_mem')).toBe('64MB');
    expect(await show(byDefault, 'TimeZone')).toBe('UTC');
    const set = await openTestDb('postgres', { PG_WORK_MEM: '16MB' });
    open.push(set);
    expect(await show(set, 'work_mem')).toBe('16MB');
  });

  it('refuse a PG_WORK_MEM that is no size', () => {
    expect(() => loadConfig({ PG_WORK_MEM: 'lots' })).toThrow(ConfigError);
    expect(() => loadConfig({ PG_WORK_MEM: '64MB; DROP TABLE x' })).toThrow(/PG_WORK_MEM: a size such as 64MB/);
  });
});
