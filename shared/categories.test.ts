// Category codes come from import files and from URLs (?category=a,b and the map's cat=); one rule says what a
// code is, so the web map never keeps a code the API would refuse, and nothing else (markup, SQL, spaces) passes.
import { describe, expect, it } from 'vitest';
import { CATEGORY_CODE_CHAR, categoryCodesOf, isCategoryCode } from './categories.js';

describe('category codes', () => {
  it('are letters (Swedish ones too), digits and _ . : -', () => {
    for (const ok of ['misshandel', 'skadegörelse', 'rån', 'skott-dod', 'brott:3.1', 'A_1', '9']) expect(isCategoryCode(ok), ok).toBe(true);
  });

  it('refuse what could break a list, a URL, markup or SQL', () => {
    for (const bad of ['', ' ', 'a b', 'a,b', "a'b", 'a"b', '<b>', 'a;drop', 'a/b', 'a%20', 'a\nb', 'a+b']) expect(isCategoryCode(bad), JSON.stringify(bad)).toBe(false);
  });

  it('a list keeps its codes in order and drops whatever is not a code', () => {
    expect(categoryCodesOf('rån,misshandel')).toEqual(['rån', 'misshandel']);
    expect(categoryCodesOf('rån,,<script>,a b,stöld')).toEqual(['rån', 'stöld']);
    expect(categoryCodesOf('')).toEqual([]);
  });

  it('the character class builds the same rule into longer patterns (the API\'s comma-separated list)', () => {
    const list = new RegExp(`^${CATEGORY_CODE_CHAR}+(,${CATEGORY_CODE_CHAR}+)*$`, 'u');
    expect(list.test('rån,misshandel')).toBe(true);
    expect(list.test('rån,')).toBe(false);
    expect(list.test('rån, misshandel')).toBe(false);
  });
});
