// The CPU part of a hot spot analysis — neighbour search, Gi*, p, Benjamini–Hochberg, class — as pure functions on
// plain arrays, so it runs the same in a worker thread (analysis-pool.ts, what the server uses) and synchronously
// (analyseCells, for tests and scripts). No database, no I/O: only the statistics modules are imported.
import { benjaminiHochberg } from './fdr.js';
import { classify, type HotspotClass } from './classify.js';
import { getisOrdGiStar } from './getis-ord.js';
import { neighboursWithin, ringDistance, type Cell } from './hex-grid.js';
import { twoSidedP } from './normal-tail.js';
import { poissonTwoSidedP } from './poisson-change-test.js';

/**
 * What published (protected) counts say about the true ones: each true count lies in [lower, upper]; mean is the mean
 * count per cell from the published total. With bounds the Poisson guard is conservative (see giStarRun).
 */
export type CountBounds = { lower: readonly number[]; upper: readonly number[]; mean: number };
type JobBounds = { lower: Float64Array; upper: Float64Array; mean: number };

/** One analysis: the cells' (i, j), one or more count vectors over them (e.g. a period and its baseline). */
export type AnalysisJob = { i: Int32Array; j: Int32Array; counts: Float64Array[]; bounds: (JobBounds | null)[]; cellSize: number; alpha: number; band?: number };
export type AnalysisRun = { z: Float64Array; p: Float64Array; pAdjusted: Float64Array; cls: HotspotClass[] };
/** neighbours: each cell's neighbour count (the cell itself not included); one run per count vector. */
export type AnalysisOutput = { neighbours: Int32Array; runs: AnalysisRun[] };

export type AnalysedCell<C> = C & { count: number; giZ: number; p: number; pAdjusted: number; class: HotspotClass; neighbours: number };

export function analysisJob(cells: readonly Cell[], counts: readonly (readonly number[])[], cellSize: number, alpha: number, band?: number,
  bounds: readonly (CountBounds | undefined)[] = []): AnalysisJob {
  return {
    i: Int32Array.from(cells, (c) => c.i), j: Int32Array.from(cells, (c) => c.j),
    counts: counts.map((c) => Float64Array.from(c)),
    bounds: counts.map((_c, m) => { const b = bounds[m]; return b ? { lower: Float64Array.from(b.lower), upper: Float64Array.from(b.upper), mean: b.mean } : null; }),
    cellSize, alpha, ...(band === undefined ? {} : { band }),
  };
}

/** The neighbourhoods once, then Gi*, p, FDR and class per count vector. */
export function analyseJob(job: AnalysisJob): AnalysisOutput {
  const cells = Array.from(job.i, (i, k) => ({ i, j: job.j[k] }));
  const neighbours = neighboursWithin(cells, job.cellSize, job.band ?? ringDistance(job.cellSize) * 1.001);
  return {
    neighbours: Int32Array.from(neighbours, (n) => n.length),
    runs: job.counts.map((c, m) => giStarRun(Array.from(c), neighbours, job.alpha, job.bounds[m] ?? undefined)),
  };
}

// p is the larger of two p-values, so a cell is called only when both agree:
//  - the Gi* normal p (accounts for over-dispersion through the observed variance, the usual Gi* inference), and
//  - the exact Poisson p of the neighbourhood sum against mean × cells (holds when counts are sparse, where the
//    normal tail is too thin: at ~2 events per cell, Gi* alone calls hot spots in pure noise).
// On published (protected) counts the Poisson guard is made conservative with `bounds`: a hot spot must hold with
// every true count at its lowest (published − the largest error; hidden cells 0), a cold spot with every one at its
// highest, against the mean of the published total — rounding and hiding make counts lumpier than Poisson, and
// without this the public would see hot spots in uniform noise.
function giStarRun(counts: number[], neighbours: number[][], alpha: number, bounds?: JobBounds): AnalysisRun {
  const z = getisOrdGiStar(counts, neighbours);
  const mean = bounds?.mean ?? counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length);
  const lower: ArrayLike<number> = bounds?.lower ?? counts, upper: ArrayLike<number> = bounds?.upper ?? counts;
  const p = z.map((v, k) => {
    if (v === 0) return 1;
    let local = v > 0 ? lower[k] : upper[k];
    for (const m of neighbours[k]) local += v > 0 ? lower[m] : upper[m];
    const expected = mean * (neighbours[k].length + 1);
    // the guard only ever confirms the direction of z: a bound on the wrong side of the mean is no evidence
    const guard = bounds && (v > 0 ? local <= expected : local >= expected) ? 1 : poissonTwoSidedP(local, expected);
    return Math.max(twoSidedP(v), guard);
  });
  const pAdj = benjaminiHochberg(p);
  return { z: Float64Array.from(z), p: Float64Array.from(p), pAdjusted: Float64Array.from(pAdj), cls: z.map((v, k) => classify(v, pAdj[k], alpha)) };
}

/** The cells with one run's results. */
export function joinAnalysis<C extends Cell>(cells: readonly C[], counts: readonly number[], out: AnalysisOutput, run: number): AnalysedCell<C>[] {
  const r = out.runs[run];
  // Object.assign, not {...c, …}: spreading and then adding six properties took V8 about 30 µs per cell (a second
  // for the county grid), this a microsecond
  return cells.map((c, k) => Object.assign({}, c, {
    count: counts[k], giZ: r.z[k], p: r.p[k], pAdjusted: r.pAdjusted[k], class: r.cls[k], neighbours: out.neighbours[k],
  }));
}

/** Gi*, p, FDR and class for given counts on given cells, synchronously (the server runs it in analysis-pool.ts). */
export function analyseCells<C extends Cell>(cells: readonly C[], counts: readonly number[], cellSize: number, alpha: number, band?: number,
  bounds?: CountBounds): AnalysedCell<C>[] {
  return joinAnalysis(cells, counts, analyseJob(analysisJob(cells, [counts], cellSize, alpha, band, [bounds])), 0);
}
