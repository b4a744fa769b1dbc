import { describe, expect, it } from 'vitest';
import { partitionOf, surveySuppression, type GroupRespondents } from './survey-suppression.js';

const g = (spec: Record<string, number>): GroupRespondents[] => Object.entries(spec).map(([group, respondents]) => ({ group, respondents }));
const hidden = (spec: Record<string, number>, min = 30) => Object.fromEntries(surveySuppression(g(spec), min));

/** Brute force: no set of hidden groups of a partition below min is 'all' minus visible groups. */
function safe(spec: Record<string, number>, min = 30): boolean {
  const h = surveySuppression(g(spec), min);
  if (h.has('all')) return Object.keys(spec).every((x) => h.has(x));
  for (const part of ['sex', 'age']) {
    const members = Object.keys(spec).filter((x) => partitionOf(x) === part);
    const hid = members.filter((x) => h.has(x));
    // the only derivable hidden set is all of the partition's hidden groups together (each smaller set needs a hidden value)
    if (hid.length && hid.length < members.length && hid.reduce((s, x) => s + spec[x], 0) < min) return false;
  }
  return true;
}

describe('survey suppression', () => {
  it('knows the partitions', () => {
    expect(['all', 'female', 'male', '16-29', '85+', 'x'].map(partitionOf)).toEqual(['all', 'sex', 'sex', 'age', 'age', 'other:x']);
  });

  it('hides nothing when every group is large enough', () => {
    expect(hidden({ all: 400, female: 200, male: 200, '16-29': 100, '30-44': 300 })).toEqual({});
  });

  it('a small sex group hides the other one: all − other would give it away', () => {
    expect(hidden({ all: 212, female: 190, male: 22 })).toEqual({ male: 'primary', female: 'complementary' });
  });

  it('two small age bands (27 together) hide the smallest visible band; the pool then holds ≥ 30', () => {
    expect(hidden({ all: 212, '16-29': 12, '30-44': 15, '45-64': 100, '65-84': 85 })).toEqual({ '16-29': 'primary', '30-44': 'primary', '65-84': 'complementary' });
  });

  it('a primary pool already at the minimum needs no complement', () => {
    expect(hidden({ all: 300, '16-29': 16, '30-44': 14, '45-64': 100, '65-84': 170 })).toEqual({ '16-29': 'primary', '30-44': 'primary' });
    expect(hidden({ all: 300, '16-29': 29, '30-44': 271 }, 29)).toEqual({});
  });

  it('keeps hiding until the pool reaches the minimum, smallest first, ties by code', () => {
    expect(hidden({ all: 100, '16-29': 5, '30-44': 10, '45-64': 10, '65-84': 75 })).toEqual({
      '16-29': 'primary', '30-44': 'primary', '45-64': 'primary', '65-84': 'complementary',
    });
    expect(hidden({ all: 100, '16-29': 5, '30-44': 40, '45-64': 40, '65-84': 15 })).toEqual({ '16-29': 'primary', '65-84': 'primary', '30-44': 'complementary' });
  });

  it('partitions are independent: a small age band does not hide a sex group', () => {
    expect(hidden({ all: 212, female: 110, male: 102, '16-29': 10, '30-44': 202 })).toEqual({ '16-29': 'primary', '30-44': 'complementary' });
  });

  it("'all' below the minimum hides every group", () => {
    expect(hidden({ all: 25, female: 14, male: 11, '16-29': 25 })).toEqual({ all: 'primary', female: 'primary', male: 'primary', '16-29': 'primary' });
    // inconsistent data (groups larger than 'all'): still every group hidden
    expect(hidden({ all: 20, female: 40, male: 45 })).toEqual({ all: 'primary', female: 'complementary', male: 'complementary' });
  });

  it('a single-group partition hidden on its own is safe (nothing to subtract)', () => {
    expect(hidden({ all: 800, female: 420, male: 380, '16-29': 25 })).toEqual({ '16-29': 'primary' });
  });

  it('is safe for many random partitions (brute force check of the rule)', () => {
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let i = 0; i < 2000; i++) {
      const spec: Record<string, number> = {};
      const sex = [rnd(60), rnd(60)];
      spec.female = sex[0]; spec.male = sex[1];
      const bands = ['16-29', '30-44', '45-64', '65-84', '85+'].slice(0, 1 + rnd(5));
      for (const b of bands) spec[b] = rnd(50);
      spec.all = sex[0] + sex[1];
      expect(safe(spec), JSON.stringify(spec)).toBe(true);
    }
  });
});
