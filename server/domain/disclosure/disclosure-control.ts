// The one disclosure control every output that reaches the public (and staff, who see the public view) goes
// through: statistics, tiles, hot spots, OGC, place evaluations, profiles, reports, exports, provenance. A domain
// function that publishes counts takes a Disclosure and asks it for each published figure, so a new output
// cannot publish a count without choosing what this object says; analysts and admins get the exact variant.
//
// The method (README "Privacy and statistics"):
//  - periods: public periods on a fixed grid (public-period.ts);
//  - counts: cell-key perturbation (cell-key.ts, perturb-count.ts): below k → null ("fewer than k", zero included),
//    else the true count ± at most maxNoise chosen by the cell's key, rounded to a multiple of k;
//  - everything derived (rates, ratios, z-scores, p-values, verdicts) is computed from the published counts;
//  - dates of events (extents, first/last of a batch) only to the month.
import type { Queryable } from '../../db/index.js';
import type { DisclosureMethod } from './disclosure-method-schema.js';
import { disclosureSecret, recordKeySql } from './cell-key.js';
import { monthLastDay, monthStart } from '../../../shared/dates.js';
import { comparisonPeriod, type DerivedRule } from '../../../shared/periods.js';
import { maxError, perturbCount, type PerturbationParams } from './perturb-count.js';
import { publicPeriod, type MonthPeriod } from './public-period.js';

export type DisclosureSettings = { k: number; maxNoise: number };

export type { DisclosureMethod };

export const PUBLIC_DESCRIPTION = {
  en: 'Counts below k are shown as "fewer than k" and not told apart from zero. Larger counts get a small noise (at most ±maxNoise) ' +
    'that depends only on which events the count holds (the cell-key method of SCB and the Australian Bureau of Statistics: the same ' +
    'events always get the same noise, so repeating or rephrasing a query cannot average it away), and are then rounded to a multiple ' +
    'of roundingBase; a published count is within maxError of the true one. Rates, ratios, z-scores and p-values are computed from ' +
    'the published counts. Public periods are whole months, quarters, twelve months or up to three calendar years; other requests are ' +
    'widened to the smallest of these that contains them. Dates of events are given to the month.',
  sv: 'Antal under k visas som "färre än k" och skiljs inte från noll. Större antal får ett litet brus (högst ±maxNoise) som bara beror ' +
    'på vilka händelser antalet består av (cellnyckelmetoden som SCB och australiska statistikmyndigheten använder: samma händelser ' +
    'får alltid samma brus, så att upprepa eller omformulera en fråga kan inte jämna ut det) och avrundas sedan till en multipel av ' +
    'roundingBase; ett publicerat antal avviker högst maxError från det sanna. Takter, kvoter, z-värden och p-värden räknas från de ' +
    'publicerade antalen. Publika perioder är hela månader, kvartal, tolv månader eller upp till tre kalenderår; andra frågor vidgas ' +
    'till den minsta av dessa som rymmer dem. Datum för händelser anges per månad.',
};

export interface Disclosure {
  readonly exact: boolean;
  readonly k: number;
  /** The published value of a count whose records' keys sum to keySum (exact: the count itself). */
  count(n: number, keySum: number): number | null;
  /** A fractional (aoristically weighted) sum published like a count of round(x). */
  weight(x: number, keySum: number): number | null;
  /** The period that is counted for a request [from, to) (exact: unchanged). */
  period(from: string, to: string): MonthPeriod;
  /**
   * The period a published one is compared with by a rule of shared/periods.ts (the same period a year earlier, or
   * the preceding one of equal length). Public: on a public period both rules give a public period of the same shape
   * (checked: it is widened to the grid, which leaves a grid period as it is).
   */
  previous(p: MonthPeriod, rule: DerivedRule): MonthPeriod;
  /** Pushes the record-key secret onto params and returns the SQL for one record's key (0 for exact: no work). */
  recordKeySql(params: unknown[], source: string, category: string, day: string): string;
  /**
   * A date of an event (YYYY-MM-DD) as it may be shown: the day itself (exact), else the first day of its month or,
   * with end = true (the last event of a span), the last day of its month.
   */
  eventDate(day: string, end?: boolean): string;
  readonly method: DisclosureMethod;
}


export function exactDisclosure(k: number): Disclosure {
  return {
    exact: true, k,
    count: (n) => n,
    weight: (x) => x,
    period: (from, to) => ({ from, to }),
    previous: (p, rule) => { const c = comparisonPeriod(p, rule); return { from: c.from, to: c.to }; },
    recordKeySql: () => '0',
    eventDate: (d) => d,
    method: { method: 'exact', k, roundingBase: null, maxNoise: 0, maxError: 0, periods: 'any days', description: 'Exact counts (analyst/admin role).' },
  };
}

export function publicDisclosure(s: DisclosureSettings & { secret: string }): Disclosure {
  const p: PerturbationParams = { k: s.k, base: Math.max(1, s.k), maxNoise: s.maxNoise };
  return {
    exact: false, k: s.k,
    count: (n, ks) => perturbCount(n, ks, p),
    weight: (x, ks) => perturbCount(Math.round(x), ks, p),
    period: (from, to) => publicPeriod(from, to),
    previous: (q, rule) => { const c = comparisonPeriod(q, rule); return publicPeriod(c.from, c.to); },
    recordKeySql: (params, source, category, day) => { params.push(s.secret); return recordKeySql(`$${params.length}::text`, source, category, day); },
    eventDate: (d, end) => (end ? monthLastDay(d) : monthStart(d)),
    method: {
      method: 'cell-key', k: s.k, roundingBase: p.base, maxNoise: s.maxNoise, maxError: maxError(p),
      periods: 'whole months, calendar quarters, twelve months, or one to three calendar years', description: PUBLIC_DESCRIPTION.en,
    },
  };
}

/** The disclosure control for a viewer: exact for analysts and admins, the public one for everybody else. */
export async function disclosureFor(db: Queryable, exact: boolean, s: DisclosureSettings): Promise<Disclosure> {
  if (exact) return exactDisclosure(s.k);
  return publicDisclosure({ k: s.k, maxNoise: s.maxNoise, secret: await disclosureSecret(db) });
}
