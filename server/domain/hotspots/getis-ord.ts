// Getis-Ord Gi* (Getis & Ord 1992; Ord & Getis 1995) with binary weights and the cell itself included:
//   Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / ( S · sqrt( (n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1) ) )
// where X̄ is the mean of all n cells and S = sqrt(Σ x_j² / n − X̄²). With binary weights Σ w² = Σ w = the size
// of the neighbourhood. The result is a z-score: large positive = the neighbourhood holds more than chance.
// Degenerate input (fewer than 2 cells, or all counts equal so S = 0) gives z = 0 for every cell: nothing stands out.

/** neighbours[i] lists the indices j ≠ i in cell i's neighbourhood (the cell itself is always added). */
export function getisOrdGiStar(counts: readonly number[], neighbours: readonly (readonly number[])[]): number[] {
  const n = counts.length;
  if (n < 2) return counts.map(() => 0);
  let sum = 0;
  let sumSq = 0;
  for (const x of counts) { sum += x; sumSq += x * x; }
  const mean = sum / n;
  const s = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  if (!(s > 1e-12)) return counts.map(() => 0);
  const z: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let local = counts[i];
    for (const j of neighbours[i]) local += counts[j];
    const w = neighbours[i].length + 1; // Σ w_ij = Σ w_ij² with binary weights, self included
    const denomSq = (n * w - w * w) / (n - 1);
    z[i] = denomSq > 0 ? (local - mean * w) / (s * Math.sqrt(denomSq)) : 0;
  }
  return z;
}
