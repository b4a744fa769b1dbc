// Rounding of published counts to a base (the public and staff view). Rounding is what protects against
// differencing ACROSS requests (period A vs A+1 day, category set A vs A+B, one area set vs another): two
// rounded figures never differ by an exact small count. Counts 1..k−1 are suppressed before rounding, so a
// rounded count is ≥ base/2 away from revealing a small number. 0 stays 0 (it reveals no one).
export function roundToBase(n: number, base: number): number {
  if (base <= 1) return n;
  return Math.round(n / base) * base;
}

/** A fractional (aoristically weighted) value rounded the same way; values below k are suppressed by the caller. */
export function roundWeightToBase(x: number, base: number): number {
  return base <= 1 ? Math.round(x * 100) / 100 : Math.round(x / base) * base;
}
