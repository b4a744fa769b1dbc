// The survey's confidence interval for a proportion, checked by hand.
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.js';

describe('Wilson interval', () => {
  it('Wilson 50/100: centre 0.5, half-width 1.95996·√(0.0025 + 0.000096)/1.038415 = 0.096168', () => {
    const w = wilsonInterval(0.5, 100)!;
    expect(w.low).toBeCloseTo(0.5 - 0.096168, 5);
    expect(w.high).toBeCloseTo(0.5 + 0.096168, 5);
    expect(wilsonInterval(0.5, 0)).toBeNull();
  });
});
