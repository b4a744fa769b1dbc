// Hand-checked statistics (no database): the arithmetic is written out so a reader can verify each number.
import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../server/domain/statistics/clopper-pearson.js';
import { poissonRateRatio } from '../../server/domain/statistics/poisson-rate-ratio.js';
import { twoProportionTest } from '../../server/domain/statistics/two-proportion-test.js';
import { wilsonInterval } from '../../server/domain/statistics/wilson.js';
import { zScores } from '../../server/domain/statistics/z-scores.js';
import { toCsv, UTF8_BOM } from '../../server/formats/csv.js';

describe('exact rate ratio', () => {
  it('10 now vs 20 before: Clopper–Pearson on 10/30, transformed to the ratio (R poisson.test(c(10,20)) gives 0.2090–1.1192)', () => {
    // p̂ = 10/30; lower = B⁻¹(0.025; 10, 21) = 0.17287, upper = B⁻¹(0.975; 11, 20) = 0.52812
    const cp = clopperPearson(10, 30);
    expect(cp.low).toBeCloseTo(0.17287, 4);
    expect(cp.high).toBeCloseTo(0.52812, 4);
    // θ = p/(1−p): 0.17287/0.82713 = 0.20900, 0.52812/0.47188 = 1.11918; ratio 10/20 = 0.5
    const rr = poissonRateRatio(10, 20);
    expect(rr.ratio).toBe(0.5);
    expect(rr.ciLow).toBeCloseTo(0.20900, 4);
    expect(rr.ciHigh).toBeCloseTo(1.11918, 4);
    expect(rr.significant).toBe(false); // the CI contains 1: halving from 20 to 10 is not proven
  });

  it('a doubling of 40 vs 10 is significant; equal exposures scale the ratio', () => {
    const rr = poissonRateRatio(40, 10);
    expect(rr.ratio).toBe(4);
    expect(rr.ciLow!).toBeGreaterThan(1);
    expect(rr.significant).toBe(true);
    // the same counts with twice the population now: rate ratio halves, and so do its bounds
    const pop = poissonRateRatio(40, 10, 2000, 1000);
    expect(pop.ratio).toBe(2);
    expect(pop.ciLow).toBeCloseTo(rr.ciLow! / 2, 10);
  });

  it('3 vs 5 is never called a big change; zero counts give open or empty intervals', () => {
    expect(poissonRateRatio(5, 3).significant).toBe(false);
    expect(poissonRateRatio(0, 0)).toEqual({ ratio: null, ciLow: null, ciHigh: null, significant: false });
    const fromZero = poissonRateRatio(5, 0);
    expect(fromZero.ratio).toBeNull(); // infinite
    expect(fromZero.ciHigh).toBeNull(); // infinite
    // lower bound: p = B⁻¹(0.025; 5, 1) = 0.025^(1/5) = 0.47818 → θ = 0.47818/0.52182 = 0.91636
    expect(fromZero.ciLow).toBeCloseTo(0.025 ** 0.2 / (1 - 0.025 ** 0.2), 6);
    const toZero = poissonRateRatio(0, 5);
    expect(toZero.ratio).toBe(0);
    expect(toZero.ciLow).toBe(0);
    // upper: p = 1 − 0.025^(1/5) = 0.52182 → θ = 0.52182/0.47818 = 1.09128
    expect(toZero.ciHigh).toBeCloseTo((1 - 0.025 ** 0.2) / 0.025 ** 0.2, 6);
  });
});

describe('survey statistics', () => {
  it('Wilson 50/100: centre 0.5, half-width 1.95996·√(0.0025 + 0.000096)/1.038415 = 0.096168', () => {
    const w = wilsonInterval(0.5, 100)!;
    expect(w.low).toBeCloseTo(0.5 - 0.096168, 5);
    expect(w.high).toBeCloseTo(0.5 + 0.096168, 5);
    expect(wilsonInterval(0.5, 0)).toBeNull();
  });

  it('two proportions 0.30 (n=400) vs 0.20 (n=400): pooled 0.25, se = √(0.1875·2/400) = 0.030619, z = 3.2660', () => {
    const t = twoProportionTest(0.3, 400, 0.2, 400)!;
    expect(t.z).toBeCloseTo(3.26599, 4);
    expect(t.pValue).toBeCloseTo(0.001091, 5);
    expect(t.significant).toBe(true);
    expect(twoProportionTest(0.3, 40, 0.25, 40)!.significant).toBe(false);
  });

  it('z-scores: [1, 2, 3] → mean 2, population sd √(2/3) → ±1.2247; nulls stay null', () => {
    const z = zScores([1, 2, null, 3]);
    expect(z[0]).toBeCloseTo(-1.224745, 5);
    expect(z[1]).toBe(0);
    expect(z[2]).toBeNull();
    expect(z[3]).toBeCloseTo(1.224745, 5);
    expect(zScores([4, 4])).toEqual([null, null]);
  });
});

describe('CSV', () => {
  const rows = [{ name: 'Husby', rate: 3.25, n: -3, note: '=HYPERLINK("x")', ok: true, none: null }, { name: 'Älvsjö; söder', rate: 0.5, n: 12, note: '@cmd', ok: false, none: undefined }];
  const cols = ['name', 'rate', 'n', 'note', 'ok', 'none'];
  it('comma: RFC 4180, decimal point, no BOM, formulas neutralised', () => {
    const csv = toCsv(rows, cols);
    expect(csv.startsWith(UTF8_BOM)).toBe(false);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('name,rate,n,note,ok,none');
    expect(lines[1]).toBe(`Husby,3.25,-3,"'=HYPERLINK(""x"")",true,`);
    expect(lines[2]).toBe(`Älvsjö; söder,0.5,12,'@cmd,false,`);
  });
  it('semicolon: BOM, ";" between fields, decimal comma, a ";" inside text quoted', () => {
    const csv = toCsv(rows, cols, { sep: 'semicolon' });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('name;rate;n;note;ok;none');
    expect(lines[1]).toBe(`Husby;3,25;-3;"'=HYPERLINK(""x"")";true;`);
    expect(lines[2]).toBe(`"Älvsjö; söder";0,5;12;'@cmd;false;`);
  });
});
