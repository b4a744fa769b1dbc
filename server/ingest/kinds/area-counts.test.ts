// The pure parts of the area-counts kind: counts as statistics tables write them, and the mapping suggested for
// their Swedish headers (a municipality named rather than coded is taken when no code column exists).
import { describe, expect, it } from 'vitest';
import { suggestMapping } from '../suggest-mapping.js';
import { parseCount } from './area-counts.js';

describe('area-counts', () => {
  it('reads counts with thousands spaces and zero decimals, refuses fractions and negatives', () => {
    expect(parseCount('1 234')).toEqual({ ok: true, value: 1234 });
    expect(parseCount('1\u00a0234')).toEqual({ ok: true, value: 1234 });
    expect(parseCount('12,0')).toEqual({ ok: true, value: 12 });
    expect(parseCount('0')).toEqual({ ok: true, value: 0 });
    expect(parseCount('2.5')).toEqual({ ok: false, reason: '"2.5" is not a count (a whole number ≥ 0)' });
    expect(parseCount('-3')).toEqual({ ok: false, reason: '"-3" is not a count (a whole number ≥ 0)' });
    expect(parseCount('')).toEqual({ ok: false, reason: 'is missing' });
  });

  it('suggests the columns of a statistics table by their Swedish names', () => {
    const rows = [['0180', 'Stockholm', '2025-01', 'Misshandel', '412']];
    const s = suggestMapping(['Kommunkod', 'Kommun', 'Månad', 'Brottskategori', 'Antal'], rows, 'area-counts', ['misshandel', 'Misshandel', 'Assault']);
    expect(s.mapping.columns).toEqual({ area_code: 'Kommunkod', period: 'Månad', category: 'Brottskategori', count: 'Antal' });
    expect(s.missing).toEqual([]);
    expect(s.unknownCategories).toEqual([]);
    const named = suggestMapping(['Kommun', 'Kvartal', 'Brottstyp', 'Antal anmälda brott'], [['Solna', '2025K1', 'Rån', '7']], 'area-counts', ['ran', 'Rån']);
    expect(named.mapping.columns).toEqual({ area_code: 'Kommun', period: 'Kvartal', category: 'Brottstyp', count: 'Antal anmälda brott' });
    const unknown = suggestMapping(['Region', 'År', 'Kategori', 'Värde'], [['Solna', '2025', 'Cykel', '7']], 'area-counts', ['cykelstold']);
    expect(unknown.mapping.columns).toEqual({ area_code: 'Region', period: 'År', category: 'Kategori', count: 'Värde' });
    expect(unknown.unknownCategories).toEqual(['Cykel']);
  });
});
