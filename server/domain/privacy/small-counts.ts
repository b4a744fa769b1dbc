// The primary suppression rule, shared by every public output (stats, tiles, hexbins, hotspots, OGC, reports):
// a count between 1 and k−1 is never shown to the public. 0 is shown (it reveals no one).
export function isSmallCount(n: number, k: number): boolean {
  return n > 0 && n < k;
}

/** The count as the public may see it: null when it is small. */
export function publicCount(n: number, k: number): number | null {
  return isSmallCount(n, k) ? null : n;
}
