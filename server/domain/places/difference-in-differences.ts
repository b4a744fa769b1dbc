// Difference-in-differences as a rate ratio: how the place's incident rate changed relative to the control's,
//   RR = (T1 / T0) ÷ (C1 / C0)   (after/before inside ÷ after/before in the control area),
// with a 95 % Wald interval on the log scale, log RR ± 1.96·√(1/T1 + 1/T0 + 1/C1 + 1/C0) (Poisson counts, the
// four counts independent). Period lengths cancel out of the ratio, so unequal before/after periods need no
// correction here. Zeros: if any of the four counts is 0, 0.5 is added to all four (Haldane–Anscombe), which keeps
// the ratio finite and the interval honest (wide); `corrected` says when that happened. RR < 1 means the place
// improved relative to the control; the change is called significant only when the interval excludes 1.
import jstatPkg from 'jstat';

const { jStat } = jstatPkg;

export type DidCounts = { after: number; before: number; controlAfter: number; controlBefore: number };
export type DidRateRatio = {
  ratio: number; ciLow: number; ciHigh: number; logSe: number; pValue: number;
  significant: boolean; direction: 'down' | 'up' | 'none'; corrected: boolean;
};

export function didRateRatio(c: DidCounts, confidence = 0.95): DidRateRatio {
  const xs = [c.after, c.before, c.controlAfter, c.controlBefore];
  if (!xs.every((x) => Number.isFinite(x) && x >= 0)) throw new RangeError(`didRateRatio: counts must be finite and ≥ 0, got ${xs.join(', ')}`);
  const corrected = xs.some((x) => x === 0);
  const [a, b, ca, cb] = corrected ? xs.map((x) => x + 0.5) : xs;
  const logRr = Math.log(a) - Math.log(b) - (Math.log(ca) - Math.log(cb));
  const logSe = Math.sqrt(1 / a + 1 / b + 1 / ca + 1 / cb);
  const z = jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1);
  const ciLow = Math.exp(logRr - z * logSe);
  const ciHigh = Math.exp(logRr + z * logSe);
  const pValue = 2 * (1 - jStat.normal.cdf(Math.abs(logRr / logSe), 0, 1));
  const significant = ciHigh < 1 || ciLow > 1;
  return {
    ratio: Math.exp(logRr), ciLow, ciHigh, logSe, pValue, significant,
    direction: !significant ? 'none' : ciHigh < 1 ? 'down' : 'up', corrected,
  };
}
