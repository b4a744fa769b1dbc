// The published value of a count, for every public output: counts below k are not told apart from zero (null,
// "fewer than k"), larger ones get a noise of at most ±maxNoise chosen by the cell key (cell-key.ts) and are then
// rounded to a multiple of `base`; the result is never below k. So |published − true| ≤ maxNoise + ⌊base/2⌋.
// Tiles apply it in Node too (tile-service.ts), so there is one implementation.
import { cellKey } from './cell-key.js';

export type PerturbationParams = { k: number; base: number; maxNoise: number };

/** Cumulative probabilities of the noise −maxNoise … +maxNoise: a symmetric, zero-mean table (ABS-style ptable). */
export function noiseTable(maxNoise: number): number[] {
  // weights: 1 at the ends rising to 2 at 0 — flat enough that every step is likely, symmetric so the mean is 0
  const w: number[] = [];
  for (let d = -maxNoise; d <= maxNoise; d++) w.push(maxNoise === 0 ? 1 : 1 + (maxNoise - Math.abs(d)) / maxNoise);
  const s = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  return w.map((x) => (acc += x / s));
}

/** The noise for a cell key u ∈ [0, 1). */
export function noiseFor(u: number, maxNoise: number): number {
  const cum = noiseTable(maxNoise);
  for (let i = 0; i < cum.length; i++) if (u < cum[i]) return i - maxNoise;
  return maxNoise;
}

/** The smallest value a published count can take: the first multiple of base that is ≥ k. */
export function smallestPublished(p: PerturbationParams): number {
  return Math.ceil(p.k / p.base) * p.base;
}

/** The protected count (null: fewer than k, zero included). */
export function perturbCount(n: number, keySum: number, p: PerturbationParams): number | null {
  if (!(n >= p.k)) return null;
  const v = Math.max(p.k, n + noiseFor(cellKey(keySum), p.maxNoise));
  return Math.max(smallestPublished(p), Math.round(v / p.base) * p.base);
}

/** The largest difference between a published count and the true one. */
export function maxError(p: PerturbationParams): number {
  return p.maxNoise + Math.floor(p.base / 2);
}
