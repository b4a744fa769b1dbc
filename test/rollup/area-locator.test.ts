// The AreaLocator places points in Node with the semantics of ST_Intersects(area piece, point), which the rest of
// the service counts with. Golden cases where the two could part: a point on the edge two areas share (in both),
// on a grid-cell corner, in a hole and on the hole's rim, far outside, and in a large area ST_Subdivide cut into
// pieces (once, not per piece). Each is checked against PostGIS itself, on both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AreaLocator } from '../../server/domain/rollups/area-locator.js';
import { writeAreaSet } from '../../server/ingest/write-area-set.js';
import { backends, openTestDb, type TestDb } from '../helpers/backends.js';

// EPSG:3006 squares in central Stockholm; the grid of the locator has 100 m cells, so edges at x00 m lie on cell edges
const X = 674_000, Y = 6_579_000;
const square = (x0: number, y0: number, s: number) => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];
// a ragged ring with many vertices, so ST_Subdivide(…, 96) cuts it into several pieces
const ragged = (cx: number, cy: number, r: number, n = 400) => {
  const ring = Array.from({ length: n }, (_, k) => {
    const a = (2 * Math.PI * k) / n, rr = r * (1 + 0.05 * Math.sin(9 * a));
    return [Math.round(cx + rr * Math.cos(a)), Math.round(cy + rr * Math.sin(a))];
  });
  return [...ring, ring[0]];
};

const POINTS: [string, number, number][] = [
  ['inside west', X + 150, Y + 150],
  ['shared edge', X + 300, Y + 120],
  ['shared corner on a cell corner', X + 300, Y + 300],
  ['outer corner', X, Y],
  ['in the hole', X + 450, Y + 150],
  ['on the hole rim', X + 400, Y + 150],
  ['east, beside the hole', X + 350, Y + 50],
  ['outside everything', X - 1000, Y - 1000],
  ['ragged centre', X + 3000, Y + 3000],
  ['ragged, near the rim', X + 3000 + 1040, Y + 3000],
  ['ragged, north of the centre', X + 3000, Y + 3000 + 300],
];

describe.each(backends)('area locator on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await t.db.transaction((tx) => writeAreaSet(tx, {
      id: 'locator-golden', name: 'Locator golden cases', level: 'custom', srid: 3006,
      features: [
        { line: 1, code: 'W', name: 'West', geometry: { type: 'Polygon', coordinates: [square(X, Y, 300)] } },
        // east square with a 100 m hole
        { line: 2, code: 'E', name: 'East', geometry: { type: 'Polygon', coordinates: [square(X + 300, Y, 300), square(X + 400, Y + 100, 100).reverse()] } },
        { line: 3, code: 'R', name: 'Ragged', geometry: { type: 'Polygon', coordinates: [ragged(X + 3000, Y + 3000, 1000)] } },
      ],
    }));
  });
  afterAll(async () => { await t?.close(); });

  it('answers like ST_Intersects with the area pieces, point by point', async () => {
    const pieces = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM area_pieces p JOIN areas a ON a.id = p.area_id WHERE a.area_set_id = 'locator-golden' AND a.code = 'R'`);
    expect(pieces.rows[0].n).toBeGreaterThan(1); // the ragged area really is in several pieces
    // a point on a line where ST_Subdivide cut the ragged area: the middle of an edge two of its pieces share
    const cut = (await t.db.query<{ x: number; y: number }>(
      `WITH r AS (SELECT row_number() OVER () AS k, p.geom FROM area_pieces p JOIN areas a ON a.id = p.area_id
                  WHERE a.area_set_id = 'locator-golden' AND a.code = 'R'),
            shared AS (SELECT ST_LineMerge(ST_CollectionExtract(ST_Intersection(p1.geom, p2.geom), 2)) AS l
                       FROM r p1 JOIN r p2 ON p1.k < p2.k AND ST_Touches(p1.geom, p2.geom))
       SELECT ST_X(m) x, ST_Y(m) y FROM (SELECT ST_LineInterpolatePoint(l, 0.5) AS m FROM shared WHERE GeometryType(l) = 'LINESTRING' LIMIT 1) t`)).rows[0];
    expect(cut).toBeDefined();
    POINTS.push(['ragged, on a cut line', cut.x, cut.y]);
    const locator = await AreaLocator.load(t.db, ['locator-golden']);
    const codeOf = new Map((await t.db.query<{ id: number; code: string }>(`SELECT id, code FROM areas WHERE area_set_id = 'locator-golden'`)).rows
      .map((r) => [Number(r.id), r.code]));
    for (const [what, x, y] of POINTS) {
      const postgis = (await t.db.query<{ code: string }>(
        `SELECT DISTINCT a.code FROM area_pieces p JOIN areas a ON a.id = p.area_id
         WHERE a.area_set_id = 'locator-golden' AND ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint($1, $2), 3006)) ORDER BY 1`, [x, y])).rows.map((r) => r.code);
      const ours = locator.areasAt(x, y).map((id) => codeOf.get(id)!).sort();
      expect(ours, what).toEqual(postgis);
    }
    // and the cases mean what they say
    expect(locator.areasAt(X + 300, Y + 120).length).toBe(2);
    expect(locator.areasAt(X + 450, Y + 150)).toEqual([]);
    expect(locator.areasAt(cut.x, cut.y).length).toBe(1); // once, not once per piece
  });

  it('keeps its cell cache bounded (a national import visits far more cells than fit in the import\'s heap), answering the same', async () => {
    const full = await AreaLocator.load(t.db, ['locator-golden']);
    const small = await AreaLocator.load(t.db, ['locator-golden'], { maxCells: 3 });
    for (let k = 0; k < 400; k++) {
      const x = X - 200 + (k * 137) % 4400, y = Y - 200 + (k * 263) % 4400; // spread over every case and 1,500 cells
      expect(small.areasAt(x, y), `${x},${y}`).toEqual(full.areasAt(x, y));
      expect(small.cachedCells()).toBeLessThanOrEqual(3);
    }
    expect(full.cachedCells()).toBeGreaterThan(3);
  });
});
