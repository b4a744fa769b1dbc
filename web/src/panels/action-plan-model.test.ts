import { describe, expect, it } from 'vitest';
import {
  formatPercent, formatValue, newId, newIndicator, newSurveyIndicator, parsePercent, parseValue, priorityFromFinding, setAt, surveyCodeOf, surveyValueText,
  type PlanDocument, type ReportContent,
} from './action-plan-model.js';

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
    expect(newIndicator(p, 99, 'Stöld i Husby', ['i1'])).toEqual({ kind: 'incidents', id: 'i2', label: 'Stöld i Husby', source: 'crimes', categories: ['stold', 'fickstold'], areaId: 99, months: 12, targetRate: null, targetDate: null });
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

describe('survey indicators', () => {
  const surveyReport: ReportContent = {
    dataVersion: 9,
    summary: [{ key: 'survey:otrygg-kvall', text: 'Känner sig otrygg sent en kväll: Alla 41 %, säker ökning', figure: 'KI 36–46, 212 svarande', test: 'tvåprovstest', significant: true }],
  };

  it('a priority made from a survey finding suggests a survey indicator on that finding\'s indicator, for all respondents in the plan\'s area', () => {
    const p = priorityFromFinding(surveyReport.summary[0], surveyReport, 3, []);
    expect(p.origin).toMatchObject({ finding: { type: 'survey-indicator' } });
    expect(surveyCodeOf(p)).toBe('otrygg-kvall');
    expect(newSurveyIndicator(p, 42, 'Otrygga i Husby', ['i1'], ['trygghetsindex', 'otrygg-kvall'])).toEqual({
      kind: 'survey', id: 'i2', label: 'Otrygga i Husby', indicator: 'otrygg-kvall', group: 'all', areaId: 42, targetValue: null, targetDate: null,
    });
  });

  it('a finding that the area is worse than the city on a survey indicator suggests that indicator too', () => {
    const f = { key: 'survey-city:otrygg-kvall', text: 'Otrygg sent en kväll (Alla): 41 % mot 24 % i övriga staden, statistiskt säkerställt högre än staden.', figure: 'n = 212', test: 'tvåprovstest', significant: true };
    const p = priorityFromFinding(f, { dataVersion: 9, summary: [f] }, 3, []);
    expect(p.origin).toMatchObject({ finding: { type: 'survey-above-city' } });
    expect(surveyCodeOf(p)).toBe('otrygg-kvall');
  });

  it('another priority suggests the first indicator the survey lists, and none when it lists none', () => {
    const own = priorityFromFinding(report.summary[0], report, 7, []);
    expect(surveyCodeOf(own)).toBeNull();
    expect(newSurveyIndicator(own, 42, 'x', [], ['trygghetsindex', 'otrygg-kvall']).indicator).toBe('trygghetsindex');
    expect(newSurveyIndicator(own, 42, 'x', [], []).indicator).toBe('');
  });

  it('shows a share as percent and a mean on its scale', () => {
    const f = (n: number, d: number) => n.toLocaleString('sv-SE', { minimumFractionDigits: d, maximumFractionDigits: d });
    expect(surveyValueText(0.32, 'share', null, f)).toBe('32 %');
    expect(surveyValueText(3.2, 'mean', { min: 1, max: 5 }, f)).toBe('3,2 (1–5)');
    expect(surveyValueText(null, 'share', null, f)).toBe('–');
  });

  it('reads a target typed in percent as the share the server takes, and writes it back', () => {
    expect(parsePercent('25')).toBe(0.25);
    expect(parsePercent('25,5 %')).toBe(0.255);
    expect(parsePercent('')).toBeNull();
    // the editor's control of a share target: typed in percent, kept as a share, shown in percent again
    expect(parseValue('percent', formatValue('percent', 0.255))).toBe(0.255);
    expect(parsePercent('mycket')).toBeNull();
    expect(formatPercent(0.255)).toBe('25.5');
    expect(formatPercent(0.07)).toBe('7');
    expect(formatPercent(null)).toBe('');
  });
});
