// Periods as people read them, and the period a period is compared with — one rule for the server (API, report,
// CSV) and the web map. A period is [from, to): from inclusive, to exclusive, local days 'YYYY-MM-DD', as the API
// defines it; people read it by its last day inclusive: "1 jan – 31 dec 2025", never "2025-01-01 – 2026-01-01".
//
// The comparison rule (README: API overview, Periods and comparisons):
//  - one calendar month, quarter or year → the same period one year earlier (2025 against 2024, February 2025
//    against February 2024 with its 29 days): 'same-period-last-year';
//  - any other period → the preceding period of equal length: as many whole months when the period is whole months
//    (2023–2025 against 2020–2022, July–June against the July–June before), else as many days (90 days against the
//    90 days before): 'preceding-equal-length';
//  - a baseline the client chose: 'custom' (the server checks and widens it; see domain/period/comparison.ts).
// Either rule can be asked for by name for any period. Periods of different length are compared per day.
import { addDays, addMonths, addYears, daysBetween, monthsBetween } from './dates.js';

export const COMPARISON_RULES = ['same-period-last-year', 'preceding-equal-length', 'custom'] as const;
export type ComparisonRule = (typeof COMPARISON_RULES)[number];
/** The rules that derive a comparison period from the period itself. */
export type DerivedRule = Exclude<ComparisonRule, 'custom'>;
export const DERIVED_RULES: readonly DerivedRule[] = ['same-period-last-year', 'preceding-equal-length'];

export type PeriodLang = 'sv' | 'en';
export type DayRange = { from: string; to: string };

const MONTHS: Record<PeriodLang, string[]> = {
  sv: ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};
const COMPARED_WITH: Record<PeriodLang, string> = { sv: 'jämfört med', en: 'compared with' };

const year = (d: string) => Number(d.slice(0, 4));
const month = (d: string) => Number(d.slice(5, 7));
const isFirst = (d: string) => d.endsWith('-01');

export type CalendarUnit = 'month' | 'quarter' | 'year' | 'years';

/** What calendar unit [from, to) is exactly — one month, one quarter, one year, several whole years — or null. */
export function calendarUnit(p: DayRange): CalendarUnit | null {
  if (!isFirst(p.from) || !isFirst(p.to) || p.from >= p.to) return null;
  const n = monthsBetween(p.from, p.to);
  if (n === 1) return 'month';
  if (n === 3 && (month(p.from) - 1) % 3 === 0) return 'quarter';
  if (month(p.from) === 1 && n % 12 === 0) return n === 12 ? 'year' : 'years';
  return null;
}

/** The rule that applies when none is asked for: the same period a year earlier for one month, quarter or year. */
export function defaultComparisonRule(p: DayRange): DerivedRule {
  const u = calendarUnit(p);
  return u === 'month' || u === 'quarter' || u === 'year' ? 'same-period-last-year' : 'preceding-equal-length';
}

/** The period [from, to) is compared with, by `rule` (default: defaultComparisonRule). */
export function comparisonPeriod(p: DayRange, rule: DerivedRule = defaultComparisonRule(p)): DayRange & { rule: DerivedRule } {
  if (rule === 'same-period-last-year') {
    // 29 February has no twin a year earlier: start on the 28th (addYears would give 1 March, after the end of a
    // one-day period)
    const from = p.from.endsWith('-02-29') ? `${String(year(p.from) - 1).padStart(4, '0')}-02-28` : addYears(p.from, -1);
    return { from, to: addYears(p.to, -1), rule };
  }
  if (isFirst(p.from) && isFirst(p.to)) return { from: addMonths(p.from, -monthsBetween(p.from, p.to)), to: p.from, rule };
  return { from: addDays(p.from, -daysBetween(p.from, p.to)), to: p.from, rule };
}

/** The last day of [from, to), inclusive. */
export function lastDay(p: DayRange): string {
  return addDays(p.to, -1);
}

const dayMonth = (d: string, lang: PeriodLang) => `${Number(d.slice(8, 10))} ${MONTHS[lang][month(d) - 1]}`;

/** The period with its last day inclusive: "1 jan – 31 dec 2025" (sv), "1 Jan – 31 Dec 2025" (en). */
export function periodLabel(p: DayRange, lang: PeriodLang): string {
  const last = lastDay(p);
  if (last <= p.from) return `${dayMonth(p.from, lang)} ${year(p.from)}`;
  if (year(p.from) === year(last)) return `${dayMonth(p.from, lang)} – ${dayMonth(last, lang)} ${year(last)}`;
  return `${dayMonth(p.from, lang)} ${year(p.from)} – ${dayMonth(last, lang)} ${year(last)}`;
}

/** A short name: "2025", "2023–2025", "kvartal 1 2025" / "Q1 2025", "jan 2025"; other periods as periodLabel. */
export function periodName(p: DayRange, lang: PeriodLang): string {
  switch (calendarUnit(p)) {
    case 'year': return String(year(p.from));
    case 'years': return `${year(p.from)}–${year(lastDay(p))}`;
    case 'quarter': {
      const q = (month(p.from) - 1) / 3 + 1;
      return lang === 'sv' ? `kvartal ${q} ${year(p.from)}` : `Q${q} ${year(p.from)}`;
    }
    case 'month': return `${MONTHS[lang][month(p.from) - 1]} ${year(p.from)}`;
    default: return periodLabel(p, lang);
  }
}

/** "2025 jämfört med 2024" / "2025 compared with 2024". */
export function comparisonLabel(p: DayRange, previous: DayRange, lang: PeriodLang): string {
  return `${periodName(p, lang)} ${COMPARED_WITH[lang]} ${periodName(previous, lang)}`;
}

/** Both languages at once (the API has no language; its answers carry both). */
export function inBothLanguages(f: (lang: PeriodLang) => string): Record<PeriodLang, string> {
  return { sv: f('sv'), en: f('en') };
}
