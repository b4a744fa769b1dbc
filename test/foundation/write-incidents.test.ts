// The incident writer and the rollup: placed by point-in-polygon, idempotent on re-import, updated on change,
// and an area set imported after the incidents gets its rollup too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { writeAreaSet } from '../../server/ingest/write-area-set.js';
import { backends, openTestDb, type TestDb } from '../helpers/backends.js';

// Two points in Husby and one in Rinkeby (EPSG:3006), known from the district polygons.
async function pointIn(t: TestDb, code: string): Promise<[number, number]> {
  const r = await t.db.query<{ x: number; y: number }>(
    `SELECT ST_X(p) x, ST_Y(p) y FROM (SELECT ST_PointOnSurface(geom) p FROM areas WHERE area_set_id='stadsdelar' AND code=$1) s`, [code]);
  return [r.rows[0].x, r.rows[0].y];
}

describe.each(backends)('incident writer on %s', (kind) => {
  let t: TestDb;
  let rows: IncidentInput[];
  beforeAll(async () => {
    t = await openTestDb(kind);
    const [hx, hy] = await pointIn(t, 'HUSBY');
    const [rx, ry] = await pointIn(t, 'RINKEBY');
    rows = [
      { externalId: 'a', category: 'ran', occurredFrom: new Date('2025-03-01T10:00:00Z'), x: hx, y: hy, precision: 'exact' },
      { externalId: 'b', category: 'ran', occurredFrom: new Date('2025-03-02T23:30:00Z'), x: hx + 1, y: hy, precision: 'exact' },
      { externalId: 'c', category: 'stold', occurredFrom: new Date('2025-03-05T12:00:00Z'), x: rx, y: ry, precision: 'exact' },
    ];
  });
  afterAll(async () => { await t?.close(); });

  const counts = async (set: string) => Object.fromEntries((await t.db.query<{ code: string; n: number }>(
    `SELECT a.code, sum(c.n)::int n FROM area_day_counts c JOIN areas a ON a.id=c.area_id WHERE c.area_set_id=$1 GROUP BY a.code`, [set])).rows.map((r) => [r.code, r.n]));

  it('inserts, places in the rollup by local day, and is idempotent', async () => {
    const first = await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', rows));
    expect(first).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(await counts('stadsdelar')).toEqual({ HUSBY: 2, RINKEBY: 1 });
    // 23:30 UTC on 2 March is 3 March in Stockholm
    const days = (await t.db.query<{ day: string }>(`SELECT day::text FROM area_day_counts WHERE area_set_id='stadsdelar' AND category='ran' ORDER BY day`)).rows.map((r) => r.day);
    expect(days).toEqual(['2025-03-01', '2025-03-03']);
    const again = await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', rows));
    expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
  });

  it('updates a changed row and moves its count', async () => {
    const [rx, ry] = await pointIn(t, 'RINKEBY');
    const changed = rows.map((r) => (r.externalId === 'a' ? { ...r, x: rx, y: ry } : r));
    const res = await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', changed));
    expect(res).toEqual({ inserted: 0, updated: 1, unchanged: 2 });
    expect(await counts('stadsdelar')).toEqual({ HUSBY: 1, RINKEBY: 2 });
  });

  it('a removed batch record takes the incidents it wrote with it (and only those)', async () => {
    const batch = (await t.db.query<{ id: number }>(`INSERT INTO import_batches (kind, provider) VALUES ('crimes', 'gone') RETURNING id`)).rows[0].id;
    const [hx, hy] = await pointIn(t, 'HUSBY');
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'gone', [
      { externalId: 'g1', category: 'ran', occurredFrom: new Date('2025-04-01T10:00:00Z'), x: hx, y: hy, precision: 'exact' }], batch));
    const n = async (provider: string) => (await t.db.query<{ n: number }>('SELECT count(*)::int n FROM incidents WHERE provider = $1', [provider])).rows[0].n;
    expect(await n('gone')).toBe(1);
    await t.db.query('DELETE FROM import_batches WHERE id = $1', [batch]);
    expect(await n('gone')).toBe(0);
    expect(await n('file')).toBe(3);
  });

  it('builds the rollup for an area set imported after the incidents', async () => {
    const husby = (await t.db.query<{ gj: string }>(`SELECT ST_AsGeoJSON(ST_Transform(geom,4326)) gj FROM areas WHERE area_set_id='stadsdelar' AND code='HUSBY'`)).rows[0].gj;
    await t.db.transaction((tx) => writeAreaSet(tx, { id: 'late-set', name: 'Late', level: 'custom', srid: 4326,
      features: [{ line: 1, code: 'H', name: 'Husby copy', geometry: JSON.parse(husby) }] }));
    expect(await counts('late-set')).toEqual({ H: 1 });
  });
});
