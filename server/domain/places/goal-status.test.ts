// A place goal's status: met, missed, on or off track against the straight line from baseline to target.
import { describe, expect, it } from 'vitest';
import { goalDirection, goalStatus } from './goal-status.js';

describe('goal status', () => {
  it('takes the goal\'s own direction, else the indicator\'s — never a guess from target vs baseline', () => {
    expect(goalDirection(undefined, 'decrease')).toBe('decrease');
    expect(goalDirection('increase', 'decrease')).toBe('increase');
    expect(goalDirection(undefined, 'increase')).toBe('increase');
    // "at most 10" from a baseline of 3 stays a goal to decrease: already met if the data stay low
    expect(goalStatus({ baseline: 3, target: 10, current: 4, direction: goalDirection(undefined, 'decrease'), final: true, progress: 1 }).status).toBe('met');
  });

  it('is met, missed, on or off track, too early or without baseline', () => {
    const g = { baseline: 40, target: 32, direction: 'decrease' as const };
    expect(goalStatus({ ...g, current: 30, final: true, progress: 1 }).status).toBe('met');
    expect(goalStatus({ ...g, current: 32, final: true, progress: 1 }).status).toBe('met');
    expect(goalStatus({ ...g, current: 33, final: true, progress: 1 }).status).toBe('missed');
    // half-way to the deadline the straight line says 36
    expect(goalStatus({ ...g, current: 36, final: false, progress: 0.5 })).toEqual({ status: 'on-track', expectedNow: 36 });
    expect(goalStatus({ ...g, current: 37, final: false, progress: 0.5 }).status).toBe('off-track');
    expect(goalStatus({ ...g, current: null, final: false, progress: 0 }).status).toBe('too-early');
    expect(goalStatus({ ...g, baseline: null, current: 30, final: true, progress: 1 }).status).toBe('no-baseline');
    const up = { baseline: 0.5, target: 0.7, direction: 'increase' as const };
    expect(goalStatus({ ...up, current: 0.71, final: true, progress: 1 }).status).toBe('met');
    expect(goalStatus({ ...up, current: 0.55, final: false, progress: 0.5 }).status).toBe('off-track');
  });
});
