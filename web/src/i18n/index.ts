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
