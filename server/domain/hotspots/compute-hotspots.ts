// Hot spot analysis of point incidents on a hexagon grid: counts per cell → Getis-Ord Gi* z → two-sided p →
// Benjamini–Hochberg over all cells → class. Counts come from exact points only (see incident-filter-sql.ts).
import type { Db, Queryable } from '../../db/index.js';
import { benjaminiHochberg } from './fdr.js';
import { classify, type HotspotClass } from './classify.js';
import { getisOrdGiStar } from './getis-ord.js';
import { neighboursWithin, ringDistance } from './hex-grid.js';
import { pointFilterSql, type PointFilter } from './incident-filter-sql.js';
import { twoSidedP } from './normal-tail.js';
import { addRectangleCounts, rectangleRange, rectangleSql, type RectangleCount } from './hex-rectangles.js';
import { currentHexRollup, readHexRollup } from './hex-month-rollup.js';
import { splitPeriod } from '../period/split-period.js';
import { currentDataVersion } from '../../tiles/data-version.js';
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

/**
 * Point counts per (i, j) cell for a filter, within a 3006 box (see hex-rectangles.ts for the arithmetic).
 * Whole months come from the monthly rollup when it is current (hex-month-rollup.ts; if not, this request starts its
 * rebuild), the ragged edge days (or the whole period, without a current rollup) from the incidents; both give the
 * same counts (test/hotspots/hex-rollup.test.ts).
 */
export async function countPointsPerCell(db: Queryable, filter: PointFilter, cellSize: number, box: [number, number, number, number],
  opts: { rollup?: boolean } = {}): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const range = rectangleRange(cellSize, box);
  const { days, months } = splitPeriod(filter.from, filter.to);
  const version = months.length && opts.rollup !== false ? await currentDataVersion(db) : null;
  const built = version === null ? null : await currentHexRollup(db, cellSize, filter.source, version);
  const useRollup = built !== null;
  const ranges = useRollup ? days : [[filter.from, filter.to] as [string, string]];
  await Promise.all([
    ...ranges.map(async ([from, to]) => addRectangleCounts(await countFromIncidents(db, { ...filter, from, to }, cellSize, box, range), out)),
    ...(useRollup ? months.map(async ([monthFrom, monthTo]) => addRectangleCounts(await readHexRollup(db, {
      cellSize, source: filter.source, version: built!, categories: filter.categories, monthFrom, monthTo, range }), out)) : []),
  ]);
  return out;
}

/** Rectangle counts straight from the incidents (one pass of arithmetic per point). */
async function countFromIncidents(db: Queryable, filter: PointFilter, cellSize: number, box: [number, number, number, number],
  range: [number, number, number, number]): Promise<RectangleCount[]> {
  const params: unknown[] = [];
  const where = pointFilterSql(filter, params);
  const r = rectangleSql(cellSize);
  // u, v come from a subquery kept apart by OFFSET 0, so ST_X/ST_Y run once per row (a flattened subquery repeats
  // them in every term, a LATERAL function scan costs more than all the arithmetic, and on a busy machine the
  // parallel plan of the same arithmetic measured slower than this single pass).
  // The box: `geom &&` lets a small box use the spatial index, but over a large one (a whole city) it costs more per
  // row than all the cell arithmetic; the same test on the rectangle indexes is then nearly free.
  const small = (box[2] - box[0]) * (box[3] - box[1]) <= 50e6; // m², 50 km²
  if (small) params.push(box[0], box[1], box[2], box[3]);
  const n = params.length;
  const sql = `SELECT ${r.keys}, count(*)::int AS n
    FROM (SELECT ${r.uv} FROM incidents i
          WHERE ${where}${small ? ` AND i.geom && ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 3006)` : ''} OFFSET 0) pts
    WHERE floor(u) BETWEEN ${range[0]} AND ${range[1]} AND floor(v) BETWEEN ${range[2]} AND ${range[3]}
    GROUP BY 1, 2, 3`;
  const run = async (q: Queryable) => (await q.query<RectangleCount>(sql, params)).rows;
  // JIT compiling this arithmetic costs PostgreSQL more than the query itself: off for this statement. And the
  // planner cannot tell that a million points fall into a few thousand groups: without enable_sort = off it may sort
  // them all (to disk) instead of hashing.
  return 'transaction' in db && (db as Db).kind === 'postgres'
    ? (db as Db).transaction(async (tx) => { await tx.query('SET LOCAL jit = off; SET LOCAL enable_sort = off'); return run(tx); })
    : run(db);
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
