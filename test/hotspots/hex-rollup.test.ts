// The hot-spot count per hexagon read from the monthly rollup (whole months) plus the incidents (edge days) must be
// exactly the count straight from the incidents, for any period, category filter and cell size; and an import
// must be seen at once (the rollup is rebuilt for the new data version, never served stale).
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleBackgroundWork } from '../../server/db/background-work.js';
import { countPointsPerCell } from '../../server/domain/hotspots/compute-hotspots.js';
import { buildHexRollup, currentHexRollup } from '../../server/domain/rollups/hex-month-counts.js';
import type { CellCount } from '../../server/domain/hotspots/hex-rectangles.js';
import { disclosureFor, type Disclosure } from '../../server/domain/disclosure/disclosure-control.js';
import { hexCellOf } from '../../server/domain/hotspots/hex-grid.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { currentDataVersion, forgetDataVersion } from '../../server/domain/data-version/data-version.js';
import { backends, openTestDb, type TestDb } from '../helpers/backends.js';

const BOX: [number, number, number, number] = [665_000, 6_570_000, 684_000, 6_590_000];

function points(seed: string, n: number, prefix: string): IncidentInput[] {
  const rng = seedrandom(seed);
  const cats = ['stold', 'ran', 'misshandel'];
  // 14 months, times spread over the whole day so local-midnight month edges are crossed
  const t0 = Date.UTC(2024, 11, 1), span = 425 * 86_400_000;
  return Array.from({ length: n }, (_, k) => ({
    externalId: `${prefix}${k}`, category: cats[Math.floor(rng() * 3)], precision: 'exact' as const,
    occurredFrom: new Date(t0 + Math.floor(rng() * span)),
    // a dense core and a sparse spread, some points just outside the box
    x: rng() < 0.5 ? 674_000 + rng() * 1500 : BOX[0] - 500 + rng() * (BOX[2] - BOX[0] + 1000),
    y: rng() < 0.5 ? 6_579_000 + rng() * 1500 : BOX[1] - 500 + rng() * (BOX[3] - BOX[1] + 1000),
  }));
}

const sorted = (m: Map<string, CellCount>, show: (c: CellCount) => unknown = (c) => c.n) =>
  [...m].map(([k, v]) => [k, show(v)]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));

describe.each(backends)('hexagon month rollup on %s', (kind) => {
  let t: TestDb;
  let pub: Disclosure;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', points('rollup-a', 4000, 'a')));
    for (const size of [250, 400]) await buildHexRollup(t.db, size, 'crimes');
    pub = await disclosureFor(t.db, false, { k: 5, maxNoise: 1 });
  });
  afterAll(async () => { await t?.close(); });

  const periods: [string, string][] = [
    ['2025-01-01', '2026-01-01'], // whole months only
    ['2024-12-17', '2025-11-03'], // ragged both ends
    ['2025-03-01', '2025-03-20'], // inside one month: no rollup part
    ['2025-02-28', '2025-04-01'], // one edge day and one whole month
  ];
  it.each(periods)('%s – %s: rollup + edge days = counting every point', async (from, to) => {
    for (const cellSize of [250, 400]) {
      expect(await currentHexRollup(t.db, cellSize, 'crimes', await currentDataVersion(t.db))).not.toBeNull(); // the rollup is read
      for (const categories of [null, ['ran'], ['stold', 'misshandel']]) {
        const f = { source: 'crimes', categories, from, to };
        const viaRollup = await countPointsPerCell(t.db, f, cellSize, BOX);
        const direct = await countPointsPerCell(t.db, f, cellSize, BOX, { rollup: false });
        expect(sorted(viaRollup)).toEqual(sorted(direct));
        expect([...direct.values()].reduce((a, b) => a + b.n, 0)).toBeGreaterThan(0);
        // the cell-key sums agree too, so a public count is the same whichever way it was read
        const keyed = await countPointsPerCell(t.db, f, cellSize, BOX, { keys: pub });
        const keyedDirect = await countPointsPerCell(t.db, f, cellSize, BOX, { rollup: false, keys: pub });
        expect(sorted(keyed, (c) => `${c.n}/${c.ks % 16777216}`)).toEqual(sorted(keyedDirect, (c) => `${c.n}/${c.ks % 16777216}`));
      }
    }
  });

  it('an import is counted at once: the rollup of the old version is not read; the new one is built in the background', async () => {
    const f = { source: 'crimes', categories: null, from: '2025-01-01', to: '2026-01-01' };
    const before = await countPointsPerCell(t.db, f, 250, BOX);
    const at = [674_500, 6_579_500];
    const extra: IncidentInput[] = Array.from({ length: 25 }, (_, k) => ({
      externalId: `new${k}`, category: 'ran', precision: 'exact', occurredFrom: new Date(Date.UTC(2025, 5, 10, 12)), x: at[0], y: at[1] }));
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', extra));
    forgetDataVersion(t.db);
    const after = await countPointsPerCell(t.db, f, 250, BOX);
    const { i, j } = hexCellOf(at[0], at[1], 250);
    expect((after.get(`${i},${j}`)?.n ?? 0) - (before.get(`${i},${j}`)?.n ?? 0)).toBe(25);
    await settleBackgroundWork(t.db); // the rebuild that count started
    expect(await currentHexRollup(t.db, 250, 'crimes', await currentDataVersion(t.db))).not.toBeNull();
    expect(sorted(await countPointsPerCell(t.db, f, 250, BOX))).toEqual(sorted(after));
    const rows = await t.db.query<{ n: number }>(`SELECT count(DISTINCT version)::int AS n FROM hex_month_counts WHERE cell_size = 250 AND source = 'crimes'`);
    expect(rows.rows[0].n).toBe(1); // the old version's rows are gone
  });
});
