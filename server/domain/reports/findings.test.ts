import { describe, expect, it } from 'vitest';
import { twoProportionTest } from '../statistics/two-proportion-test.js';
import { surveyAboveCity } from './findings.js';
import type { SurveyGroup, SurveyIndicator } from './types.js';

type Draft = Parameters<typeof surveyAboveCity>[0];
const sv = { lang: 'sv' } as Draft;
const group = (value: number, respondents: number, cityValue: number, cityRespondents: number): SurveyGroup => ({
  group: 'all', label: 'Alla', value, ciLow: value - 4, ciHigh: value + 4, respondents, previousValue: null, differenceSignificant: false,
  suppressed: false, suppression: null, cityValue, cityRespondents,
});
const indicator = (code: string, direction = 'higher-is-worse'): SurveyIndicator => ({ code, text: `Indikator ${code}`, kind: 'share', direction, groups: [] });

describe('a survey indicator above the city (the lägesbild\'s findings)', () => {
  it('finds an area clearly worse than the rest of the city, with the rest\'s share, n and the corrected test', () => {
    const f = surveyAboveCity(sv, [{ i: indicator('otrygg'), g: group(45, 400, 25, 10_000) }], null);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ key: 'survey-city:otrygg', significant: true });
    // the rest of the city: (25 % × 10 000 − 45 % × 400) / 9 600 = 24 %
    expect(f[0].text).toBe('Indikator otrygg (Alla): 45 % mot 24 % i övriga staden, statistiskt säkerställt högre än staden.');
    expect(f[0].figure).toBe('n = 400; övriga staden n = 9600; 95 % KI 41–49');
    expect(f[0].test).toContain('Bonferroni-korrigerat för 1 jämförda indikatorer');
  });

  it('noise is no finding, nor is an area better than the city', () => {
    expect(surveyAboveCity(sv, [{ i: indicator('otrygg'), g: group(26, 400, 25, 10_000) }], null)).toEqual([]);
    expect(surveyAboveCity(sv, [{ i: indicator('otrygg'), g: group(15, 400, 25, 10_000) }], null)).toEqual([]);
    // higher is better: a low share is the worse one
    expect(surveyAboveCity(sv, [{ i: indicator('trygg', 'higher-is-better'), g: group(60, 400, 75, 10_000) }], null)[0]?.text).toContain('statistiskt säkerställt lägre än staden');
  });

  it('corrects for the number of indicators read: a difference significant alone is not among five', () => {
    const g = group(30, 400, 25.5, 10_000);
    const alone = twoProportionTest(0.3, 400, (0.255 * 10_000 - 0.3 * 400) / 9_600, 9_600)!;
    expect(alone.pValue).toBeLessThan(0.05);
    expect(alone.pValue).toBeGreaterThan(0.01);
    expect(surveyAboveCity(sv, [{ i: indicator('a'), g }], null)).toHaveLength(1);
    const five = ['a', 'b', 'c', 'd', 'e'].map((code) => ({ i: indicator(code), g: code === 'a' ? g : group(25, 400, 25, 10_000) }));
    expect(surveyAboveCity(sv, five, null)).toEqual([]);
  });
});
