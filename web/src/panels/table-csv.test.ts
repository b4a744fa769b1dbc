// The map's CSV export: in Swedish Swedish column names, ja/nej, decimal comma and no comment row (the period and
// rules go into the note beside it); in English the API's field names and true/false.
import { describe, expect, it } from 'vitest';
import type { ChoroData } from '../map/choropleth-data.js';
import { tableCsv, tableCsvNote } from './table-csv.js';

const d = {
  metric: 'rate', k: 5, empty: false, classes: null,
  geometry: { type: 'FeatureCollection', features: [{ type: 'Feature', id: 7, geometry: null, properties: { code: 'HUSBY', name: 'Husby' } }] },
  values: new Map([[7, { value: 3.25, suppressed: false, row: { count: 40, population: 12000, ratePer1000: 3.25, changeSignificant: true } }]]),
  meta: { period: { from: '2024-01-01', to: '2025-01-01' }, previousPeriod: { from: '2023-01-01', to: '2024-01-01' }, disclosure: { description: 'Counts below k are hidden.' },
    provenance: { incidentBatches: [{ provider: 'synthetic', fileName: 'crimes.csv', incidents: 10, lastOccurred: '2024-12-31' }] } },
} as unknown as ChoroData;

describe('table CSV', () => {
  it('Swedish: Swedish headers, ja/nej, decimal comma, ";" and no comment row', () => {
    const lines = tableCsv(d, { lang: 'sv' }).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0].startsWith('#')).toBe(false);
    expect(lines[0].split(';').slice(0, 5)).toEqual(['områdes-id', 'kod', 'namn', 'värde', 'antal']);
    const cells = lines[1].split(';');
    expect(cells.slice(0, 4)).toEqual(['7', 'HUSBY', 'Husby', '3,25']);
    expect(cells[11]).toBe('ja'); // changeSignificant
    expect(cells[12]).toBe('nej'); // suppressed
    expect(lines.join('\n')).not.toMatch(/true|false/);
  });
  it('English: the API field names, true/false, "," and a decimal point', () => {
    const lines = tableCsv(d, { lang: 'en' }).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0].split(',').slice(0, 5)).toEqual(['areaId', 'code', 'name', 'value', 'count']);
    expect(lines[1].split(',').slice(11, 13)).toEqual(['true', 'false']);
    expect(lines[1]).toContain(',3.25,');
  });
  it('the note beside it says period, comparison period, source and disclosure rule', () => {
    const note = tableCsvNote(d, { lang: 'sv', source: 'crimes', metric: 'rate', areaSet: 'stadsdelar' }, { from: '2024-01-01', to: '2025-01-01' }, 'x.csv');
    expect(note).toContain('Källa: Anmälda brott');
    expect(note).toContain('2024-01-01 – 2024-12-31');
    expect(note).toContain('Jämförelseperiod');
    expect(note).toContain('Counts below k are hidden.');
    expect(note).toContain('Data t.o.m.: 31 dec 2024');
    expect(note).toContain('Syntetiska exempeldata');
  });
});
