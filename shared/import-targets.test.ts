import { describe, expect, it } from 'vitest';
import { IMPORT_TARGETS, guessImportKind } from './import-targets.js';

const KINDS = ['areas', 'population', 'categories', 'crimes', 'shootings', 'guard-reports', 'citizen-reports', 'survey', 'indicators', 'places', 'polisen-events'];

describe('the kind a file looks like', () => {
  it('from its name: zipped Shapefiles and GeoJSON are boundaries, JSON lines police events', () => {
    expect(guessImportKind('kommuner.zip', [], KINDS)).toBe('areas');
    expect(guessImportKind('Gränser.GeoJSON', [], KINDS)).toBe('areas');
    expect(guessImportKind('handelser.jsonl', [], KINDS)).toBe('polisen-events');
  });
  it('from its Swedish or English header', () => {
    expect(guessImportKind('polisen.csv', ['Ärendenummer', 'Brottsdatum', 'Brottskod', 'X-koordinat', 'Y-koordinat'], KINDS)).toBe('crimes');
    expect(guessImportKind('skott.csv', ['Id', 'Händelsetid', 'Utfall', 'X', 'Y'], KINDS)).toBe('shootings');
    expect(guessImportKind('securitas.xlsx', ['Rapportnr', 'Händelsetid', 'Åtgärd', 'X', 'Y'], KINDS)).toBe('guard-reports');
    expect(guessImportKind('tm.csv', ['wave', 'area_code', 'indicator', 'group', 'respondents', 'value'], KINDS)).toBe('survey');
    expect(guessImportKind('scb.csv', ['Områdeskod', 'År', 'Kön', 'Åldersgrupp', 'Befolkning'], KINDS)).toBe('population');
  });
  it('only a kind the server offers', () => {
    expect(guessImportKind('antal.csv', ['Kommunkod', 'Period', 'Brottskod', 'Antal'], KINDS)).toBe('crimes');
    expect(guessImportKind('antal.csv', ['Kommunkod', 'Period', 'Brottskod', 'Antal'], [...KINDS, 'area-counts'])).toBe('area-counts');
    expect(guessImportKind('x.zip', [], ['crimes'])).toBeNull();
  });
  it('names the location fields and the category of each incident kind', () => {
    for (const k of ['crimes', 'shootings', 'guard-reports', 'citizen-reports']) {
      expect(IMPORT_TARGETS[k].fields).toEqual(expect.arrayContaining(['id', 'x', 'y', 'lat', 'lon', 'area_code', IMPORT_TARGETS[k].category!]));
    }
  });
});
