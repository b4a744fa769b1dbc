// The synthetic data model: rows that look like the real sources (ids, categories, time of day, uncertain spans,
// clustered shootings, survey groups that add up).
import { describe, expect, it } from 'vitest';
import { categoryLines, crimeLines, shootingLines, surveyLines } from './model.js';

describe('the generator\'s model', () => {
  it('writes realistic rows: SYN- ids, known categories, night-heavy violence, uncertain spans for burglary, rare clustered shootings', () => {
    const rows = [...crimeLines({ seed: '7', crimes: 20_000 })].slice(1).map((l) => l.split(','));
    expect(rows.every((r) => r[0].startsWith('SYN-C'))).toBe(true);
    const codes = new Set([...categoryLines()].slice(1).map((l) => l.split(',')[0]));
    expect(rows.every((r) => codes.has(r[3]))).toBe(true);
    const localHour = (iso: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hour: '2-digit', hourCycle: 'h23' }).format(new Date(iso)));
    const assaults = rows.filter((r) => r[3] === 'misshandel');
    const night = assaults.filter((r) => { const h = localHour(r[2] || r[1]); return h >= 21 || h < 3; }).length / assaults.length;
    expect(night).toBeGreaterThan(0.3); // 6 of 24 hours would be 0.25 if flat
    const burglaries = rows.filter((r) => r[3] === 'inbrott');
    const spans = burglaries.filter((r) => r[2] !== '').length / burglaries.length;
    expect(spans).toBeGreaterThan(0.45);
    const shootings = [...shootingLines({ seed: '7', crimes: 20_000 })].slice(1);
    expect(shootings.length).toBe(20);
    // clustered: most shootings have another within 1 km
    const pts = shootings.map((l) => l.split(',').slice(2, 4).map(Number));
    const near = pts.filter((p, i) => pts.some((q, j) => j !== i && Math.hypot(p[0] - q[0], p[1] - q[1]) < 1000)).length;
    expect(near / pts.length).toBeGreaterThan(0.6);
    // survey: per district, groups all/female/male and age bands, respondents add up
    const survey = [...surveyLines({ seed: '7', crimes: 0 })].slice(1).map((l) => l.split(','));
    const husby = survey.filter((r) => r[0] === '2024' && r[1] === 'HUSBY' && r[2] === 'otrygg-kvall');
    const by = Object.fromEntries(husby.map((r) => [r[3], Number(r[4])]));
    expect(by.all).toBe(by.female + by.male);
    expect(by.all).toBeGreaterThan(25);
  });
});
