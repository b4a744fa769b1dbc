// Two-sided p-value of a standard normal z. Uses the Chebyshev-fitted erfc of Numerical Recipes (fractional error
// < 1.2e-7 everywhere), which keeps tiny tail probabilities (z ≈ 13 → p ≈ 1e-38) instead of rounding 1 − Φ(z) to 0.
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** P(|Z| ≥ |z|) for Z ~ N(0, 1). */
export function twoSidedP(z: number): number {
  if (!Number.isFinite(z)) return Number.isNaN(z) ? 1 : 0;
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}
