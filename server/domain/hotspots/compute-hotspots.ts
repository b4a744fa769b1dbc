// Hot spot analysis of point incidents on a hexagon grid: counts per cell → Getis-Ord Gi* z → two-sided p →
// Benjamini–Hochberg over all cells → class. Counts come from exact points only (see incident-filter-sql.ts).
import type { Db, Queryable } from '../../db/index.js';
import { benjaminiHochberg } from './fdr.js';
import { classify, type HotspotClass } from './classify.js';
import { getisOrdGiStar } from './getis-ord.js';
import { hexCellSql, neighboursWithin, ringDistance } from './hex-grid.js';
import { pointFilterSql, type PointFilter } from './incident-filter-sql.js';
import { twoSidedP } from './normal-tail.js';
import { poissonTwoSidedP } from './poisson-change-test.js';
import { studyGrid, type StudyCell } from './study-grid.js';

export type HotspotOptions = {
  areaSet: string;
  /** Hexagon edge length in metres (ST_HexagonGrid's size); the ring of six neighbours lies √3·cellSize away. */
  cellSize: number;
  alpha: number;
  /** Neighbourhood radius in metres between cell centres; default: the cell and its ring of six. */
  distanceBand?: number;
  filter: PointFilter;
};

export type HotspotCell = StudyCell & { count: number; giZ: number; p: number; pAdjusted: number; class: HotspotClass; neighbours: number };
export type HotspotResult = { cells: HotspotCell[]; n: number; imprecise: number; outsideCells: number; neighbourhood: string; band: number };

/** Point counts per (i, j) cell for a filter, within a 3006 box. */
export async function countPointsPerCell(db: Queryable, filter: PointFilter, cellSize: number, box: [number, number, number, number]): Promise<Map<string, number>> {
  const params: unknown[] = [];
  const where = pointFilterSql(filter, params);
  params.push(cellSize, box[0], box[1], box[2], box[3]);
  const n = params.length;
  // x, y through a function scan: evaluated once per row (a plain subquery would be flattened and ST_X repeated in
  // every term of the cell arithmetic), and still parallel safe
  const inner = `SELECT p.x, p.y FROM incidents i CROSS JOIN LATERAL unnest(ARRAY[ST_X(i.geom)], ARRAY[ST_Y(i.geom)]) AS p(x, y)
                 WHERE ${where} AND i.geom && ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 3006)`;
  const sql = `SELECT i, j, count(*)::int AS n FROM (${hexCellSql(inner, `$${n - 4}`)}) cells GROUP BY i, j`;
  const run = async (q: Queryable) => (await q.query<{ i: number; j: number; n: number }>(sql, params)).rows;
  // JIT compiling this arithmetic costs PostgreSQL seconds for a query that runs in one: off for this statement
  const rows = 'transaction' in db && (db as Db).kind === 'postgres'
    ? await (db as Db).transaction(async (tx) => { await tx.query('SET LOCAL jit = off'); return run(tx); })
    : await run(db);
  return new Map(rows.map((row) => [`${row.i},${row.j}`, row.n]));
}

/** Incidents of the filter that have no exact point (never placed in a cell), so meta can say how many were left out. */
export async function countImprecise(db: Queryable, filter: PointFilter): Promise<number> {
  const params: unknown[] = [];
  const where = pointFilterSql(filter, params).replace(`i.precision = 'exact' AND i.geom IS NOT NULL`, `(i.precision <> 'exact' OR i.geom IS NULL)`);
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents i WHERE ${where}`, params);
  return r.rows[0].n;
}

/** Gi*, p, FDR and class for given counts on given cells (pure; used for the current and the baseline period). */
// p is the larger of two p-values, so a cell is called only when both agree:
//  - the Gi* normal p (accounts for over-dispersion through the observed variance, the usual Gi* inference), and
//  - the exact Poisson p of the neighbourhood sum against mean × cells (holds when counts are sparse, where the
//    normal tail is too thin: at ~2 events per cell, Gi* alone calls hot spots in pure noise).
export function analyseCells(cells: readonly StudyCell[], counts: readonly number[], cellSize: number, alpha: number, band?: number) {
  const neighbours = neighboursWithin(cells, cellSize, band ?? ringDistance(cellSize) * 1.001);
  const z = getisOrdGiStar(counts, neighbours);
  const mean = counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length);
  const p = z.map((v, k) => {
    let local = counts[k];
    for (const m of neighbours[k]) local += counts[m];
    return v === 0 ? 1 : Math.max(twoSidedP(v), poissonTwoSidedP(local, mean * (neighbours[k].length + 1)));
  });
  const pAdj = benjaminiHochberg(p);
  return cells.map((c, k) => ({
    ...c, count: counts[k], giZ: z[k], p: p[k], pAdjusted: pAdj[k], class: classify(z[k], pAdj[k], alpha), neighbours: neighbours[k].length,
  }));
}

export async function computeHotspots(db: Queryable, o: HotspotOptions): Promise<HotspotResult> {
  const grid = await studyGrid(db, o.areaSet, o.cellSize);
  const [counted, imprecise] = await Promise.all([countCells(db, o.filter, o.cellSize, grid.extent), countImprecise(db, o.filter)]);
  const counts = grid.cells.map((c) => counted.get(`${c.i},${c.j}`) ?? 0);
  const n = counts.reduce((a, b) => a + b, 0);
  let all = 0;
  for (const v of counted.values()) all += v;
  const band = o.distanceBand ?? ringDistance(o.cellSize);
  return {
    cells: analyseCells(grid.cells, counts, o.cellSize, o.alpha, o.distanceBand),
    n, imprecise, outsideCells: all - n, band,
    neighbourhood: o.distanceBand ? `every cell whose centre lies within ${o.distanceBand} m of the cell's centre, the cell itself included`
      : 'the cell and its ring of six adjacent hexagons (binary weights, the cell itself included)',
  };
}

function countCells(db: Queryable, f: PointFilter, s: number, ext: [number, number, number, number]) {
  return countPointsPerCell(db, f, s, [ext[0] - 2 * s, ext[1] - 2 * s, ext[2] + 2 * s, ext[3] + 2 * s]);
}
