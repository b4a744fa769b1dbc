// The CSV every table is downloaded as: RFC 4180 with a comma, or the Swedish Excel dialect (BOM, semicolon,
// decimal comma); text that a spreadsheet would run as a formula is neutralised.
import { describe, expect, it } from 'vitest';
import { toCsv, UTF8_BOM } from './csv.js';

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
  it('Swedish mode: Swedish column names, ja/nej, no comment row; unknown columns keep their name', () => {
    const csv = toCsv([{ areaId: 1, name: 'Husby', ratePer1000: 3.25, changeSignificant: true, suppressed: false, extra: 1 }],
      ['areaId', 'name', 'ratePer1000', 'changeSignificant', 'suppressed', 'extra'], { sep: 'semicolon', lang: 'sv' });
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('områdes-id;namn;per 1 000 invånare;signifikant förändring;dold;extra');
    expect(lines[1]).toBe('1;Husby;3,25;ja;nej;1');
  });
  it('Swedish mode: the API\'s coded values in Swedish words (plan status, why hidden, survey basis, divergence class); a name keeps its text', () => {
    const cols = ['planStatus', 'suppression', 'basisKind', 'class', 'name'];
    const rows = [{ planStatus: 'published', suppression: 'complementary', basisKind: 'pooled', class: 'fear-above-crime', name: 'published' }];
    const sv = toCsv(rows, cols, { sep: 'semicolon', lang: 'sv' }).slice(1).split('\r\n');
    expect(sv[1]).toBe('publicerad;komplementär döljning;sammanvägt;otrygghet över brottsnivå;published');
    expect(toCsv(rows, cols).split('\r\n')[1]).toBe('published,complementary,pooled,fear-above-crime,published');
  });
});
