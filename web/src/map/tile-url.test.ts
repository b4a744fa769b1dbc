// The overlay tile URL: the filters as given plus the data version, so an import gives new URLs.
import { describe, expect, it } from 'vitest';
import { tileUrl } from './tile-url.js';

describe('tile URL', () => {
  const q = '?source=crimes&category=stold%2Cran&from=2025-01-01&to=2026-01-01';
  it('names the data version, keeps the filters, and changes with the version', () => {
    const a = tileUrl('https://tk.example', 'hexbins', q, 41);
    expect(a.startsWith('https://tk.example/tiles/hexbins/{z}/{x}/{y}.mvt?')).toBe(true);
    const p = new URLSearchParams(a.split('?')[1]);
    expect(p.get('v')).toBe('41');
    expect(p.get('category')).toBe('stold,ran');
    expect(p.get('from')).toBe('2025-01-01');
    expect(tileUrl('https://tk.example', 'hexbins', q, 42)).not.toBe(a);
  });
  it('without a known version it is the plain filtered URL', () => {
    expect(tileUrl('http://localhost:3000', 'incidents', q, undefined)).toBe(`http://localhost:3000/tiles/incidents/{z}/{x}/{y}.mvt${q}`);
    expect(tileUrl('http://localhost:3000', 'hexbins', '', null)).toBe('http://localhost:3000/tiles/hexbins/{z}/{x}/{y}.mvt');
  });
});
