// Exact (Clopper–Pearson) confidence interval for a binomial proportion x/n, from the beta distribution:
//   lower = B⁻¹(α/2; x, n−x+1)   (0 when x = 0)
//   upper = B⁻¹(1−α/2; x+1, n−x) (1 when x = n)
import jstatPkg from 'jstat';

const { jStat } = jstatPkg;

export function clopperPearson(x: number, n: number, confidence = 0.95): { low: number; high: number } {
  if (!Number.isInteger(x) || !Number.isInteger(n) || x < 0 || n < 0 || x > n) throw new RangeError(`clopperPearson: need integers 0 ≤ x ≤ n, got x=${x}, n=${n}`);
  if (n === 0) return { low: 0, high: 1 };
  const a = 1 - confidence;
  const low = x === 0 ? 0 : jStat.beta.inv(a / 2, x, n - x + 1);
  const high = x === n ? 1 : jStat.beta.inv(1 - a / 2, x + 1, n - x);
  return { low, high };
}
