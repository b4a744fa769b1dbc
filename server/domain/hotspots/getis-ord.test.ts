// Gi*, BH and the hexagon grid as pure functions: hand-computed values on a tiny grid, and the two properties a
// user relies on — a dense cluster on a uniform background is hot, uniform noise has no significant cell after FDR.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { classify } from './classify.js';
import { analyseCells } from './compute-hotspots.js';
import { benjaminiHochberg } from './fdr.js';
import { getisOrdGiStar } from './getis-ord.js';
import { hexCellOf, hexCentre, hexRing, neighboursWithin } from './hex-grid.js';
import { twoSidedP } from './normal-tail.js';
import { poissonChangeP, poissonTwoSidedP } from './poisson-change-test.js';

function poisson(rng: () => number, lambda: number): number {
  // Knuth: fine for the small means used here
  const l = Math.exp(-lambda);
  let k = 0, p = 1;
  do { k++; p *= rng(); } while (p > l);
  return k - 1;
}

function squareOfHexes(cols: number, rows: number) {
  const cells = [];
  for (let i = 0; i < cols; i++) for (let j = 0; j < rows; j++) cells.push({ i, j, geometry: '' });
  return cells;
}

describe('Getis-Ord Gi*', () => {
  it('matches the arithmetic done by hand on a chain of four cells', () => {
    // x = [1, 2, 3, 10], neighbours 0–1, 1–2, 2–3. n = 4, X̄ = 16/4 = 4, S = sqrt(Σx²/n − X̄²) = sqrt(114/4 − 16) = sqrt(12.5)
    const S = Math.sqrt(12.5);
    const denom = (w: number) => S * Math.sqrt((4 * w - w * w) / 3);
    const expected = [
      (1 + 2 - 4 * 2) / denom(2), // cell 0: {0,1} sum 3, w 2 → −5 / (S·sqrt(4/3)) = −1.2247
      (1 + 2 + 3 - 4 * 3) / denom(3), // cell 1: {0,1,2} sum 6, w 3 → −6 / S = −1.6971
      (2 + 3 + 10 - 4 * 3) / denom(3), // cell 2: {1,2,3} sum 15 → 3 / S = 0.8485
      (3 + 10 - 4 * 2) / denom(2), // cell 3: {2,3} sum 13 → 5 / (S·sqrt(4/3)) = 1.2247
    ];
    const z = getisOrdGiStar([1, 2, 3, 10], [[1], [0, 2], [1, 3], [2]]);
    z.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 10));
    expect(z[1]).toBeCloseTo(-1.6971, 4);
    expect(z[3]).toBeCloseTo(1.2247, 4);
  });

  it('gives 0 when nothing varies', () => {
    expect(getisOrdGiStar([3, 3, 3], [[1], [0, 2], [1]])).toEqual([0, 0, 0]);
    expect(getisOrdGiStar([0, 0, 0], [[1], [0, 2], [1]])).toEqual([0, 0, 0]);
  });

  it('two-sided p of a normal z, keeping tiny tails', () => {
    expect(twoSidedP(0)).toBeCloseTo(1, 6);
    expect(twoSidedP(1.959964)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(-2.575829)).toBeCloseTo(0.01, 6);
    const tail = twoSidedP(13);
    expect(tail).toBeGreaterThan(0);
    expect(tail).toBeLessThan(1e-37);
  });
});

describe('Benjamini–Hochberg', () => {
  it('matches p.adjust(method = "BH") worked by hand', () => {
    // sorted 0.005, 0.01, 0.03, 0.04 → ×4/k = 0.02, 0.02, 0.04, 0.04 → running minimum from the top
    const adj = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    [0.02, 0.04, 0.04, 0.02].forEach((v, k) => expect(adj[k]).toBeCloseTo(v, 12));
    expect(benjaminiHochberg([0.9, 0.8])).toEqual([0.9, 0.9]);
  });

  it('classes follow pAdjusted bins, the sign of z and alpha', () => {
    expect(classify(5, 0.001, 0.05)).toBe('hot-99');
    expect(classify(-5, 0.03, 0.05)).toBe('cold-95');
    expect(classify(2, 0.07, 0.05)).toBe('not-significant');
    expect(classify(2, 0.07, 0.1)).toBe('hot-90');
    expect(classify(2, 0.3, 0.2)).toBe('not-significant');
  });
});

describe('hexagon grid', () => {
  it('finds the ring of six and the cell holding a point', () => {
    const cells = squareOfHexes(5, 5);
    const nb = neighboursWithin(cells, 100);
    const centre = cells.findIndex((c) => c.i === 2 && c.j === 2);
    expect(nb[centre]).toHaveLength(6);
    expect(nb[cells.findIndex((c) => c.i === 0 && c.j === 0)].length).toBeLessThan(6);
    const rng = seedrandom('hex');
    for (let k = 0; k < 2000; k++) {
      const x = 1000 + rng() * 5000, y = 1000 + rng() * 5000;
      const { i, j } = hexCellOf(x, y, 100);
      const [cx, cy] = hexCentre(i, j, 100);
      // inside the hexagon: within the inscribed circle for sure, within the circumcircle always
      expect(Math.hypot(x - cx, y - cy)).toBeLessThanOrEqual(100 + 1e-9);
      expect(hexRing(i, j, 100)).toHaveLength(7);
    }
  });
});

describe('hot spots on synthetic counts', () => {
  const cells = squareOfHexes(30, 30);
  const s = 100;
  it('a dense cluster on a uniform background is hot-99 and nothing far away is hot (several seeds)', () => {
    for (const seed of ['a', 'b', 'c', 'd', 'e']) {
      const rng = seedrandom(`cluster-${seed}`);
      const counts = cells.map(() => poisson(rng, 8));
      const at = cells.findIndex((c) => c.i === 15 && c.j === 15);
      counts[at] += 80;
      const r = analyseCells(cells, counts, s, 0.05);
      expect(r[at].class).toBe('hot-99');
      const [cx, cy] = hexCentre(15, 15, s);
      const far = r.filter((c) => { const [x, y] = hexCentre(c.i, c.j, s); return c.class.startsWith('hot') && Math.hypot(x - cx, y - cy) > 2.5 * s * Math.sqrt(3); });
      expect(far).toEqual([]);
    }
  });

  // Under pure noise, BH at level alpha keeps the chance of any false discovery at about alpha (FDR = FWER under
  // the global null), so over 40 seeds about 2 may show one; far more would mean the test is anti-conservative.
  function noiseRuns(lambda: number) {
    let seedsWithDiscovery = 0, rawHits = 0, total = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rng = seedrandom(`noise-${lambda}-${seed}`);
      const r = analyseCells(cells, cells.map(() => poisson(rng, lambda)), s, 0.05);
      if (r.some((c) => c.class !== 'not-significant')) seedsWithDiscovery++;
      rawHits += r.filter((c) => c.p < 0.05).length;
      total += r.length;
    }
    return { seedsWithDiscovery, rawShare: rawHits / total };
  }

  it('uniform noise: after FDR almost no seed has a significant cell, though raw p < 0.05 occurs in every run', () => {
    const r = noiseRuns(8);
    expect(r.seedsWithDiscovery).toBeLessThanOrEqual(5);
    expect(r.rawShare).toBeGreaterThan(0.005);
  });

  it('sparse noise (1.5 events per cell) too: the exact Poisson guard holds where the normal tail is too thin', () => {
    expect(noiseRuns(1.5).seedsWithDiscovery).toBeLessThanOrEqual(5);
  });

  it('the exact Poisson tests', () => {
    // P(X ≥ 3 | Poisson(1.5)) = 1 − e^−1.5 (1 + 1.5 + 1.125) = 0.19115; two-sided doubles the smaller tail
    expect(poissonTwoSidedP(3, 1.5)).toBeCloseTo(2 * (1 - Math.exp(-1.5) * 3.625), 8);
    expect(poissonTwoSidedP(0, 0)).toBe(1);
    // 30 vs 10 in equal periods: P(X ≥ 30 | n = 40, p = ½) ≈ 0.00111, two-sided ≈ 0.00222 (R: poisson.test(c(30,10)))
    expect(poissonChangeP(30, 10, 365, 365)).toBeCloseTo(0.002221, 5);
    expect(poissonChangeP(5, 5, 365, 365)).toBe(1);
    expect(poissonChangeP(0, 0, 10, 10)).toBe(1);
  });
});
