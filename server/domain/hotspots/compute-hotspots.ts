// Hot spot analysis of point incidents on a hexagon grid: counts per cell → Getis-Ord Gi* z → two-sided p →
// Benjamini–Hochberg over all cells → class. Counts come from exact points only (see incident-filter-sql.ts).
import type { Db, Queryable } from '../../db/index.js';
import { benjaminiHochberg } from './fdr.js';
import { classify, type HotspotClass } from './classify.js';
import { getisOrdGiStar } from './getis-ord.js';
import { neighboursWithin, ringDistance } from './hex-grid.js';
import { pointFilterSql, type PointFilter } from './incident-filter-sql.js';
import { twoSidedP } from './normal-tail.js';
import { poissonTwoSidedP } from './poisson-change-test.js';
import { studyGrid, type StudyCell } from './study-grid.js';

const SQRT3 = Math.sqrt(3);

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

/**
 * Point counts per (i, j) cell for a filter, within a 3006 box.
 * Per point only cheap arithmetic on ST_X/ST_Y and a GROUP BY on small integers: the plane is cut into rectangles
 * one column step (1.5·s) wide and half a row (√3·s/2) high; each rectangle holds parts of exactly two cells, the
 * nearest centre of column i0 and of column i0+1 (as in hexCellOf), split by their bisector, a straight line. So a
 * point needs (i0, k) = its rectangle and one bit per bisector orientation (which of the two is used depends on the
 * parity of i0 + k); the few thousand groups are turned into (i, j) here. Ties go to column i0, as in hexCellOf.
 */
export async function countPointsPerCell(db: Queryable, filter: PointFilter, cellSize: number, box: [number, number, number, number]): Promise<Map<string, number>> {
  const params: unknown[] = [];
  const where = pointFilterSql(filter, params);
  params.push(box[0], box[1], box[2], box[3]);
  const n = params.length;
  const s = cellSize;
  if (!Number.isFinite(s) || s <= 0) throw new Error(`bad cellSize ${s}`);
  // u, v: the point in units of the rectangle (1.5·s wide, √3·s/2 high); a, b = u − ⌊u⌋, v − ⌊v⌋ its place inside.
  // Nearer the rectangle's lower-left corner than its upper-right one: 3a + b ≤ 2; nearer the upper-left than the
  // lower-right: 3a − b ≤ 1 (the bisector conditions |P−A|² ≤ |P−B|² divided through by s²).
  // u, v come from a subquery kept apart by OFFSET 0, so ST_X/ST_Y run once per row (a flattened subquery repeats
  // them in every term, a LATERAL function scan costs more than all the arithmetic, and on a busy machine the
  // parallel plan of the same arithmetic measured slower than this single pass).
  // The box: `geom &&` lets a small box use the spatial index, but over a large one (a whole city) it costs more per
  // row than all the cell arithmetic; the same test on the coordinates is then nearly free.
  const small = (box[2] - box[0]) * (box[3] - box[1]) <= 50e6; // m², 50 km²
  const w = `${1.5 * s}::float8`, hh = `${(SQRT3 * s) / 2}::float8`; // numbers, never user text (cellSize is validated)
  const sql = `SELECT floor(u)::int AS i0, floor(v)::int AS k,
      (CASE WHEN 3 * (u - floor(u)) + (v - floor(v)) <= 2 THEN 2 ELSE 0 END
       + CASE WHEN 3 * (u - floor(u)) - (v - floor(v)) <= 1 THEN 1 ELSE 0 END) AS side,
      count(*)::int AS n
    FROM (SELECT ST_X(i.geom) / ${w} AS u, ST_Y(i.geom) / ${hh} AS v FROM incidents i
          WHERE ${where}${small ? ` AND i.geom && ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 3006)` : ''} OFFSET 0) pts
    WHERE u BETWEEN $${n - 3}::float8 / ${w} AND $${n - 1}::float8 / ${w} AND v BETWEEN $${n - 2}::float8 / ${hh} AND $${n}::float8 / ${hh}
    GROUP BY 1, 2, 3`;
  const run = async (q: Queryable) => (await q.query<{ i0: number; k: number; side: number; n: number }>(sql, params)).rows;
  // JIT compiling this arithmetic costs PostgreSQL more than the query itself: off for this statement. And the
  // planner cannot tell that a million points fall into a few thousand groups: without enable_sort = off it may sort
  // them all (to disk) instead of hashing.
  const rows = 'transaction' in db && (db as Db).kind === 'postgres'
    ? await (db as Db).transaction(async (tx) => { await tx.query('SET LOCAL jit = off; SET LOCAL enable_sort = off'); return run(tx); })
    : await run(db);
  const out = new Map<string, number>();
  for (const r of rows) {
    const par0 = r.i0 & 1, par1 = (r.i0 + 1) & 1;
    let i: number, j: number;
    if (((r.i0 + r.k) & 1) === 0) { // column i0's candidate at level k (bottom), column i0+1's at k+1 (top)
      if (r.side & 2) { i = r.i0; j = (r.k - par0) / 2; } else { i = r.i0 + 1; j = (r.k + 1 - par1) / 2; }
    } else { // column i0's candidate at level k+1 (top), column i0+1's at k (bottom)
      if (r.side & 1) { i = r.i0; j = (r.k + 1 - par0) / 2; } else { i = r.i0 + 1; j = (r.k - par1) / 2; }
    }
    const key = `${i},${j}`;
    out.set(key, (out.get(key) ?? 0) + r.n);
  }
  return out;
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
