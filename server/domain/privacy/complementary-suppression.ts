// Suppression of a vector of non-negative counts that has a published total (rows of an area set + the set total).
//
// Method (documented in every response's meta.suppression):
//  1. primary: every count 1..k−1 is hidden.
//  2. complementary: the hidden cells of one vector must not be recoverable as total − Σ visible. The published
//     total only reveals the SUM s of the hidden cells. Zeros are always shown, so an attacker knows each hidden
//     cell is ≥ 1; with m hidden cells each one lies in [1, s − (m−1)], which pins it down exactly when m = 1 or
//     when s = m (all ones). So while m < 2 or s = m, the smallest still-visible non-zero cell is hidden as well
//     (its count is ≥ k because every 1..k−1 is already hidden). This adds at most 2 cells to the primary ones.
//  3. rounding (see rounding.ts) is applied on top by the caller for differencing across requests.
// Returns, per input index, 'none' | 'primary' | 'complementary'.
import { isSmallCount } from './small-counts.js';

export type SuppressionKind = 'none' | 'primary' | 'complementary';

export function suppressVector(counts: number[], k: number): SuppressionKind[] {
  const kinds: SuppressionKind[] = counts.map((n) => (isSmallCount(n, k) ? 'primary' : 'none'));
  const hidden = () => kinds.reduce((a, kind) => a + (kind === 'none' ? 0 : 1), 0);
  const hiddenSum = () => counts.reduce((a, n, i) => a + (kinds[i] === 'none' ? 0 : n), 0);
  if (hidden() === 0) return kinds;
  while (hidden() < 2 || hiddenSum() === hidden()) {
    let best = -1;
    for (let i = 0; i < counts.length; i++) {
      if (kinds[i] !== 'none' || counts[i] <= 0) continue;
      if (best < 0 || counts[i] < counts[best]) best = i;
    }
    if (best < 0) break; // nothing left to hide: the total itself must then be hidden by the caller
    kinds[best] = 'complementary';
  }
  return kinds;
}

/** True when, after suppressVector, the hidden cells are still recoverable from the total (caller hides the total). */
export function totalMustBeHidden(counts: number[], kinds: SuppressionKind[]): boolean {
  const m = kinds.filter((x) => x !== 'none').length;
  if (m === 0) return false;
  const s = counts.reduce((a, n, i) => a + (kinds[i] === 'none' ? 0 : n), 0);
  return m < 2 || s === m;
}
