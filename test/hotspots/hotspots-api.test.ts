// /api/hotspots and /api/hotspots/compare through the API on each backend: a seeded cluster on a uniform
// background is hot-99 after FDR, uniform noise has no significant cell, the SQL cell index equals the grid,
// imprecise incidents never land in a cell, small counts are null for the public, hostile parameters are 4xx.
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexCellSql, hexCellOf } from '../../server/domain/hotspots/hex-grid.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { hashSecret } from '../../server/domain/keys/hash-secret.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const ANALYST = 'hotspot-test-analyst-key';
type Cell = { i: number; j: number; count: number | null; giZ: number; p: number; pAdjusted: number; class: string };

function uniform(rng: () => number, n: number, box: number[], prefix: string, category: string, year: number): IncidentInput[] {
  return Array.from({ length: n }, (_, k) => ({
    externalId: `${prefix}-${k}`, category, precision: 'exact' as const,
    occurredFrom: new Date(Date.UTC(year, 0, 2) + Math.floor(rng() * 360) * 86_400_000 + 43_200_000),
    x: box[0] + rng() * (box[2] - box[0]), y: box[1] + rng() * (box[3] - box[1]),
  }));
}
function cluster(rng: () => number, n: number, cx: number, cy: number, r: number, prefix: string, category: string, year: number): IncidentInput[] {
  return Array.from({ length: n }, (_, k) => {
    const d = r * Math.sqrt(rng()), a = 2 * Math.PI * rng();
    return { externalId: `${prefix}-${k}`, category, precision: 'exact' as const,
      occurredFrom: new Date(Date.UTC(year, 0, 2) + Math.floor(rng() * 360) * 86_400_000 + 43_200_000), x: cx + d * Math.cos(a), y: cy + d * Math.sin(a) };
  });
}

describe.each(backends)('hotspots API on %s', (kind) => {
  let t: TestApp;
  let box: number[];
  // Medborgarplatsen in EPSG:3006 and two other places well apart
  const A = [674_620, 6_579_020];
  let B: number[], C: number[];
  const get = async (url: string, key?: string) => t.app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} });

  beforeAll(async () => {
    t = await openTestApp(kind);
    const e = (await t.db.query<{ x0: number; y0: number; x1: number; y1: number }>(
      `SELECT ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, ST_YMax(e) y1 FROM (SELECT ST_Extent(geom) e FROM areas WHERE area_set_id = 'stadsdelar') s`)).rows[0];
    box = [e.x0, e.y0, e.x1, e.y1];
    const inside = async (code: string) => Object.values((await t.db.query<{ x: number; y: number }>(
      `SELECT ST_X(p) x, ST_Y(p) y FROM (SELECT ST_PointOnSurface(geom) p FROM areas WHERE area_set_id = 'stadsdelar' AND code = $1) s`, [code])).rows[0]);
    B = await inside('RINKEBY');
    C = await inside('HÖGDALEN');
    const rng = seedrandom('hotspots-api');
    const crimes = [...uniform(rng, 6000, box, 'u', 'stold', 2025), ...cluster(rng, 400, A[0], A[1], 120, 'c', 'stold', 2025)];
    // uniform noise only, one category per seed
    const noise = ['n1', 'n2', 'n3'].flatMap((seed) => uniform(seedrandom(seed), 4000, box, seed, seed, 2025));
    // two years for the comparison: A grows, B appears, C disappears
    const cmp = [...uniform(rng, 4000, box, 'b24', 'x', 2024), ...uniform(rng, 4000, box, 'b25', 'x', 2025),
      ...cluster(rng, 100, A[0], A[1], 100, 'a24', 'x', 2024), ...cluster(rng, 400, A[0], A[1], 100, 'a25', 'x', 2025),
      ...cluster(rng, 200, B[0], B[1], 100, 'b25c', 'x', 2025), ...cluster(rng, 200, C[0], C[1], 100, 'c24', 'x', 2024)];
    const area = (await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'SÖDERMALM'`)).rows[0]?.id
      ?? (await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' LIMIT 1`)).rows[0].id;
    const imprecise: IncidentInput = { externalId: 'imp-1', category: 'stold', precision: 'district', locationAreaId: area, occurredFrom: new Date('2025-05-05T10:00:00Z') };
    await t.db.transaction(async (tx) => {
      await writeIncidents(tx, 'crimes', 'file', [...crimes, imprecise]);
      await writeIncidents(tx, 'guard-reports', 'file', noise);
      await writeIncidents(tx, 'citizen-reports', 'file', cmp);
    });
    await t.db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('t', 'analyst', $1)`, [hashSecret(ANALYST)]);
  });
  afterAll(async () => { await t?.close(); });

  it('the cluster is hot-99 after FDR; the uniform background has no far hot cell; meta says what was done', async () => {
    const r = await get('/api/hotspots?source=crimes&from=2025-01-01&to=2026-01-01&cellSize=400&f=json', ANALYST);
    expect(r.statusCode).toBe(200);
    const body = r.json() as { meta: Record<string, any>; cells: Cell[] };
    const { i, j } = hexCellOf(A[0], A[1], 400);
    const hit = body.cells.find((c) => c.i === i && c.j === j)!;
    expect(hit.class).toBe('hot-99');
    expect(hit.count).toBeGreaterThan(300);
    const far = body.cells.filter((c) => c.class.startsWith('hot') && Math.hypot(c.i - i, c.j - j) > 4);
    expect(far.length).toBeLessThanOrEqual(1);
    expect(body.meta.fdr.method).toBe('Benjamini-Hochberg');
    expect(body.meta.cells).toBe(body.cells.length);
    expect(body.meta.n).toBe(body.cells.reduce((a, c) => a + (c.count ?? 0), 0));
    expect(body.meta.imprecise).toBe(1);
    expect(body.meta.period).toEqual({ from: '2025-01-01', to: '2026-01-01', days: 365 });
    expect(body.cells.some((c) => c.count === 0)).toBe(true); // empty cells are part of the analysis
    expect(body.cells.every((c) => c.pAdjusted >= c.p)).toBe(true);
  });

  it('uniform noise has no significant cell after FDR (three seeds, default 250 m grid)', async () => {
    for (const seed of ['n1', 'n2', 'n3']) {
      const r = await get(`/api/hotspots?source=guard-reports&category=${seed}&from=2025-01-01&to=2026-01-01&f=json`);
      const cells = (r.json() as { cells: Cell[] }).cells;
      expect(cells.length).toBeGreaterThan(1000);
      expect(cells.filter((c) => c.class !== 'not-significant')).toEqual([]);
    }
  });

  it('serves GeoJSON in WGS84 and hides counts 1–4 from the public, keeping the classes', async () => {
    const q = '/api/hotspots?source=crimes&from=2025-01-01&to=2026-01-01&cellSize=250'; // a cell size offered to the public
    const pub = (await get(q)).json() as { features: { properties: Cell; geometry: { type: string; coordinates: number[][][] } }[] };
    const ana = (await get(q, ANALYST)).json() as typeof pub;
    expect(pub.features[0].geometry.type).toBe('Polygon');
    const [lon, lat] = pub.features[0].geometry.coordinates[0][0];
    expect(lon).toBeGreaterThan(17); expect(lon).toBeLessThan(19); expect(lat).toBeGreaterThan(59); expect(lat).toBeLessThan(60);
    expect(pub.features.some((f) => f.properties.count !== null && f.properties.count > 0 && f.properties.count < 5)).toBe(false);
    expect(ana.features.some((f) => f.properties.count !== null && f.properties.count > 0 && f.properties.count < 5)).toBe(true);
    expect(pub.features.map((f) => f.properties.class)).toEqual(ana.features.map((f) => f.properties.class));
  });

  it('the SQL cell index puts every point in the ST_HexagonGrid cell that contains it', async () => {
    const r = await t.db.query<{ x: number; y: number; i: number; j: number; inside: boolean }>(
      `SELECT p.x, p.y, c.i, c.j, ST_Intersects(ST_Hexagon(250, c.i, c.j, 'SRID=3006;POINT(0 0)'::geometry), ST_SetSRID(ST_MakePoint(p.x, p.y), 3006)) AS inside
       FROM (SELECT x, y, row_number() OVER () AS k FROM (SELECT ST_X(geom) x, ST_Y(geom) y FROM incidents WHERE source = 'crimes' AND geom IS NOT NULL LIMIT 500) q) p
       JOIN LATERAL (${hexCellSql('SELECT p.x AS x, p.y AS y', '$1')}) c ON true`, [250]);
    expect(r.rows).toHaveLength(500);
    for (const row of r.rows) {
      expect(row.inside).toBe(true);
      expect(hexCellOf(row.x, row.y, 250)).toEqual({ i: row.i, j: row.j });
    }
  });

  it('compare: a growing hot spot is intensifying, a new one new, a vanished one gone', async () => {
    const r = await get('/api/hotspots/compare?source=citizen-reports&from=2025-01-01&to=2026-01-01&baselineFrom=2024-01-01&baselineTo=2025-01-01&cellSize=400&f=json', ANALYST);
    expect(r.statusCode).toBe(200);
    const body = r.json() as { meta: Record<string, any>; cells: (Cell & { trend: string; baselineCount: number })[] };
    const at = (p: number[]) => { const c = hexCellOf(p[0], p[1], 400); return body.cells.find((x) => x.i === c.i && x.j === c.j)!; };
    expect(at(A).trend).toBe('intensifying');
    expect(at(B).trend).toBe('new');
    expect(at(C).trend).toBe('gone');
    expect(body.meta.baseline).toEqual({ from: '2024-01-01', to: '2025-01-01', days: 366 });
    expect(Object.values(body.meta.trends as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(body.cells.length);
  });

  it('rejects hostile or impossible parameters with a 4xx problem', async () => {
    for (const q of ['cellSize=-1', 'cellSize=1e308', 'cellSize=0.0001', 'cellSize=abc', 'alpha=0', 'alpha=2', 'cellSize=250&distanceBand=100', 'f=xml']) {
      const r = await get(`/api/hotspots?source=crimes&${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.headers['content-type']).toContain('problem+json');
    }
    // an unknown area set in the query is a 400 listing the valid ones (issue 17)
    expect((await get('/api/hotspots?source=crimes&areaSet=no-such-set')).statusCode).toBe(400);
    expect((await get('/api/hotspots?source=crimes&areaSet=lan-stockholm&cellSize=50')).statusCode).toBe(400);
  });
});
