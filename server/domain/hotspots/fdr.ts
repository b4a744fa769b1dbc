// Benjamini–Hochberg (1995) adjusted p-values ("q-values" in the step-up sense): p_adj(k) = min_{m ≥ k} (n/m · p_(m)),
// capped at 1, over all n tests. A test is a discovery at FDR level q when p_adj ≤ q. Valid under independence and
// positive regression dependence, which overlapping Gi* neighbourhoods of counts satisfy (they share positive terms).
export function benjaminiHochberg(p: readonly number[]): number[] {
  const n = p.length;
  const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const adj: number[] = new Array(n);
  let running = 1;
  for (let k = n - 1; k >= 0; k--) {
    const [pv, i] = order[k];
    running = Math.min(running, (pv * n) / (k + 1));
    adj[i] = Math.min(1, running);
  }
  return adj;
}
