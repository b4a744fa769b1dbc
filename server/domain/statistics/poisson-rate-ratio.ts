// The change between two periods as a rate ratio with an exact 95 % CI (the method of R's poisson.test for two
// samples). Given the total n = c1 + c0, the current count is binomial: c1 | n ~ Bin(n, p) with
// p = θ·T1 / (θ·T1 + T0), where θ is the rate ratio and T1, T0 the exposures (population × period length; the
// periods are equally long, so population alone when it is known per year, else 1 each). A Clopper–Pearson
// interval for p maps to θ = p/(1−p) · T0/T1, a monotone transform, so the bounds carry over exactly.
// Zero counts: c1 = c0 = 0 → no ratio, no interval; c0 = 0 < c1 → ratio and upper bound are infinite (null);
// c1 = 0 < c0 → ratio 0, lower bound 0. `significant` is true only when the interval excludes 1.
import { clopperPearson } from './clopper-pearson.js';

export type RateRatio = { ratio: number | null; ciLow: number | null; ciHigh: number | null; significant: boolean };

export function poissonRateRatio(c1: number, c0: number, exposure1 = 1, exposure0 = 1, confidence = 0.95): RateRatio {
  if (!(exposure1 > 0) || !(exposure0 > 0)) return { ratio: null, ciLow: null, ciHigh: null, significant: false };
  const n = c1 + c0;
  if (n === 0) return { ratio: null, ciLow: null, ciHigh: null, significant: false };
  const scale = exposure0 / exposure1;
  const toTheta = (p: number): number | null => (p >= 1 ? null : (p / (1 - p)) * scale);
  const { low, high } = clopperPearson(c1, n, confidence);
  const ratio = c0 === 0 ? null : (c1 / c0) * scale;
  const ciLow = toTheta(low) ?? null;
  const ciHigh = toTheta(high);
  const significant = (ciLow !== null && ciLow > 1) || (ciHigh !== null && ciHigh < 1);
  return { ratio, ciLow, ciHigh, significant };
}
