// suggestMapping (pure): Swedish and English names, values (SWEREF 99 TM northing/easting, degrees, dates), the
// date format, the decimal mark and the category values that are none of our codes — golden on the XLSX fixture.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { suggestMapping } from './suggest-mapping.js';
import { readTable } from './table-reader.js';

const FIX = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test/fixtures/imports');
const CODES = ['misshandel', 'ran', 'inbrott', 'narkotika', 'skadegorelse', 'stold', 'cykelstold', 'olaga-hot'];

async function sample(file: string): Promise<{ headers: string[]; rows: string[][] }> {
  let headers: string[] = [];
  const rows: string[][] = [];
  await readTable(Readable.from([fs.readFileSync(path.join(FIX, file))]), (h) => { headers = h.raw; }, (r) => { rows.push(r.fields); });
  return { headers, rows };
}

describe('suggestMapping', () => {
  it('the police extract (XLSX, Swedish headers, decimal commas): every column, the CRS, the date format, the unknown category', async () => {
    const { headers, rows } = await sample('crimes-sv.xlsx');
    expect(headers).toEqual(['Ärendenummer', 'Brottsdatum', 'Brottskod', 'X-koordinat', 'Y-koordinat', 'Beskrivning']);
    const s = suggestMapping(headers, rows, 'crimes', CODES);
    expect(s.columns).toEqual([
      { source: 'Ärendenummer', target: 'id', by: 'name' },
      { source: 'Brottsdatum', target: 'occurred_from', by: 'name' },
      { source: 'Brottskod', target: 'category', by: 'name' },
      { source: 'X-koordinat', target: 'x', by: 'name' },
      { source: 'Y-koordinat', target: 'y', by: 'name' },
      { source: 'Beskrivning', target: null, by: null },
    ]);
    expect(s.mapping).toEqual({
      columns: { id: 'Ärendenummer', occurred_from: 'Brottsdatum', category: 'Brottskod', x: 'X-koordinat', y: 'Y-koordinat' },
      crs: 'EPSG:3006', dateFormat: 'iso', decimalMark: ',',
    });
    expect(s.unknownCategories).toEqual(['Skadegörelse på bil']);
    expect(s.missing).toEqual([]);
  });

  it('values decide where names do not: northing/easting (X = north swapped), degrees as lat/lon, a time column by its dates', () => {
    const swe = suggestMapping(['Händelsenummer', 'Händelsetid', 'Åtgärd', 'X', 'Y'], [
      ['G-1', '2025-03-01 22:15', 'avvisning', '6588838,5', '665840,8'],
      ['G-2', '2025-03-02 02:40', 'gripande', '6586970,9', '666232,1'],
    ], 'guard-reports', ['avvisning', 'gripande']);
    expect(swe.mapping).toEqual({
      columns: { id: 'Händelsenummer', occurred_at: 'Händelsetid', intervention: 'Åtgärd', x: 'Y', y: 'X' },
      crs: 'EPSG:3006', dateFormat: 'YYYY-MM-DD HH:MM', decimalMark: ',',
    });
    expect(swe.notes[0]).toMatch(/X = north/);
    const unnamed = suggestMapping(['nr', 'när', 'kod', 'a', 'b'], [
      ['1', '01/03/2025 18:30', 'ran', '59.331466', '18.039587'],
      ['2', '02/03/2025', 'stold', '59.345944', '18.045857'],
    ], 'crimes');
    expect(unnamed.mapping.columns).toMatchObject({ lat: 'a', lon: 'b', occurred_from: 'när' });
    expect(unnamed.mapping.dateFormat).toBe('DD/MM/YYYY');
    expect(unnamed.missing).toEqual(['id', 'category']);
    const english = suggestMapping(['Case number', 'Date', 'Crime type', 'Lat', 'Lon', 'Easting'], [['A', '45717.75', 'ran', '59.3', '18.0', '']], 'crimes');
    expect(english.mapping).toMatchObject({ columns: { id: 'Case number', occurred_from: 'Date', category: 'Crime type', lat: 'Lat', lon: 'Lon', x: 'Easting' }, dateFormat: 'excel-serial' });
    const local = suggestMapping(['id', 'occurred_from', 'category', 'x', 'y'], [['1', '2025-01-01', 'ran', '153000', '6580000']], 'crimes');
    expect(local.mapping.crs).toBe('EPSG:3011');
  });

  it('GeoJSON kinds have no column mapping', () => {
    expect(suggestMapping(['a'], [], 'areas').notes[0]).toMatch(/GeoJSON/);
  });
});
