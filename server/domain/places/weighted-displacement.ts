// The Weighted Displacement Difference (Wheeler & Ratcliffe 2018, "A simple weighted displacement difference test
// to evaluate place based crime interventions", Crime Science 7:11) and the Weighted Displacement Quotient
// (Bowers & Johnson 2003, "Measuring the geographical displacement and diffusion of benefit effects of crime
// prevention activity", J. Quant. Criminology 19:275).
//
// Notation: T = the place (treated area), D = the displacement buffer ring around it, C = the control area;
// index 0 = before, 1 = after.
//
// WDD = ΔT − ΔC_T + ΔD − ΔC_D, where Δ = after − before and C_T, C_D are the control rescaled to the place and to
// the buffer. Negative = fewer incidents in the place and its surroundings than the control's trend predicts
// (a net benefit); positive = a net loss. Its variance under the Poisson assumption is the sum of the (weighted)
// counts, and z = WDD / √Var is compared with the normal distribution (two-sided).
//
// Our weights (documented, because the control is one large area, not a look-alike of the place):
// - time: the before counts are scaled by r = daysAfter / daysBefore, so everything is in "incidents per after
//   period" (Wheeler's time weights);
// - size: the one control area serves both the place and the buffer; its change is scaled to each by the ratio
//   of before-counts, kT = T0/C0 and kD = D0/C0 (so a common proportional trend gives WDD ≈ 0 even when the place
//   is a hot spot with a far higher density than the control). When a before-count is 0 the area ratio is used.
//   The weights are treated as fixed (as in Wheeler & Ratcliffe); with a control of hundreds of incidents their
//   own sampling error is small.
// - the control enters once with weight (kT + kD), so its variance is (kT + kD)²·(C1 + r²C0), not the
//   understated kT²·… + kD²·… one would get by treating it as two independent controls.
//
// WDQ = (D1/C1 − D0/C0) / (T1/C1 − T0/C0) (displacement measure ÷ success measure). It is only defined when the
// success measure is negative (the place improved relative to the control): then WDQ > 0 means a diffusion of
// benefits into the buffer, WDQ < 0 displacement into it, and WDQ < −1 more displaced than was gained.
import jstatPkg from 'jstat';
import type { WddResult, WdqResult } from './weighted-displacement-schema.js';

const { jStat } = jstatPkg;

export type RegionCounts = { before: number; after: number };
export type WddInput = {
  place: RegionCounts; buffer: RegionCounts; control: RegionCounts;
  daysBefore: number; daysAfter: number;
  /** Areas in m², used for the size weights only when a before-count is 0. */
  areas: { place: number; buffer: number; control: number };
};
export type { WddResult, WdqResult };

function sizeWeight(before: number, controlBefore: number, area: number, controlArea: number): { k: number; basis: 'counts' | 'area' } {
  if (before > 0 && controlBefore > 0) return { k: before / controlBefore, basis: 'counts' };
  return { k: controlArea > 0 ? area / controlArea : 0, basis: 'area' };
}

export function weightedDisplacementDifference(x: WddInput, confidence = 0.95): WddResult {
  if (!(x.daysBefore > 0 && x.daysAfter > 0)) throw new RangeError('weightedDisplacementDifference: both periods need at least one day');
  const r = x.daysAfter / x.daysBefore;
  const { place: T, buffer: D, control: C } = x;
  const wT = sizeWeight(T.before, C.before, x.areas.place, x.areas.control);
  const wD = sizeWeight(D.before, C.before, x.areas.buffer, x.areas.control);
  const dT = T.after - r * T.before;
  const dD = D.after - r * D.before;
  const dC = C.after - r * C.before;
  const varC = C.after + r * r * C.before;
  const local = dT - wT.k * dC;
  const displacement = dD - wD.k * dC;
  const wdd = local + displacement;
  const localVar = T.after + r * r * T.before + wT.k * wT.k * varC;
  const dispVar = D.after + r * r * D.before + wD.k * wD.k * varC;
  const variance = T.after + r * r * T.before + D.after + r * r * D.before + (wT.k + wD.k) ** 2 * varC;
  const se = Math.sqrt(variance);
  const zc = jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1);
  const z = se > 0 ? wdd / se : 0;
  const pValue = se > 0 ? 2 * (1 - jStat.normal.cdf(Math.abs(z), 0, 1)) : 1;
  return {
    local, localSe: Math.sqrt(localVar), displacement, displacementSe: Math.sqrt(dispVar),
    wdd, se, z, pValue, ciLow: wdd - zc * se, ciHigh: wdd + zc * se, significant: se > 0 && Math.abs(z) > zc,
    weights: { timeRatio: r, placeToControl: wT.k, bufferToControl: wD.k, basis: { place: wT.basis, buffer: wD.basis } },
  };
}

export function weightedDisplacementQuotient(T: RegionCounts, D: RegionCounts, C: RegionCounts): WdqResult {
  if (!(C.before > 0 && C.after > 0)) return { successMeasure: null, displacementMeasure: null, wdq: null, interpretation: 'not-defined' };
  const success = T.after / C.after - T.before / C.before;
  const disp = D.after / C.after - D.before / C.before;
  if (!(success < 0)) return { successMeasure: success, displacementMeasure: disp, wdq: null, interpretation: 'not-defined' };
  const wdq = disp / success;
  const interpretation = wdq > 0 ? 'diffusion-of-benefits' : wdq < -1 ? 'displacement-exceeds-benefit' : wdq < 0 ? 'displacement' : 'no-change-in-buffer';
  return { successMeasure: success, displacementMeasure: disp, wdq, interpretation };
}
