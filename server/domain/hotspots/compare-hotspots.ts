// Emerging-hotspot style comparison of two periods on the same grid. Both periods get their own Gi* + FDR
// classification (compute-hotspots.ts); then per cell:
//   new          hot (any hot class) now, not hot in the baseline
//   gone         hot in the baseline, not hot now
//   intensifying hot in both, and the count rose significantly (exact Poisson test of equal daily rates,
//                Benjamini–Hochberg over the cells hot in both, at the same alpha)
//   diminishing  hot in both, and the count fell significantly (same test)
//   persistent   hot in both, no significant change in the count
//   none         hot in neither
// Periods of different length are compared as rates per day.
import type { Queryable } from '../../db/index.js';
import { analyseCells, countImprecise, countPointsPerCell, type HotspotCell } from './compute-hotspots.js';
import { benjaminiHochberg } from './fdr.js';
import type { PointFilter } from './incident-filter-sql.js';
import { poissonChangeP } from './poisson-change-test.js';
import { studyGrid } from './study-grid.js';

export const TRENDS = ['new', 'persistent', 'intensifying', 'diminishing', 'gone', 'none'] as const;
export type Trend = (typeof TRENDS)[number];

export type CompareOptions = { areaSet: string; cellSize: number; alpha: number; distanceBand?: number; current: PointFilter; baseline: PointFilter; currentDays: number; baselineDays: number };
export type CompareCell = HotspotCell & { baselineCount: number; baselineClass: HotspotCell['class']; baselineGiZ: number; trend: Trend; pChange: number | null; pChangeAdjusted: number | null };

export async function compareHotspots(db: Queryable, o: CompareOptions): Promise<{ cells: CompareCell[]; n: number; baselineN: number; imprecise: number; baselineImprecise: number }> {
  const grid = await studyGrid(db, o.areaSet, o.cellSize);
  const s = o.cellSize;
  const box: [number, number, number, number] = [grid.extent[0] - 2 * s, grid.extent[1] - 2 * s, grid.extent[2] + 2 * s, grid.extent[3] + 2 * s];
  const [cur, base, imp, bimp] = await Promise.all([
    countPointsPerCell(db, o.current, s, box), countPointsPerCell(db, o.baseline, s, box), countImprecise(db, o.current), countImprecise(db, o.baseline)]);
  const cc = grid.cells.map((c) => cur.get(`${c.i},${c.j}`) ?? 0);
  const bc = grid.cells.map((c) => base.get(`${c.i},${c.j}`) ?? 0);
  const now = analyseCells(grid.cells, cc, s, o.alpha, o.distanceBand);
  const before = analyseCells(grid.cells, bc, s, o.alpha, o.distanceBand);
  const isHot = (c: HotspotCell) => c.class.startsWith('hot');
  const both = now.map((c, k) => isHot(c) && isHot(before[k]));
  const tested = now.map((c, k) => (both[k] ? poissonChangeP(c.count, before[k].count, o.currentDays, o.baselineDays) : null));
  const idx = tested.flatMap((p, k) => (p === null ? [] : [k]));
  const adj = benjaminiHochberg(idx.map((k) => tested[k] as number));
  const adjusted = new Map(idx.map((k, m) => [k, adj[m]]));
  const cells = now.map((c, k): CompareCell => {
    const b = before[k];
    let trend: Trend = 'none';
    if (isHot(c) && !isHot(b)) trend = 'new';
    else if (!isHot(c) && isHot(b)) trend = 'gone';
    else if (both[k]) {
      const pa = adjusted.get(k) ?? 1;
      const rising = c.count / o.currentDays > b.count / o.baselineDays;
      trend = pa <= o.alpha ? (rising ? 'intensifying' : 'diminishing') : 'persistent';
    }
    return { ...c, baselineCount: b.count, baselineClass: b.class, baselineGiZ: b.giZ, trend, pChange: tested[k], pChangeAdjusted: adjusted.get(k) ?? null };
  });
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return { cells, n: sum(cc), baselineN: sum(bc), imprecise: imp, baselineImprecise: bimp };
}
