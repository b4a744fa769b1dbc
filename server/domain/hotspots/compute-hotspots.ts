// Hot spot analysis of point incidents on a hexagon grid: counts per cell → Getis-Ord Gi* z → two-sided p →
// Benjamini–Hochberg over all cells → class. Counts come from exact points only (see incident-filter-sql.ts).
// The viewer's Disclosure decides what is analysed: for the public the period is widened to the public grid and the
// analysis runs on the PUBLISHED (cell-key protected) counts, cells below k counting as 0 — so no z-score, p-value or
// class carries more than the published counts do, and the Gi* equations cannot be solved for a hidden count.
import { isPostgresDb, type Queryable } from '../../db/index.js';
import type { CountBounds } from './analyse-cells.js';
import { analyseInWorker } from './analysis-pool.js';
import type { HotspotClass } from './classify.js';
import { ringDistance } from './hex-grid.js';
import { pointFilterSql, type PointFilter } from './incident-filter-sql.js';
import { addRectangleCounts, rectangleRange, rectangleSql, type CellCount, type RectangleCount } from './hex-rectangles.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { LOCAL_TZ } from '../rollups/area-day-counts.js';
import { currentHexRollup, readHexRollup } from '../rollups/hex-month-counts.js';
import { splitPeriod } from '../period/split-period.js';
import { currentDataVersion } from '../data-version/data-version.js';
import { studyGrid, type StudyCell } from './study-grid.js';

export type HotspotOptions = {
  areaSet: string;
  /** Hexagon edge length in metres (ST_HexagonGrid's size); the ring of six neighbours lies √3·cellSize away. */
  cellSize: number;
  alpha: number;
  /** Neighbourhood radius in metres between cell centres; default: the cell and its ring of six. */
  distanceBand?: number;
  filter: PointFilter;
  /** What the viewer may see (exact, or the public view: grid periods, protected counts). */
  disclosure: Disclosure;
};

/** count: the published count (null: fewer than k, for the public). */
export type HotspotCell = StudyCell & { count: number | null; giZ: number; p: number; pAdjusted: number; class: HotspotClass; neighbours: number };
export type HotspotResult = {
  cells: HotspotCell[];
  /** Points in the study area's cells (published), null when fewer than k. */
  n: number | null;
  /** Incidents of the filter known only to an area (published). */
  imprecise: number | null;
  /** Points outside the study area's cells (published). */
  outsideCells: number | null;
  neighbourhood: string; band: number;
  /** The period analysed (for the public: widened to the public grid). */
  period: { from: string; to: string };
};

/**
 * Point counts per (i, j) cell for a filter, within a 3006 box (see hex-rectangles.ts for the arithmetic).
 * Whole months come from the monthly rollup when it is current (rollups/hex-month-counts.ts; if not, this request starts its
 * rebuild), the ragged edge days (or the whole period, without a current rollup) from the incidents; both give the
 * same counts (test/hotspots/hex-rollup.test.ts).
 */
export async function countPointsPerCell(db: Queryable, filter: PointFilter, cellSize: number, box: [number, number, number, number],
  opts: { rollup?: boolean; keys?: Disclosure } = {}): Promise<Map<string, CellCount>> {
  const out = new Map<string, CellCount>();
  const range = rectangleRange(cellSize, box);
  const { days, months } = splitPeriod(filter.from, filter.to);
  const version = months.length && opts.rollup !== false ? await currentDataVersion(db) : null;
  const built = version === null ? null : await currentHexRollup(db, cellSize, filter.source, version);
  const useRollup = built !== null;
  const ranges = useRollup ? days : [[filter.from, filter.to] as [string, string]];
  await Promise.all([
    ...ranges.map(async ([from, to]) => addRectangleCounts(await countFromIncidents(db, { ...filter, from, to }, cellSize, box, range, opts.keys), out)),
    ...(useRollup ? months.map(async ([monthFrom, monthTo]) => addRectangleCounts(await readHexRollup(db, {
      cellSize, source: filter.source, version: built!, categories: filter.categories, monthFrom, monthTo, range }), out)) : []),
  ]);
  return out;
}

/** Rectangle counts straight from the incidents (one pass of arithmetic per point). */
async function countFromIncidents(db: Queryable, filter: PointFilter, cellSize: number, box: [number, number, number, number],
  range: [number, number, number, number], keys?: Disclosure): Promise<RectangleCount[]> {
  const params: unknown[] = [];
  const where = pointFilterSql(filter, params);
  const key = keys ? keys.recordKeySql(params, 'i.source', 'i.category', `(i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date`) : '0';
  const r = rectangleSql(cellSize);
  // u, v come from a subquery kept apart by OFFSET 0, so ST_X/ST_Y run once per row (a flattened subquery repeats
  // them in every term, a LATERAL function scan costs more than all the arithmetic, and on a busy machine the
  // parallel plan of the same arithmetic measured slower than this single pass).
  // The box: `geom &&` lets a small box use the spatial index, but over a large one (a whole city) it costs more per
  // row than all the cell arithmetic; the same test on the rectangle indexes is then nearly free.
  const small = (box[2] - box[0]) * (box[3] - box[1]) <= 50e6; // m², 50 km²
  if (small) params.push(box[0], box[1], box[2], box[3]);
  const n = params.length;
  const sql = `SELECT ${r.keys}, count(*)::int AS n, (sum(key) % ${2 ** 24})::bigint AS ks
    FROM (SELECT ${r.uv}, ${key} AS key FROM incidents i
          WHERE ${where}${small ? ` AND i.geom && ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 3006)` : ''} OFFSET 0) pts
    WHERE floor(u) BETWEEN ${range[0]} AND ${range[1]} AND floor(v) BETWEEN ${range[2]} AND ${range[3]}
    GROUP BY 1, 2, 3`;
  const run = async (q: Queryable) => (await q.query<RectangleCount>(sql, params)).rows;
  // JIT compiling this arithmetic costs PostgreSQL more than the query itself: off for this statement. And the
  // planner cannot tell that a million points fall into a few thousand groups: without enable_sort = off it may sort
  // them all (to disk) instead of hashing.
  return isPostgresDb(db)
    ? db.transaction(async (tx) => { await tx.query('SET LOCAL jit = off; SET LOCAL enable_sort = off'); return run(tx); })
    : run(db);
}

/** Incidents of the filter that have no exact point (never placed in a cell), so meta can say how many were left out. */
export async function countImprecise(db: Queryable, filter: PointFilter, d?: Disclosure): Promise<CellCount> {
  const params: unknown[] = [];
  const where = pointFilterSql(filter, params).replace(`i.precision = 'exact' AND i.geom IS NOT NULL`, `(i.precision <> 'exact' OR i.geom IS NULL)`);
  const key = d ? d.recordKeySql(params, 'i.source', 'i.category', `(i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date`) : '0';
  const r = await db.query<{ n: number; ks: string }>(`SELECT count(*)::int AS n, (coalesce(sum(${key}::bigint), 0) % ${2 ** 24})::bigint AS ks FROM incidents i WHERE ${where}`, params);
  return { n: r.rows[0].n, ks: Number(r.rows[0].ks) };
}

/**
 * The counts the analysis runs on, per study cell, and their published values: exact for analysts; for the public
 * the protected count (null below k), analysed as 0.
 */
export function publishedCounts(cells: readonly StudyCell[], counted: Map<string, CellCount>, d: Disclosure): { analysed: number[]; published: (number | null)[]; bounds?: CountBounds } {
  const published = cells.map((c) => {
    const x = counted.get(`${c.i},${c.j}`);
    return x ? d.count(x.n, x.ks) : d.count(0, 0);
  });
  const analysed = published.map((v) => v ?? 0);
  if (d.exact) return { published, analysed };
  // what the published counts say about the true ones (see analyseCells); the mean from the published total of the
  // cells, itself within maxError of the truth
  const e = d.method.maxError;
  const inCells = sumCounts(cells.flatMap((c) => counted.get(`${c.i},${c.j}`) ?? []));
  const total = d.count(inCells.n, inCells.ks) ?? 0;
  return {
    published, analysed,
    bounds: {
      lower: published.map((v) => (v === null ? 0 : Math.max(0, v - e))),
      upper: published.map((v) => (v === null ? d.k - 1 : v + e)),
      mean: total / Math.max(1, cells.length),
    },
  };
}

/** The sum of every cell's count and key (the same events as the cells together). */
export function sumCounts(counts: Iterable<CellCount>): CellCount {
  const t = { n: 0, ks: 0 };
  for (const c of counts) { t.n += c.n; t.ks += c.ks; }
  return t;
}

/** Gi*, p, FDR and class for given counts on given cells (pure, synchronous; the server runs it in a worker: analysis-pool.ts). */
export { analyseCells, type CountBounds } from './analyse-cells.js';

export async function computeHotspots(db: Queryable, o: HotspotOptions): Promise<HotspotResult> {
  const d = o.disclosure;
  const period = d.period(o.filter.from, o.filter.to);
  const filter = { ...o.filter, from: period.from, to: period.to };
  const grid = await studyGrid(db, o.areaSet, o.cellSize);
  const [counted, imprecise] = await Promise.all([countCells(db, filter, o.cellSize, grid.extent, d), countImprecise(db, filter, d.exact ? undefined : d)]);
  const { analysed, published, bounds } = publishedCounts(grid.cells, counted, d);
  const inCells = sumCounts(grid.cells.flatMap((c) => counted.get(`${c.i},${c.j}`) ?? []));
  const all = sumCounts(counted.values());
  const band = o.distanceBand ?? ringDistance(o.cellSize);
  return {
    cells: (await analyseInWorker(db, grid.cells, analysed, o.cellSize, o.alpha, o.distanceBand, bounds)).map((c, k) => Object.assign(c, { count: published[k] })),
    n: d.count(inCells.n, inCells.ks), imprecise: d.count(imprecise.n, imprecise.ks),
    outsideCells: d.count(all.n - inCells.n, all.ks - inCells.ks), band, period,
    neighbourhood: o.distanceBand ? `every cell whose centre lies within ${o.distanceBand} m of the cell's centre, the cell itself included`
      : 'the cell and its ring of six adjacent hexagons (binary weights, the cell itself included)',
  };
}

export function countCells(db: Queryable, f: PointFilter, s: number, ext: [number, number, number, number], d: Disclosure) {
  return countPointsPerCell(db, f, s, [ext[0] - 2 * s, ext[1] - 2 * s, ext[2] + 2 * s, ext[3] + 2 * s], { keys: d.exact ? undefined : d });
}
