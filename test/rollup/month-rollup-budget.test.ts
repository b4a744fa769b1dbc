// The monthly rollup of a set × source is built on first use after an import. At national scale that build outlasts
// a request (and, before, the statement timeout: every request started it again and had it cancelled). A request on
// PostgreSQL now waits at most a budget, reads the daily rollup meanwhile, and the build finishes once in the
// background; the embedded database, one statement at a time, waits for it. Either way the counts are those of the
// days, and the state says which version the months hold.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleBackgroundWork } from '../../server/db/background-work.js';
import { readDataVersion } from '../../server/domain/data-version/data-version.js';
import { disclosureSecret, recordKeySql } from '../../server/domain/disclosure/cell-key.js';
import { countsByArea, monthRollupWithin } from '../../server/domain/rollups/area-month-counts.js';
import { importOptionsSchema } from '../../server/ingest/import-options.js';
import { runImport } from '../../server/ingest/run-import.js';
import { backends, openTestDb, type TestDb } from '../helpers/backends.js';

const CODES = ['misshandel', 'ran', 'inbrott', 'skadegorelse'];
/** 2000 crimes over 2024–2025 in central Stockholm (SWEREF 99 TM), deterministic. */
function crimesCsv(n = 2000): string {
  const lines = ['id,occurred_from,occurred_to,category,x,y'];
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % (730 * 24)) * 3_600_000);
    lines.push(`MB-${i},${t.toISOString()},,${CODES[i % CODES.length]},${668000 + ((i * 37) % 80) * 100},${6578000 + ((i * 53) % 90) * 100}`);
  }
  return `${lines.join('\n')}\n`;
}

describe.each(backends)('the monthly rollup within a time budget on %s', (kind) => {
  let t: TestDb;
  let version: number;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await runImport(t.db, { kind: 'crimes', input: Readable.from([crimesCsv()]), fileName: 'crimes.csv', options: importOptionsSchema.parse({}) });
    version = await readDataVersion(t.db);
  }, 180_000);
  afterAll(async () => { await t?.close(); });

  const state = async () => (await t.db.query<{ version: string }>(
    `SELECT version FROM area_month_state WHERE area_set_id = 'stadsdelar' AND source = 'crimes'`)).rows.map((r) => Number(r.version));
  /** The same counts straight from the daily rollup. */
  const fromDays = async (from: string, to: string) => new Map((await t.db.query<{ area_id: string; n: number }>(
    `SELECT area_id, sum(n)::int AS n FROM area_day_counts WHERE area_set_id = 'stadsdelar' AND source = 'crimes' AND day >= $1 AND day < $2 GROUP BY 1`,
    [from, to])).rows.map((r) => [Number(r.area_id), r.n]));
  const q = { setId: 'stadsdelar', source: 'crimes', from: '2024-03-10', to: '2025-08-20', prevFrom: '2023-01-01', prevTo: '2023-01-02' };
  const current = (m: Map<number, { cur: number }>) => new Map([...m].filter(([, c]) => c.cur > 0).map(([a, c]) => [a, c.cur]));

  it('a request waits at most its budget; the build finishes once in the background and then serves the months', async () => {
    expect(await state()).toEqual([]);
    const within = await monthRollupWithin(t.db, 'stadsdelar', 'crimes', version, 0);
    // PostgreSQL: the request went on without it; embedded: nothing could run beside the build, so it waited
    expect(within).toBe(kind === 'embedded');
    await settleBackgroundWork(t.db);
    expect(await state()).toEqual([version]);
    expect(await monthRollupWithin(t.db, 'stadsdelar', 'crimes', version, 0)).toBe(true);
    const months = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM area_month_counts WHERE area_set_id = 'stadsdelar' AND source = 'crimes' AND version = $1`, [version]);
    expect(months.rows[0].n).toBeGreaterThan(0);
  });

  it('counts per area are those of the days, read from the months and edge days', async () => {
    const days = await fromDays(q.from, q.to);
    expect([...days.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(500);
    expect(current(await countsByArea(t.db, q, version))).toEqual(days);
  });

  it('the public view perturbs a count by the same cell key whichever rollup answered (no differencing by timing)', async () => {
    // the key sums as the daily rollup alone gives them, before and after the months exist
    const secret = await disclosureSecret(t.db);
    const dayKeys = new Map((await t.db.query<{ area_id: string; ks: string }>(
      `SELECT area_id, (sum(n::bigint * ${recordKeySql('$3::text', 'source', 'category', 'day')}) % ${2 ** 24})::bigint AS ks
       FROM area_day_counts WHERE area_set_id = 'stadsdelar' AND source = 'crimes' AND day >= $1 AND day < $2 GROUP BY 1`,
      [q.from, q.to, secret])).rows.map((r) => [Number(r.area_id), Number(r.ks)]));
    const viaMonths = await countsByArea(t.db, { ...q, keys: true }, version);
    expect(await state()).toEqual([version]);
    expect(new Map([...viaMonths].filter(([, c]) => c.cur > 0).map(([a, c]) => [a, c.curKey]))).toEqual(dayKeys);
  });
});
