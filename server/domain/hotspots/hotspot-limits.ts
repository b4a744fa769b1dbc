// Bounded work for hot spots: which parameters each role may ask for, and how much Gi* work one analysis may take.
//  - public and staff: cellSize from HOTSPOT_CELL_SIZES (default 125, 250, 500, 1000 m); distanceBand left out (the
//    ring of six) or 2, 3, 4 or 5 × cellSize;
//  - analysts and admins: any cellSize 50–5000 m, distanceBand from the ring distance up to 30 × cellSize;
//  - everyone: cells × neighbours per cell ≤ HOTSPOT_MAX_WORK (default 2,500,000: every menu request over every
//    bundled area set within the grid's cell limit, e.g. the whole county at 250 m with a 5 × band ≈ 1.1 M).
// Settings are kept per database handle (the app registers its config in app.ts); code without an app (CLI, bench,
// tests on a bare database) gets the configuration of the environment.
import { loadConfig, type Config } from '../../config.js';
import { invalid } from '../problems.js';
import { ringDistance } from './hex-grid.js';
import { studyGrid } from './study-grid.js';

/** distanceBand choices open to every role, as multiples of cellSize. */
export const BAND_MULTIPLES = [2, 3, 4, 5] as const;
/** Largest distanceBand for analysts and admins, as a multiple of cellSize. */
export const MAX_BAND_MULTIPLE = 30;
/**
 * Cell sizes the server asks for by itself, whose monthly rollup is always kept: 250 m (default of /api/hotspots, the
 * hotspots tile layer and the OGC collection) and 1000 m (the lägesbild's kommun and county grids).
 */
export const SERVER_CELL_SIZES = [250, 1000];

export type HotspotSettings = { cellSizes: number[]; maxWork: number; timeoutMs: number };

export function hotspotSettingsOf(c: Pick<Config, 'hotspotCellSizes' | 'hotspotMaxWork' | 'hotspotTimeoutMs'>): HotspotSettings {
  return { cellSizes: c.hotspotCellSizes, maxWork: c.hotspotMaxWork, timeoutMs: c.hotspotTimeoutMs };
}

const byDb = new WeakMap<object, HotspotSettings>();
let fromEnv: HotspotSettings | null = null;

export function setHotspotSettings(db: object, s: HotspotSettings): void {
  byDb.set(db, s);
}

export function hotspotSettings(db: object): HotspotSettings {
  // a read view (replicas) has its primary's settings
  const s = byDb.get(db) ?? byDb.get((db as { primary?: object }).primary ?? db);
  if (s) return s;
  if (!fromEnv) {
    let c: Config;
    try { c = loadConfig(process.env); } catch { c = loadConfig({}); }
    fromEnv = hotspotSettingsOf(c);
  }
  return fromEnv;
}

/** Whether the monthly hexagon rollup of this cell size is kept (built on demand); other sizes count from the incidents. */
export function isRollupCellSize(db: object, cellSize: number): boolean {
  return hotspotSettings(db).cellSizes.includes(cellSize) || SERVER_CELL_SIZES.includes(cellSize);
}

export function allowedBands(cellSize: number): number[] {
  return BAND_MULTIPLES.map((m) => m * cellSize);
}

const list = (a: readonly number[]) => a.join(', ');

/**
 * The role's parameter rules (400 naming the parameter and the values allowed). `exact`: analysts and admins
 * (seesExactData), who may choose any cell size and band; the work cap (checkHotspotWork) holds for everyone.
 */
export function checkHotspotParams(q: { cellSize: number; distanceBand?: number }, exact: boolean, s: HotspotSettings): void {
  if (!exact) {
    if (!s.cellSizes.includes(q.cellSize)) {
      throw invalid(`cellSize ${q.cellSize} m is not offered: choose one of ${list(s.cellSizes)} (metres). Analysts and admins may use any cell size from 50 to 5000 m.`,
        [{ field: 'cellSize', message: `one of ${list(s.cellSizes)}` }], { allowed: { cellSize: s.cellSizes } });
    }
    if (q.distanceBand !== undefined) {
      const bands = allowedBands(q.cellSize);
      if (!bands.some((b) => Math.abs(b - q.distanceBand!) < 1e-6)) {
        throw invalid(`distanceBand ${q.distanceBand} m is not offered for cellSize ${q.cellSize} m: leave it out (the cell and its ring of six) or choose one of ` +
          `${list(bands)} (${BAND_MULTIPLES.join(', ')} × cellSize, metres).`,
          [{ field: 'distanceBand', message: `absent or one of ${list(bands)}` }], { allowed: { distanceBand: bands } });
      }
    }
    return;
  }
  if (q.distanceBand !== undefined) {
    const min = ringDistance(q.cellSize);
    if (q.distanceBand < min) {
      throw invalid(`distanceBand ${q.distanceBand} m reaches no neighbour: with cellSize ${q.cellSize} m the nearest centres are ${min.toFixed(1)} m apart.`,
        [{ field: 'distanceBand', message: `at least ${Math.ceil(min)} m for this cellSize` }]);
    }
    if (q.distanceBand > MAX_BAND_MULTIPLE * q.cellSize) {
      throw invalid(`distanceBand may be at most ${MAX_BAND_MULTIPLE} × cellSize (${MAX_BAND_MULTIPLE * q.cellSize} m).`,
        [{ field: 'distanceBand', message: 'too large for this cellSize' }]);
    }
  }
}

/** Neighbours of a cell far from the edge for this band (the hexagon centres form a lattice: the same for every cell). */
export function latticeNeighbours(cellSize: number, band?: number): number {
  const r = (band ?? ringDistance(cellSize) * 1.001) / cellSize; // in units of cellSize
  const h = Math.sqrt(3);
  let n = 0;
  const imax = Math.ceil(r / 1.5);
  const jmax = Math.ceil(r / h) + 1;
  for (let i = -imax; i <= imax; i++) {
    const x = 1.5 * i, off = Math.abs(i % 2) === 1 ? h / 2 : 0;
    for (let j = -jmax; j <= jmax; j++) {
      const y = h * j + off;
      if (x * x + y * y <= r * r) n++;
    }
  }
  return n - 1; // not the cell itself
}

/** 400 when cells × neighbours exceeds the cap: the analysis would hold the CPU (and memory) too long. */
export function assertWorkWithin(cells: number, cellSize: number, band: number | undefined, maxWork: number): void {
  const nb = latticeNeighbours(cellSize, band);
  const work = cells * nb;
  if (work <= maxWork) return;
  throw invalid(`This analysis would weigh ${cells} cells against ${nb} neighbours each (${work} pairs; at most ${maxWork} per request): ` +
    'choose a larger cellSize or a smaller distanceBand (or a smaller area set).',
  [{ field: band === undefined ? 'cellSize' : 'distanceBand', message: 'too much work: a larger cellSize or a smaller distanceBand' }]);
}

/** The work cap for a request, before anything is counted (the study grid is cached, so the analysis reuses it). */
export async function checkHotspotWork(db: Parameters<typeof studyGrid>[0], q: { areaSet: string; cellSize: number; distanceBand?: number }): Promise<void> {
  const grid = await studyGrid(db, q.areaSet, q.cellSize);
  assertWorkWithin(grid.cells.length, q.cellSize, q.distanceBand, hotspotSettings(db).maxWork);
}
