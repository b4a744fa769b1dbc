// What /api/hotspots and /api/hotspots/compare publish of an analysis (compute-hotspots.ts, compare-hotspots.ts):
// meta — the method, the neighbourhood, FDR, the period analysed, the filter, what the counts leave out, the
// disclosure control — and each cell's published properties, in the shapes of hotspots-schema.ts.
import type { Source } from '../../../shared/sources.js';
import { daysBetween } from '../../../shared/dates.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import type { Period } from '../period/period-schema.js';
import type { CompareCell, CompareResult } from './compare-hotspots.js';
import type { HotspotCell, HotspotResult } from './compute-hotspots.js';
import { TRENDS, type CompareCellOut, type CompareMeta, type HotspotCellOut, type HotspotsMeta } from './hotspots-schema.js';

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

/** The analysis as asked for: the study area, grid, FDR level and incident filter (from/to as given, if given). */
export type HotspotAsk = { areaSet: string; cellSize: number; alpha: number; source: Source; categories: string[] | null; from?: string; to?: string };

/** meta of a hot spot analysis; `asked` is the period resolved from the request, before the public grid widened it. */
export function hotspotsMeta(r: HotspotResult, q: HotspotAsk, asked: Period, d: Disclosure): HotspotsMeta {
  const period = { ...r.period, days: daysBetween(r.period.from, r.period.to) };
  return {
    method: 'Getis-Ord Gi* (binary weights, the cell itself included); p = the larger of the two-sided normal p of Gi* and the exact Poisson p of the neighbourhood sum (guards sparse counts)' +
      (d.exact ? '' : '; computed from the published (protected) counts, cells below k counted as 0'),
    neighbourhood: r.neighbourhood, distanceBand: round(r.band, 2),
    fdr: { method: 'Benjamini-Hochberg', over: r.cells.length, alpha: q.alpha },
    alpha: q.alpha,
    classes: 'hot/cold-99|95|90: pAdjusted ≤ 0.01|0.05|0.10 (and ≤ alpha), sign of giZ',
    cells: r.cells.length, n: r.n,
    significant: { hot: r.cells.filter((c) => c.class.startsWith('hot')).length, cold: r.cells.filter((c) => c.class.startsWith('cold')).length },
    period, source: q.source, categories: q.categories, areaSet: q.areaSet,
    cellSize: q.cellSize, grid: 'ST_HexagonGrid in EPSG:3006 (edge length = cellSize), aligned to the CRS origin; geometry served in WGS84',
    counts: `exact points only; ${r.imprecise ?? `fewer than ${d.k}`} incident(s) of this filter known only to an area are never placed in a cell` +
      (r.outsideCells ? `; ${r.outsideCells} point(s) outside the study area's cells` : '') +
      (!r.n && r.imprecise ? '; no incident of this filter has an exact location (police events are placed only by their text), so every count is 0 and no hot spot can be found — see /api/stats for their areas' : ''),
    imprecise: r.imprecise,
    requestedPeriod: q.from && q.to && (asked.from !== period.from || asked.to !== period.to) ? asked : null,
    disclosure: d.method,
    suppression: d.exact ? null : d.method.description,
  };
}

/** A cell as published: its grid position, published count, Gi* (4 decimals), p-values, class and neighbourhood size. */
export function hotspotCell(c: HotspotCell): HotspotCellOut {
  return { i: c.i, j: c.j, count: c.count, giZ: round(c.giZ), p: c.p, pAdjusted: c.pAdjusted, class: c.class, neighbours: c.neighbours };
}

/** meta of a comparison of two periods. */
export function compareMeta(r: CompareResult, q: HotspotAsk, d: Disclosure): CompareMeta {
  const tally = Object.fromEntries(TRENDS.map((t) => [t, r.cells.filter((c) => c.trend === t).length])) as CompareMeta['trends'];
  return {
    method: 'Gi* + Benjamini–Hochberg per period; change of hot cells by exact conditional Poisson test (rates per day), BH over the cells hot in both',
    definitions: {
      new: 'hot now, not hot in the baseline', gone: 'hot in the baseline, not hot now',
      intensifying: 'hot in both, count per day rose significantly', diminishing: 'hot in both, count per day fell significantly',
      persistent: 'hot in both, no significant change', none: 'hot in neither period',
    },
    alpha: q.alpha, period: r.period, baseline: r.baseline, cells: r.cells.length, n: r.n, baselineN: r.baselineN, trends: tally,
    source: q.source, categories: q.categories, areaSet: q.areaSet, cellSize: q.cellSize,
    counts: `exact points only; ${r.imprecise ?? `fewer than ${d.k}`} (current) and ${r.baselineImprecise ?? `fewer than ${d.k}`} (baseline) incident(s) known only to an area are left out`,
    disclosure: d.method,
    suppression: d.exact ? null : d.method.description,
  };
}

/** A compared cell as published: trend, both classes, counts and Gi* (4 decimals), and the tests of the change. */
export function compareCell(c: CompareCell): CompareCellOut {
  return {
    i: c.i, j: c.j, trend: c.trend, class: c.class, baselineClass: c.baselineClass,
    count: c.count, baselineCount: c.baselineCount,
    giZ: round(c.giZ), baselineGiZ: round(c.baselineGiZ), pAdjusted: c.pAdjusted, pChange: c.pChange, pChangeAdjusted: c.pChangeAdjusted,
  };
}
