// Two-proportion z-test (pooled) for the difference between two survey shares, e.g. the same indicator in two
// waves: z = (p1 − p2) / √(p̄(1−p̄)(1/n1 + 1/n2)), p̄ = (p1·n1 + p2·n2)/(n1 + n2); two-sided p-value.
import jstatPkg from 'jstat';

const { jStat } = jstatPkg;

export type TwoProportionResult = { z: number; pValue: number; significant: boolean };

export function twoProportionTest(p1: number, n1: number, p2: number, n2: number, alpha = 0.05): TwoProportionResult | null {
  if (!(n1 > 0 && n2 > 0)) return null;
  if (![p1, p2].every((p) => p >= 0 && p <= 1)) return null;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1, significant: false };
  const z = (p1 - p2) / se;
  const pValue = 2 * (1 - jStat.normal.cdf(Math.abs(z), 0, 1));
  return { z, pValue, significant: pValue < alpha };
}
