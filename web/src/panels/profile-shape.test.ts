// The area panel reads /api/areas/:id/profile through normalizeProfile: whichever of the accepted shapes the API
// sends, the panel must show the same numbers, hidden figures as hidden (never as 0) and a complete 7 × 24 matrix.
import { describe, expect, it } from 'vitest';
import { normalizeProfile } from './profile-shape.js';

const crimes = {
  area: { count: 120, population: 4000, ratePer1000: 30, rateRatio: 1.2, rateRatioCiLow: 0.9, rateRatioCiHigh: 1.6, changeSignificant: false, suppressed: false, previousCount: 100 },
  city: { count: 50_000, ratePer1000: 20 },
  monthly: [{ month: '2025-01', count: 9 }, { month: '2025-02', count: null, suppressed: true }, { month: '2025-03-01', n: 12 }],
  byCategory: [{ code: 'misshandel', label: 'Misshandel', count: 40 }, { code: 'rån', name: 'Rån', count: null, suppressed: true }],
};

describe('the area profile as the panel reads it', () => {
  it('the same numbers whether sources come as a list or keyed by source', () => {
    const asList = normalizeProfile({ meta: { area: { name: 'Husby', code: 'HUSBY', population: 4000 }, k: 5 }, sources: [{ source: 'crimes', ...crimes }] }, 7);
    const keyed = normalizeProfile({ meta: { area: { name: 'Husby', code: 'HUSBY', population: 4000 }, k: 5 }, sources: { crimes } }, 7);
    expect(keyed).toEqual(asList);
    expect(asList).toMatchObject({ id: 7, name: 'Husby', code: 'HUSBY', population: 4000, k: 5 });
    expect(asList.sources[0].area).toMatchObject({ count: 120, ratePer1000: 30, rateRatio: 1.2, previousCount: 100 });
    expect(asList.sources[0].city).toMatchObject({ count: 50_000, ratePer1000: 20 });
  });

  it('a hidden month or category is null, not 0; months are YYYY-MM', () => {
    const p = normalizeProfile({ sources: [{ source: 'crimes', ...crimes }] }, 1);
    expect(p.sources[0].monthly).toEqual([{ month: '2025-01', count: 9 }, { month: '2025-02', count: null }, { month: '2025-03', count: 12 }]);
    expect(p.sources[0].byCategory).toEqual([
      { code: 'misshandel', name: 'Misshandel', count: 40, suppressed: false },
      { code: 'rån', name: 'Rån', count: null, suppressed: true },
    ]);
  });

  it('a source without a city reference has none, and missing figures are null rather than invented', () => {
    const p = normalizeProfile({ sources: [{ source: 'shootings', area: { count: null, suppressed: true } }] }, 1);
    expect(p.sources[0].city).toBeNull();
    expect(p.sources[0].area).toMatchObject({ count: null, ratePer1000: null, rateRatio: null, suppressed: true });
    expect(p.sources[0].weekHour).toBeNull();
    expect(p.sources[0].monthly).toEqual([]);
  });

  it('builds the full weekday × hour matrix from a list of cells, adding cells of the same hour', () => {
    const cells = [{ weekday: 0, hour: 22, weight: 1.5 }, { weekday: 0, hour: 22, weight: 0.5 }, { weekday: 6, hour: 3, count: 4 }, { weekday: 9, hour: 1, weight: 100 }];
    const m = normalizeProfile({ sources: [{ source: 'crimes', weekdayHour: { cells } }] }, 1).sources[0].weekHour!;
    expect(m).toHaveLength(7);
    expect(m.every((r) => r.length === 24)).toBe(true);
    expect(m[0][22]).toBe(2);
    expect(m[6][3]).toBe(4);
    // the cell for a weekday that does not exist is dropped, not spread
    expect(m.flat().reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(6);
  });

  it('takes a ready 7 × 24 matrix as it is, hidden cells kept hidden (null), never 0', () => {
    const matrix = Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => (d === 2 && h === 8 ? null : d + h)));
    const m = normalizeProfile({ sources: [{ source: 'crimes', weekdayHour: { matrix } }] }, 1).sources[0].weekHour!;
    expect(m[2][8]).toBeNull();
    expect(m[3][4]).toBe(7);
  });

  it('lists one survey row per indicator and group', () => {
    const p = normalizeProfile({
      survey: { items: [
        { indicator: 'otrygg-kvall', text: 'Otrygg ute sent en kväll', groups: [{ group: 'all', value: 0.3, ciLow: 0.25, ciHigh: 0.35, respondents: 300 }, { group: 'female', value: 0.4, suppressed: false, respondents: 160, previousWaveValue: 0.45 }] },
        { indicator: 'oro-brott', name: 'Oro för brott', value: null, suppressed: true },
      ] },
    }, 1);
    expect(p.survey.map((s) => [s.indicator, s.group, s.value])).toEqual([['otrygg-kvall', 'all', 0.3], ['otrygg-kvall', 'female', 0.4], ['oro-brott', 'all', null]]);
    expect(p.survey[1].previous).toBe(0.45);
    expect(p.survey[2].suppressed).toBe(true);
    expect(p.survey[0].name).toBe('Otrygg ute sent en kväll');
  });

  it('without meta.k it assumes the default k of 5, and takes the places in the area', () => {
    const p = normalizeProfile({ places: [{ id: '3', name: 'Husby centrum', status: 'active' }] }, 1);
    expect(p.k).toBe(5);
    expect(p.places).toEqual([{ id: 3, name: 'Husby centrum', status: 'active' }]);
    expect(p.sources).toEqual([]);
    expect(p.survey).toEqual([]);
  });
});

describe('the survey basis as the panel reads it', () => {
  it('carries how the survey figures were obtained, and none when the profile does not say', () => {
    const basis = { kind: 'containing', surveyArea: { areaId: 9, code: 'HUSBY', name: 'Husby' }, text: { sv: 'Trygghetsmätningen redovisas för Husby, som omfattar Södra Husby.', en: 'The safety survey is reported for Husby, which includes Södra Husby.' } };
    const p = normalizeProfile({ meta: { area: { name: 'Södra Husby' } }, survey: { wave: null, basis, items: [] } }, 4);
    expect(p.surveyBasis).toEqual({ kind: 'containing', surveyArea: 'Husby', text: basis.text });
    expect(normalizeProfile({ survey: { items: [] } }, 4).surveyBasis).toBeNull();
  });
});
