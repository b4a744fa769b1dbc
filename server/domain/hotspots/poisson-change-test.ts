// Exact conditional test of equal Poisson rates in two periods (the test R's poisson.test does for two samples):
// given n = c1 + c0, c1 ~ Binomial(n, T1 / (T1 + T0)) under "no change", T the period lengths. Two-sided p is twice
// the smaller tail, capped at 1. Tails via the regularized incomplete beta (jstat), exact for any n.
import { createRequire } from 'node:module';

const { jStat } = createRequire(import.meta.url)('jstat') as {
  jStat: { beta: { cdf(x: number, a: number, b: number): number }; lowRegGamma(a: number, x: number): number };
};

/** P(X ≥ k) for X ~ Bin(n, p). */
export function binomialUpper(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  return jStat.beta.cdf(p, k, n - k + 1);
}

/** P(X ≤ k) for X ~ Bin(n, p). */
export function binomialLower(k: number, n: number, p: number): number {
  if (k >= n) return 1;
  if (k < 0) return 0;
  return 1 - jStat.beta.cdf(p, k + 1, n - k);
}

export function poissonChangeP(current: number, baseline: number, currentDays: number, baselineDays: number): number {
  const n = current + baseline;
  if (n === 0) return 1;
  const p0 = currentDays / (currentDays + baselineDays);
  return Math.min(1, 2 * Math.min(binomialLower(current, n, p0), binomialUpper(current, n, p0)));
}

/**
 * Two-sided exact p of observing k events where `mean` are expected (Poisson): twice the smaller tail, capped at 1.
 * P(X ≥ k) = P(k, mean) and P(X ≤ k) = 1 − P(k + 1, mean), P the regularized lower incomplete gamma.
 */
export function poissonTwoSidedP(k: number, mean: number): number {
  if (!(mean > 0)) return k > 0 ? 0 : 1;
  const upper = k <= 0 ? 1 : jStat.lowRegGamma(k, mean);
  const lower = 1 - jStat.lowRegGamma(k + 1, mean);
  return Math.min(1, 2 * Math.min(upper, lower));
}
