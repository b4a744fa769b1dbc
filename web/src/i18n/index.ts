// t(key, vars): the UI text in the current language; both dictionaries have the same keys (checked by the type).
import { en } from './en.js';
import { sv, type Dict } from './sv.js';

export type TextKey = keyof Dict;
const dicts: Record<'sv' | 'en', Dict> = { sv, en };
let lang: 'sv' | 'en' = 'sv';

export function setLang(l: 'sv' | 'en'): void {
  lang = l;
  document.documentElement.lang = l;
}
export function getLang(): 'sv' | 'en' { return lang; }

export function t(key: TextKey | string, vars: Record<string, string | number> = {}): string {
  const s = (dicts[lang] as Record<string, string>)[key] ?? (dicts.sv as Record<string, string>)[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k] ?? ''));
}

export function fmt(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * A number with the precision its size needs: whole numbers from 100, one decimal from 1, and two significant digits
 * below 1 — so a city rate of 0,027 shootings per 1 000 is not printed as "0,0".
 */
export function fmtSize(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const a = Math.abs(n);
  if (a === 0) return fmt(0);
  if (a >= 100) return fmt(n, 0);
  if (a >= 1) return fmt(n, 1);
  const digits = Math.min(6, 1 - Math.floor(Math.log10(a)));
  return fmt(n, digits);
}
