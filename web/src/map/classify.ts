// Class breaks for the choropleth and the density layer: natural breaks (Ckmeans, simple-statistics). The legend and
// the fill are both built from the one Classes object, so the legend's classes are exactly the fill's.
import { ckmeans } from 'simple-statistics';

export type Classes = { breaks: number[]; colors: string[]; min: number; max: number };

export const SEQUENTIAL = ['#fef0d9', '#fdcc8a', '#fc8d59', '#e34a33', '#b30000'];
export const DIVERGING = ['#2166ac', '#67a9cf', '#f7f7f7', '#ef8a62', '#b2182b'];

/**
 * Up to `n` classes. breaks[i] is the lower bound of class i+1 (class 0 starts at min), i.e. a value v is in class
 * #{ b in breaks : v >= b }. Fewer classes when there are fewer distinct values.
 */
export function naturalBreaks(values: number[], n = 5, palette = SEQUENTIAL): Classes | null {
  const v = values.filter((x) => Number.isFinite(x));
  if (!v.length) return null;
  const distinct = new Set(v).size;
  const k = Math.max(1, Math.min(n, distinct));
  const clusters = ckmeans(v, k);
  const breaks = clusters.slice(1).map((c) => c[0]);
  const colors = pickColors(palette, k);
  return { breaks, colors, min: Math.min(...v), max: Math.max(...v) };
}

/** Classes for ratios centred on 1 (change): symmetric in log space. */
export function ratioClasses(): Classes {
  return { breaks: [0.8, 0.95, 1.05, 1.25], colors: DIVERGING, min: 0, max: Infinity };
}

/** z-score classes for divergence. */
export function zClasses(): Classes {
  return { breaks: [-1, -0.5, 0.5, 1], colors: DIVERGING, min: -Infinity, max: Infinity };
}

export function classOf(c: Classes, v: number): number {
  let i = 0;
  while (i < c.breaks.length && v >= c.breaks[i]) i++;
  return i;
}

function pickColors(palette: string[], k: number): string[] {
  if (k >= palette.length) return palette.slice(0, k);
  if (k === 1) return [palette[Math.floor(palette.length / 2)]];
  return Array.from({ length: k }, (_, i) => palette[Math.round((i * (palette.length - 1)) / (k - 1))]);
}

/** The class's value range for the legend: [lower, upper) */
export function classRange(c: Classes, i: number): [number, number] {
  return [i === 0 ? c.min : c.breaks[i - 1], i < c.breaks.length ? c.breaks[i] : c.max];
}
