// Class breaks: the legend and the fill are built from the one Classes object, so what a user reads in the legend
// is the class an area is painted in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classOf, classRange, DIVERGING, naturalBreaks, ratioClasses, SEQUENTIAL, zClasses } from './classify.js';

describe('natural breaks', () => {
  it('puts clearly separated groups of areas in classes of their own', () => {
    const c = naturalBreaks([1, 2, 2, 3, 20, 21, 22, 80, 85], 3)!;
    expect(c.breaks).toEqual([20, 80]);
    expect([1, 3].map((v) => classOf(c, v))).toEqual([0, 0]);
    expect([20, 22].map((v) => classOf(c, v))).toEqual([1, 1]);
    expect([80, 85].map((v) => classOf(c, v))).toEqual([2, 2]);
    expect([c.min, c.max]).toEqual([1, 85]);
  });

  it('has one colour per class, from light (low) to dark (high)', () => {
    const c = naturalBreaks([1, 5, 9, 30, 31, 60, 61, 100, 140, 141], 5)!;
    expect(c.colors).toHaveLength(c.breaks.length + 1);
    expect(c.colors[0]).toBe(SEQUENTIAL[0]);
    expect(c.colors[c.colors.length - 1]).toBe(SEQUENTIAL[SEQUENTIAL.length - 1]);
  });

  it('gives fewer classes when there are fewer distinct values, never an empty class', () => {
    const two = naturalBreaks([4, 4, 4, 9, 9], 5)!;
    expect(two.breaks).toEqual([9]);
    expect(two.colors).toHaveLength(2);
    const one = naturalBreaks([7, 7, 7], 5)!;
    expect(one.breaks).toEqual([]);
    expect(one.colors).toEqual([SEQUENTIAL[2]]); // a single class takes the middle colour, not the lightest
  });

  it('ignores missing values and has no classes without any value', () => {
    expect(naturalBreaks([])).toBeNull();
    expect(naturalBreaks([NaN, Infinity])).toBeNull();
    const c = naturalBreaks([NaN, 2, 4, Infinity])!;
    expect([c.min, c.max]).toEqual([2, 4]);
  });

  it('every value falls in a class whose legend range holds it, and larger values never fall in lower classes', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (vals, n) => {
      const c = naturalBreaks(vals, n)!;
      expect(c.breaks.length + 1).toBeLessThanOrEqual(n);
      const sorted = [...vals].sort((a, b) => a - b);
      let prev = 0;
      for (const v of sorted) {
        const i = classOf(c, v);
        expect(i).toBeGreaterThanOrEqual(prev);
        prev = i;
        const [lo, hi] = classRange(c, i);
        expect(v >= lo && (v < hi || (i === c.breaks.length && v <= hi))).toBe(true);
      }
      // each class holds at least one of the values (the legend shows no empty class)
      expect(new Set(vals.map((v) => classOf(c, v))).size).toBe(c.breaks.length + 1);
    }));
  });
});

describe('the legend ranges', () => {
  it('meet without gaps from the smallest to the largest value', () => {
    const c = naturalBreaks([1, 2, 10, 11, 30, 31], 3)!;
    const ranges = c.colors.map((_, i) => classRange(c, i));
    expect(ranges[0][0]).toBe(1);
    expect(ranges[ranges.length - 1][1]).toBe(31);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBe(ranges[i - 1][1]);
  });
});

describe('change and divergence classes', () => {
  it('centre the change on "no change": ±5 % is the neutral middle class, falls blue and rises red', () => {
    const c = ratioClasses();
    expect(c.colors).toEqual(DIVERGING);
    expect(classOf(c, 1)).toBe(2);
    expect(classOf(c, 0.96)).toBe(2);
    expect(classOf(c, 1.04)).toBe(2);
    expect(classOf(c, 0.5)).toBe(0);
    expect(classOf(c, 0.9)).toBe(1);
    expect(classOf(c, 1.1)).toBe(3);
    expect(classOf(c, 3)).toBe(4);
  });

  it('read z-scores by half standard deviations around 0', () => {
    const c = zClasses();
    expect([-2, -0.7, 0, 0.7, 2].map((z) => classOf(c, z))).toEqual([0, 1, 2, 3, 4]);
  });
});
