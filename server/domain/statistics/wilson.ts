// Wilson score interval for a share p̂ from n respondents (better than the normal approximation near 0 or 1 and
// for small n): centre (p̂ + z²/2n)/(1 + z²/n), half-width z·√(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n).
import jstatPkg from 'jstat';

const { jStat } = jstatPkg;

export function wilsonInterval(share: number, n: number, confidence = 0.95): { low: number; high: number } | null {
  if (!(n > 0) || !(share >= 0 && share <= 1)) return null;
  const z = jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1);
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (share + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
