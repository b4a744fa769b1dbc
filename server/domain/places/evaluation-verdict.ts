// The verdict of a before/after evaluation, from the tests only — it never claims more than they support:
// - displacement-suspected: the place fell relative to the control (DiD rate ratio < 1) while the buffer ring
//   rose significantly relative to the control (the buffer's DiD 95 % CI lies above 1). A suspicion, not proof:
//   the buffer may have risen for other reasons.
// - improved: the place's DiD rate ratio has its 95 % CI entirely below 1 (and no displacement is suspected).
// - worsened: the place's DiD rate ratio has its 95 % CI entirely above 1.
// - no-detectable-change: anything else, including too little data to test (no incidents at all, or none in the
//   control area in one of the periods, or no data at all in a period) — `reason` says which.
import { didRateRatio, type DidRateRatio } from './difference-in-differences.js';
import type { RegionCounts } from './weighted-displacement.js';

export const VERDICTS = ['improved', 'no-detectable-change', 'worsened', 'displacement-suspected'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VERDICT_REASONS = ['tested', 'no-incidents', 'no-control-incidents', 'no-data-in-period'] as const;
export type VerdictReason = (typeof VERDICT_REASONS)[number];

export type VerdictResult = { verdict: Verdict; reason: VerdictReason; place: DidRateRatio | null; buffer: DidRateRatio | null };

export function decideVerdict(T: RegionCounts, D: RegionCounts, C: RegionCounts): VerdictResult {
  if (C.before === 0 || C.after === 0) return { verdict: 'no-detectable-change', reason: 'no-control-incidents', place: null, buffer: null };
  const place = didRateRatio({ after: T.after, before: T.before, controlAfter: C.after, controlBefore: C.before });
  const buffer = didRateRatio({ after: D.after, before: D.before, controlAfter: C.after, controlBefore: C.before });
  if (T.before + T.after + D.before + D.after === 0) return { verdict: 'no-detectable-change', reason: 'no-incidents', place, buffer };
  if (place.ratio < 1 && buffer.ciLow > 1) return { verdict: 'displacement-suspected', reason: 'tested', place, buffer };
  if (place.ciHigh < 1) return { verdict: 'improved', reason: 'tested', place, buffer };
  if (place.ciLow > 1) return { verdict: 'worsened', reason: 'tested', place, buffer };
  return { verdict: 'no-detectable-change', reason: 'tested', place, buffer };
}
