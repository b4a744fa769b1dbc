// The area × day rollup is kept by deltas (rows added +1, stored versions of changed or removed rows −1, placed in
// Node). After any mix of imports, re-imports with changes, imprecise rows and batch deletions it must equal a
// recount from scratch in SQL (ST_Intersects with the area pieces, each incident once per area; containment for
// rows known only to an area) — on both backends.
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINMENT_SQL, LOCAL_TZ } from '../../server/domain/rollups/area-day-counts.js';
import { deleteImportBatch } from '../../server/ingest/delete-batch.js';
import { writeAreaSet } from '../../server/ingest/write-area-set.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { backends, openTestDb, type TestDb } from '../helpers/backends.js';

const RECOUNT = `
  SELECT area_set_id, area_id, source, category, day::text, count(*)::int AS n FROM (
    SELECT DISTINCT a.area_set_id, a.id AS area_id, i.id, i.source, i.category, (i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date AS day
    FROM incidents i JOIN area_pieces p ON p.geom && i.geom AND ST_Intersects(p.geom, i.geom) JOIN areas a ON a.id = p.area_id
    WHERE i.geom IS NOT NULL
    UNION ALL
    SELECT c.area_set_id, c.area_id, i.id, i.source, i.category, (i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date
    FROM incidents i JOIN (${CONTAINMENT_SQL}) c ON c.location_area_id = i.location_area_id WHERE i.geom IS NULL
  ) t GROUP BY 1, 2, 3, 4, 5`;
const STORED = `SELECT area_set_id, area_id, source, category, day::text, n FROM area_day_counts`;

const key = (r: Record<string, unknown>) => `${r.area_set_id}|${r.area_id}|${r.source}|${r.category}|${r.day}|${r.n}`;

describe.each(backends)('rollup kept by deltas on %s', (kind) => {
  let t: TestDb;
  let district: number[];
  beforeAll(async () => {
    t = await openTestDb(kind);
    district = (await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' ORDER BY code LIMIT 3`)).rows.map((r) => Number(r.id));
  });
  afterAll(async () => { await t?.close(); });

  const rowsOf = (seed: string, n: number, prefix: string): IncidentInput[] => {
    const rng = seedrandom(seed);
    return Array.from({ length: n }, (_, k) => {
      const imprecise = rng() < 0.05;
      return {
        externalId: `${prefix}${k}`, category: ['ran', 'stold', 'misshandel'][Math.floor(rng() * 3)],
        occurredFrom: new Date(Date.UTC(2025, 0, 1) + Math.floor(rng() * 90 * 86_400_000)),
        precision: imprecise ? 'district' as const : 'exact' as const,
        locationAreaId: imprecise ? district[Math.floor(rng() * district.length)] : null,
        x: imprecise ? null : 660_000 + rng() * 28_000, y: imprecise ? null : 6_570_000 + rng() * 25_000,
      };
    });
  };
  const expectConsistent = async () => {
    const want = (await t.db.query(RECOUNT)).rows.map(key).sort();
    const have = (await t.db.query(STORED)).rows.map(key).sort();
    expect(have).toEqual(want);
    expect(have.length).toBeGreaterThan(0);
  };
  const batch = async (source: 'crimes' | 'shootings', rows: IncidentInput[]) => t.db.transaction(async (tx) => {
    const b = await tx.query<{ id: number }>(`INSERT INTO import_batches (kind, provider, file_name, options, imported_by) VALUES ($1, 'file', 'test.csv', '{}', 'test') RETURNING id`, [source]);
    const id = Number(b.rows[0].id);
    await writeIncidents(tx, source, 'file', rows, id);
    return id;
  });

  it('after imports, a changed re-import, another source and a batch deletion', async () => {
    const a = rowsOf('a', 3000, 'a');
    await batch('crimes', a);
    await expectConsistent();
    // re-import: a third moved (place, day or category), a few now imprecise, some new rows
    const rng = seedrandom('change');
    const changed = a.map((r) => {
      const u = rng();
      if (u < 0.1) return { ...r, x: (r.x ?? 670_000) + 700, y: (r.y ?? 6_580_000) - 300, precision: 'exact' as const, locationAreaId: null };
      if (u < 0.2) return { ...r, occurredFrom: new Date(r.occurredFrom.getTime() + 3 * 86_400_000) };
      if (u < 0.3) return { ...r, category: 'narkotika' };
      if (u < 0.33) return { ...r, x: null, y: null, precision: 'district' as const, locationAreaId: district[0] };
      return r;
    });
    await batch('crimes', [...changed, ...rowsOf('b', 500, 'b')]);
    await expectConsistent();
    const s = await batch('shootings', rowsOf('c', 400, 'c'));
    await expectConsistent();
    await deleteImportBatch(t.db, s);
    await expectConsistent();
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM area_day_counts WHERE source = 'shootings'`)).rows[0].n).toBe(0);
  });

  it('two imports of overlapping rows at the same time both commit, and the rollup still adds up', async () => {
    // the writers take turns at the merge (advisory locks), so neither trips over the other's new rows
    const base = rowsOf('p', 2000, 'p');
    const other = [...base.map((r, k) => (k % 4 === 0 ? { ...r, category: 'narkotika' } : r)), ...rowsOf('q', 500, 'q')];
    const results = await Promise.allSettled([batch('crimes', base), batch('crimes', other)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const n = async (prefix: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE external_id LIKE $1`, [`${prefix}%`])).rows[0].n;
    expect([await n('p'), await n('q')]).toEqual([2000, 500]);
    await expectConsistent();
  });

  it('an area set re-imported while an incident import is still open is recounted with that import in it', async () => {
    const shape = async (code: string) => JSON.parse((await t.db.query<{ gj: string }>(
      `SELECT ST_AsGeoJSON(ST_Transform(geom, 4326)) gj FROM areas WHERE area_set_id = 'stadsdelar' AND code = $1`, [code])).rows[0].gj);
    const [husby, rinkeby] = [await shape('HUSBY'), await shape('RINKEBY')];
    const [hx, hy] = (await t.db.query<{ x: number; y: number }>(
      `SELECT ST_X(p) x, ST_Y(p) y FROM (SELECT ST_PointOnSurface(geom) p FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY') s`)).rows.map((r) => [r.x, r.y])[0];
    const set = (geometry: unknown) => ({ id: 'moving-set', name: 'Moving', level: 'custom' as const, srid: 4326,
      features: [{ line: 1, code: 'M', name: 'Moving area', geometry: geometry as never }] });
    await t.db.transaction((tx) => writeAreaSet(tx, set(husby)));
    // an incident import that has written its rows (and counted them in the set's Husby shape) but not committed yet
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let written!: () => void;
    const wrote = new Promise<void>((r) => { written = r; });
    const open = t.db.transaction(async (tx) => {
      await writeIncidents(tx, 'crimes', 'race', Array.from({ length: 5 }, (_, k) => ({
        externalId: `race${k}`, category: 'race', occurredFrom: new Date(Date.UTC(2025, 5, 1 + k)), x: hx + k, y: hy, precision: 'exact' as const })));
      written();
      await gate;
    });
    await wrote;
    // meanwhile the set moves to Rinkeby: its recount must include the open import's rows, counted in the new shape
    const moved = t.db.transaction((tx) => writeAreaSet(tx, set(rinkeby)));
    await new Promise((r) => setTimeout(r, 500));
    release();
    await Promise.all([open, moved]);
    await expectConsistent();
  });
});
