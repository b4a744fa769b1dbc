import { describe, expect, it } from 'vitest';
import { formatValue, newId, newIndicator, parseValue, priorityFromFinding, setAt, type PlanDocument, type ReportContent } from './action-plan-model.js';

const report: ReportContent = {
  dataVersion: 42,
  summary: [
    { key: 'group:ran', text: 'Rån ökade signifikant: 120 mot 40', figure: 'kvot 3,00 (KI 2,08–4,41)', test: 'exakt Poisson-test', significant: true },
    { key: 'group:stold', text: 'Stöld minskade', figure: 'kvot 0,60', test: 'exakt Poisson-test', significant: true },
    { key: 'hotspots', text: '3 hot spots', figure: '3 / 40', test: 'Gi*', significant: true },
  ],
  scope: { crimeGroups: [
    { code: 'ran', label: 'Rån', codes: ['ran'], count: 120, previousCount: 40, rateRatio: 3, ciLow: 2.08, ciHigh: 4.41, changeSignificant: true },
    { code: 'stold', label: 'Stöld', codes: ['stold', 'fickstold'], count: 60, previousCount: 100, rateRatio: 0.6, ciLow: 0.43, ciHigh: 0.83, changeSignificant: true },
  ] },
};

describe('a finding made into a priority', () => {
  it('keeps the finding\'s text, its figures and the report\'s data version, and names a significant rise as one', () => {
    const p = priorityFromFinding(report.summary[0], report, 7, ['p1']);
    expect(p.id).toBe('p2');
    expect(p.title).toBe('Rån');
    expect(p.origin).toEqual({
      kind: 'finding', reportId: 7, dataVersion: 42,
      finding: { type: 'significant-rise', text: report.summary[0].text, figures: expect.objectContaining({ key: 'group:ran', count: 120, previousCount: 40, rateRatio: 3, ciLow: 2.08, ciHigh: 4.41, categories: 'ran' }) },
    });
  });

  it('tells a fall and a hot spot apart from a rise', () => {
    expect(priorityFromFinding(report.summary[1], report, 7, []).origin).toMatchObject({ finding: { type: 'significant-fall' } });
    expect(priorityFromFinding(report.summary[2], report, 7, []).origin).toMatchObject({ finding: { type: 'hot-spot' } });
  });

  it('suggests an indicator on the crime group\'s categories in the plan\'s area', () => {
    const p = priorityFromFinding(report.summary[1], report, 7, []);
    expect(newIndicator(p, 99, 'Stöld i Husby', ['i1'])).toEqual({ id: 'i2', label: 'Stöld i Husby', source: 'crimes', categories: ['stold', 'fickstold'], areaId: 99, months: 12, targetRate: null, targetDate: null });
  });
});

describe('the form\'s controls and the plan', () => {
  it('reads numbers, dates, lists and partners the way the server takes them, and writes them back', () => {
    expect(parseValue('number', '4,5')).toBe(4.5);
    expect(parseValue('number', '')).toBeNull();
    expect(parseValue('date', '')).toBeNull();
    expect(parseValue('int', '12')).toBe(12);
    expect(parseValue('list', 'ran, misshandel ,')).toEqual(['ran', 'misshandel']);
    expect(parseValue('partners', 'Polisen\nStockholmshem: fastighetsvärd')).toEqual([{ organisation: 'Polisen', role: '' }, { organisation: 'Stockholmshem', role: 'fastighetsvärd' }]);
    expect(formatValue('partners', [{ organisation: 'Polisen', role: '' }, { organisation: 'Stockholmshem', role: 'x' }])).toBe('Polisen\nStockholmshem: x');
    expect(formatValue('number', null)).toBe('');
  });

  it('writes a value at a path of the plan, and refuses a path that is not there', () => {
    const d: PlanDocument = { priorities: [priorityFromFinding(report.summary[0], report, 7, [])], measures: [] };
    setAt(d, 'priorities.0.causalAnalysis.triangle.place', 'Torget');
    expect(d.priorities[0].causalAnalysis.triangle.place).toBe('Torget');
    expect(() => setAt(d, 'measures.3.title', 'x')).toThrow();
    expect(newId('m', ['m1', 'm3'])).toBe('m2');
  });
});
