// The UI in two languages: every text the app asks for exists in Swedish and English, with the same {placeholders},
// and numbers are written the way each language writes them.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SOURCES } from '../../../shared/sources.js';
import { PRESETS } from '../state/period.js';
import { LAYERS, METRICS } from '../state/store.js';
import { en } from './en.js';
import { fmt, fmtSize, getLang, setLang, t } from './index.js';
import { sv } from './sv.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The keys the app's code asks for literally: t('key'). */
function keysUsedInCode(): string[] {
  const root = path.dirname(new URL(import.meta.url).pathname);
  const src = path.resolve(root, '..');
  const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const keys = new Set<string>();
  for (const f of files) for (const m of fs.readFileSync(path.join(src, f), 'utf8').matchAll(/\bt\('([^']+)'/g)) keys.add(m[1]);
  return [...keys].sort();
}

describe('the Swedish and English tables', () => {
  it('have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
  });

  it('have no empty text, and the same {placeholders} in both languages', () => {
    for (const k of Object.keys(sv) as (keyof typeof sv)[]) {
      expect(sv[k].trim(), `sv ${k}`).not.toBe('');
      expect(en[k].trim(), `en ${k}`).not.toBe('');
      expect(placeholders(en[k]), k).toEqual(placeholders(sv[k]));
    }
  });

  it('hold every key the code asks for', () => {
    const used = keysUsedInCode();
    expect(used.length).toBeGreaterThan(50); // the scan found the code
    expect(used.filter((k) => !(k in sv))).toEqual([]);
  });

  it('name every source, metric, layer and preset the menus list', () => {
    const keys = [...SOURCES.map((x) => `source.${x}`), ...METRICS.map((x) => `metric.${x}`), ...LAYERS.map((x) => `layer.${x}`), ...PRESETS.map((x) => `preset.${x}`)];
    expect(keys.filter((k) => !(k in sv))).toEqual([]);
  });

  it('give the sources the names the rest of the service uses', () => {
    expect(sv['source.crimes']).toBe('Anmälda brott');
    expect(en['source.guard-reports']).toBe('Security-guard interventions');
  });
});

describe('t() and fmt()', () => {
  beforeEach(() => { vi.stubGlobal('document', { documentElement: { lang: 'sv' } }); });
  afterEach(() => { setLang('sv'); vi.unstubAllGlobals(); });

  it('switch language and tell the page which it is in', () => {
    expect(getLang()).toBe('sv');
    expect(t('source.shootings')).toBe('Skjutningar');
    setLang('en');
    expect(getLang()).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(t('source.shootings')).toBe('Shootings');
  });

  it('fill in the placeholders, leaving none behind', () => {
    const k = (Object.keys(sv) as (keyof typeof sv)[]).find((x) => placeholders(sv[x]).length > 0)!;
    const vars = Object.fromEntries(placeholders(sv[k]).map((p, i) => [p, `V${i}`]));
    const out = t(k, vars);
    expect(out).not.toMatch(/\{\w+\}/);
    for (const v of Object.values(vars)) expect(out).toContain(v);
  });

  it('show an unknown key as itself rather than nothing', () => {
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('write numbers as each language does, and a missing number as a dash', () => {
    expect(fmt(1234.5, 1)).toBe('1\u00a0234,5');
    setLang('en');
    expect(fmt(1234.5, 1)).toBe('1,234.5');
    for (const none of [null, undefined, NaN, Infinity]) expect(fmt(none)).toBe('–');
  });
});

describe('numbers with the precision their size needs', () => {
  beforeEach(() => { vi.stubGlobal('document', { documentElement: { lang: 'sv' } }); });
  afterEach(() => { vi.unstubAllGlobals(); });
  it('keeps two significant digits below 1, one decimal below 100 and none above', () => {
    setLang('sv');
    expect([0.027, 0.5, 0.0049, 1.736, 16.936, 123.4, 0, null].map(fmtSize)).toEqual(['0,027', '0,50', '0,0049', '1,7', '16,9', '123', '0', '–']);
  });
});
