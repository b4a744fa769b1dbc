// The period a counted period is compared with, in the viewer's disclosure control: by the default rule of
// shared/periods.ts (the same calendar month, quarter or year one year earlier; else the preceding period of equal
// length), by a rule asked for by name, or a custom baseline. Every figure with a "previous" (area statistics, the
// area profile, the lägesbild, hot spot comparison) takes its comparison period from here.
//
// Privacy: a custom baseline is counted as a main period would be — for the public widened to the public grid
// (disclosure/public-period.ts) — so its published count is the very number asking for that period itself gives
// (the same events, the same cell key, the same noise): no day range the grid refuses enters through the baseline.
import { comparisonLabel, comparisonPeriod, inBothLanguages, lastDay, periodLabel, type DerivedRule } from '../../../shared/periods.js';
import { daysBetween } from '../../../shared/dates.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { invalid } from '../problems.js';
import type { ComparisonPeriod, LabelledPeriod } from './period-schema.js';

export type ComparisonQuery = {
  /** a rule by name; omitted: the default rule, or custom when compareFrom/compareTo are given */
  compare?: DerivedRule | 'custom';
  /** a custom baseline, from inclusive, to exclusive (local days) */
  compareFrom?: string; compareTo?: string;
};

/** A period with its length, last day and label. */
export function labelled(p: { from: string; to: string }): LabelledPeriod {
  return { from: p.from, to: p.to, days: daysBetween(p.from, p.to), lastDay: lastDay(p), label: inBothLanguages((l) => periodLabel(p, l)) };
}

/**
 * The comparison period of `period` (already the counted one: for the public a public period) for the viewer.
 * Throws invalid (fields compare, compareFrom, compareTo) for a half or empty baseline, a baseline that overlaps
 * the period, or a named rule together with a baseline.
 */
export function comparisonFor(d: Disclosure, period: { from: string; to: string }, q: ComparisonQuery = {}): ComparisonPeriod {
  const custom = q.compareFrom !== undefined || q.compareTo !== undefined || q.compare === 'custom';
  let prev: { from: string; to: string }, rule: ComparisonPeriod['rule'];
  if (custom) {
    if (q.compare && q.compare !== 'custom') {
      throw invalid(`compare=${q.compare} names a rule; a baseline of your own (compareFrom, compareTo) is compare=custom or no compare at all.`,
        [{ field: 'compare', message: 'conflicts with compareFrom/compareTo' }]);
    }
    if (!q.compareFrom || !q.compareTo) {
      const missing = q.compareFrom ? 'compareTo' : 'compareFrom';
      throw invalid(`A custom baseline needs both compareFrom (inclusive) and compareTo (exclusive); ${missing} is missing.`, [{ field: missing, message: 'required with a custom baseline' }]);
    }
    if (q.compareFrom >= q.compareTo) {
      throw invalid(`"compareFrom" (${q.compareFrom}) must be before "compareTo" (${q.compareTo}); compareTo is exclusive.`, [{ field: 'compareTo', message: 'must be after compareFrom' }]);
    }
    if (daysBetween(q.compareFrom, q.compareTo) > 366 * 300) throw invalid('The baseline may be at most 300 years long.', [{ field: 'compareFrom', message: 'baseline too long' }]);
    // counted as a main period is: the public's widened to the grid
    prev = d.period(q.compareFrom, q.compareTo);
    rule = 'custom';
    if (prev.from < period.to && period.from < prev.to) {
      throw invalid(`The baseline ${prev.from}..${prev.to} overlaps the period ${period.from}..${period.to} (both from inclusive, to exclusive${d.exact ? '' : ', as counted on the public grid'}); ` +
        'choose compareFrom/compareTo outside it.', [{ field: 'compareFrom', message: 'overlaps the period' }, { field: 'compareTo', message: 'overlaps the period' }]);
    }
  } else {
    const derived: DerivedRule = q.compare && q.compare !== 'custom' ? q.compare : comparisonPeriod(period).rule;
    prev = d.previous(period, derived);
    rule = derived;
  }
  return { ...labelled(prev), rule, comparison: inBothLanguages((l) => comparisonLabel(period, prev, l)) };
}
