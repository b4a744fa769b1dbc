// The status of a SMART goal, from its baseline, target and the latest measurement (pure; see goal-values.ts for
// how the values are measured). Statuses:
// - no-baseline: the baseline could not be measured (no data covering the baseline period, or no survey wave).
// - too-early:  no full measurement after the baseline yet (incidents: less than one baseline-long window of data
//               after the baseline period; survey: no wave after the baseline wave).
// - met / missed: the data reach the deadline (incidents: the data cover the deadline day; survey: a wave of the
//               deadline's year exists, or the deadline has passed) and the latest value reached / did not reach
//               the target. "Reached" is descriptive: whether the change from the baseline is larger than chance
//               is reported beside it (changeFromBaseline.significant), never folded into "met".
// - on-track / off-track: before the deadline, the latest value is at or better than / worse than the straight
//               line from the baseline (at the end of the baseline period) to the target (at the deadline).
// Direction: the goal's own `direction` when given, else the indicator's natural one (fewer incidents; for a survey
// indicator, down when higher-is-worse, up when higher-is-better). It is never guessed from target vs baseline:
// "at most 10 a year" from a baseline of 3 is a goal to stay low, not to rise.
export const GOAL_STATUSES = ['no-baseline', 'too-early', 'on-track', 'off-track', 'met', 'missed'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];
export const GOAL_DIRECTIONS = ['decrease', 'increase'] as const;
export type GoalDirection = (typeof GOAL_DIRECTIONS)[number];

export function goalDirection(explicit: GoalDirection | undefined, natural: GoalDirection): GoalDirection {
  return explicit ?? natural;
}

export type GoalStatusInput = {
  baseline: number | null; target: number; current: number | null; direction: GoalDirection;
  /** The measurement is the final one (the data reach the deadline). */
  final: boolean;
  /** How far from the baseline's end to the deadline the measurement lies, 0..1. */
  progress: number;
};

export function goalStatus(x: GoalStatusInput): { status: GoalStatus; expectedNow: number | null } {
  if (x.baseline === null) return { status: 'no-baseline', expectedNow: null };
  if (x.current === null) return { status: 'too-early', expectedNow: null };
  const better = (a: number, b: number) => (x.direction === 'decrease' ? a <= b : a >= b);
  if (x.final) return { status: better(x.current, x.target) ? 'met' : 'missed', expectedNow: x.target };
  const p = Math.min(1, Math.max(0, x.progress));
  const expectedNow = x.baseline + (x.target - x.baseline) * p;
  return { status: better(x.current, expectedNow) ? 'on-track' : 'off-track', expectedNow };
}
