// Emerging-hotspot style comparison of two periods on the same grid. Both periods get their own Gi* + FDR
// classification (compute-hotspots.ts); then per cell:
//   new          hot (any hot class) now, not hot in the baseline
//   gone         hot in the baseline, not hot now
//   intensifying hot in both, and the count rose significantly (exact Poisson test of equal daily rates,
//                Benjamini–Hochberg over the cells hot in both, at the same alpha)
//   diminishing  hot in both, and the count fell significantly (same test)
//   persistent   hot in both, no significant change in the count
//   none         hot in neither
// Periods of different length are compared as rates per day. For the public both periods are widened to the public
// grid and both analyses run on published counts (see compute-hotspots.ts), so no trend reveals a hidden count.
import type { Queryable } from '../../db/index.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { daysBetween } from '../../../shared/dates.js';
import { analyseManyInWorker } from './analysis-pool.js';
import { countCells, countImprecise, publishedCounts, sumCounts, type HotspotCell } from './compute-hotspots.js';
import { benjaminiHochberg } from './fdr.js';
import type { PointFilter } from './incident-filter-sql.js';
import { poissonChangeP } from './poisson-change-test.js';
import { studyGrid } from './study-grid.js';
import type { Trend } from './hotspots-schema.js';

// the trends are part of the answer's schema (hotspots-schema.ts)
export { TRENDS } from './hotspots-schema.js';
export type { Trend };

export type CompareOptions = { areaSet: string; cellSize: number; alpha: number; distanceBand?: number; current: PointFilter; baseline: PointFilter; disclosure: Disclosure };
export type CompareCell = HotspotCell & { baselineCount: number | null; baselineClass: HotspotCell['class']; baselineGiZ: number; trend: Trend; pChange: number | null; pChangeAdjusted: number | null };
export type CompareResult = {
  cells: CompareCell[]; n: number | null; baselineN: number | null; imprecise: number | null; baselineImprecise: number | null;
  period: { from: string; to: string; days: number }; baseline: { from: string; to: string; days: number };
};

const days = (p: { from: string; to: string }) => daysBetween(p.from, p.to);

export async function compareHotspots(db: Queryable, o: CompareOptions): Promise<CompareResult> {
  const d = o.disclosure;
  const p = d.period(o.current.from, o.current.to), bp = d.period(o.baseline.from, o.baseline.to);
  const current = { ...o.current, ...p }, baseline = { ...o.baseline, ...bp };
  const grid = await studyGrid(db, o.areaSet, o.cellSize);
  const s = o.cellSize;
  const keys = d.exact ? undefined : d;
  const [cur, base, imp, bimp] = await Promise.all([
    countCells(db, current, s, grid.extent, d), countCells(db, baseline, s, grid.extent, d), countImprecise(db, current, keys), countImprecise(db, baseline, keys)]);
  const pc = publishedCounts(grid.cells, cur, d), pb = publishedCounts(grid.cells, base, d);
  const cc = pc.analysed, bc = pb.analysed;
  const currentDays = days(p), baselineDays = days(bp);
  const o2 = { ...o, currentDays, baselineDays };
  // both periods in one worker job (the neighbourhoods are found once)
  const [now, before] = (await analyseManyInWorker(db, grid.cells, [cc, bc], s, o.alpha, o.distanceBand, [pc.bounds, pb.bounds]))
    .map((run, m) => run.map((c, k) => Object.assign(c, { count: (m ? pb : pc).published[k] })));
  const isHot = (c: HotspotCell) => c.class.startsWith('hot');
  const both = now.map((c, k) => isHot(c) && isHot(before[k]));
  const tested = now.map((_c, k) => (both[k] ? poissonChangeP(cc[k], bc[k], o2.currentDays, o2.baselineDays) : null));
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
      const rising = cc[k] / o2.currentDays > bc[k] / o2.baselineDays;
      trend = pa <= o.alpha ? (rising ? 'intensifying' : 'diminishing') : 'persistent';
    }
    return { ...c, baselineCount: b.count, baselineClass: b.class, baselineGiZ: b.giZ, trend, pChange: tested[k], pChangeAdjusted: adjusted.get(k) ?? null };
  });
  const inCells = (m: typeof cur) => sumCounts(grid.cells.flatMap((c) => m.get(`${c.i},${c.j}`) ?? []));
  const t = inCells(cur), bt = inCells(base);
  return {
    cells, n: d.count(t.n, t.ks), baselineN: d.count(bt.n, bt.ks), imprecise: d.count(imp.n, imp.ks), baselineImprecise: d.count(bimp.n, bimp.ks),
    period: { ...p, days: currentDays }, baseline: { ...bp, days: baselineDays },
  };
}
