// The map's periods on local dates (YYYY-MM-DD): from inclusive, to exclusive, as the API defines them, and shown
// the way people read them — last day inclusive, "1 jan – 31 dec 2025". The day arithmetic, the labels and the
// comparison rule are shared with the server (shared/dates.ts, shared/periods.ts).
import { addDays, addMonths, monthStart } from '../../../shared/dates.js';
import { comparisonPeriod, periodLabel, periodName, type DayRange, type DerivedRule, type PeriodLang } from '../../../shared/periods.js';

export type Preset = '30d' | '90d' | '12m' | 'year' | 'custom';
export const PRESETS: Preset[] = ['30d', '90d', '12m', 'year', 'custom'];

/** The preset's period ending at `end` (exclusive; the day after the latest data). */
export function presetPeriod(preset: Preset, end: string): { from: string; to: string } {
  switch (preset) {
    case '30d': return { from: addDays(end, -30), to: end };
    case '90d': return { from: addDays(end, -90), to: end };
    case 'year': {
      // the last complete calendar year before `end` (or the current one when end is 1 January)
      const y = Number(end.slice(0, 4)) - 1;
      return { from: `${y}-01-01`, to: `${y + 1}-01-01` };
    }
    default: return { from: addMonths(end, -12), to: end };
  }
}

/**
 * What a period is compared with, as the map offers it: the API's rule ('auto': one calendar month, quarter or year
 * against the same one a year earlier, any other period against the equally long one before — shared/periods.ts),
 * either rule by name, or a baseline of one's own.
 */
export type CompareChoice = 'auto' | DerivedRule | 'custom';
export const COMPARE_CHOICES: CompareChoice[] = ['auto', 'same-period-last-year', 'preceding-equal-length', 'custom'];

export type Comparison = { compareRule: CompareChoice; compareFrom: string; compareTo: string };

/** The custom baseline when one is chosen and valid, else null (then the rule applies). */
function customBaseline(c: Comparison): DayRange | null {
  return c.compareRule === 'custom' && isIsoDate(c.compareFrom) && isIsoDate(c.compareTo) && c.compareFrom < c.compareTo
    ? { from: c.compareFrom, to: c.compareTo } : null;
}

/** The period `p` is compared with for the chosen comparison (the rule's, or the custom baseline). */
export function baselinePeriod(p: DayRange, c: Comparison): DayRange {
  const custom = customBaseline(c);
  if (custom) return custom;
  const r = comparisonPeriod(p, c.compareRule === 'auto' || c.compareRule === 'custom' ? undefined : c.compareRule);
  return { from: r.from, to: r.to };
}

/** The comparison as /api/stats and the area profile take it (nothing for the default rule). */
export function compareParams(c: Comparison): { compare?: string; compareFrom?: string; compareTo?: string } {
  const custom = customBaseline(c);
  if (custom) return { compareFrom: custom.from, compareTo: custom.to };
  return c.compareRule === 'same-period-last-year' || c.compareRule === 'preceding-equal-length' ? { compare: c.compareRule } : {};
}

/** A period as people read it, last day inclusive: "1 jan – 31 dec 2025". */
export function periodText(p: DayRange, lang: PeriodLang): string {
  return periodLabel(p, lang);
}

/** A period whose both ends are inclusive (the place evaluation's before/after), as people read it. */
export function inclusivePeriodText(p: { from: string; to: string }, lang: PeriodLang): string {
  return periodLabel({ from: p.from, to: addDays(p.to, 1) }, lang);
}

/** A time-slider step by name: "mar 2025" for a whole month, else its days ("15 – 31 mar" reads "15 mar – 31 mar 2025"). */
export function stepText(p: DayRange, lang: PeriodLang): string {
  return periodName(p, lang);
}

/** Month starts covering [from, to): the time slider's steps. */
export function monthSteps(from: string, to: string): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  let m = monthStart(from);
  while (m < to && out.length < 400) {
    const next = addMonths(m, 1);
    out.push({ from: m < from ? from : m, to: next > to ? to : next });
    m = next;
  }
  return out;
}

export function isIsoDate(s: string | null | undefined): s is string {
  // a round trip, since Date.parse lets 2024-02-30 roll over into March
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}
