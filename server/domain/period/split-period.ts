// Cuts a period of local days into whole calendar months and the ragged days at either end, so a long period can
// be read from a monthly rollup and only its edges from finer data (stats and hot spots both do).
import { addDays } from './resolve-period.js';

const firstOfNextMonth = (d: string) => (d.endsWith('-01') ? d : addDays(`${d.slice(0, 8)}01`, 40).slice(0, 8) + '01');
const firstOfMonth = (d: string) => `${d.slice(0, 8)}01`;

/** [lo, hi) day ranges and [lo, hi) whole-month ranges covering [a, b) (YYYY-MM-DD). */
export function splitPeriod(a: string, b: string): { days: [string, string][]; months: [string, string][] } {
  const m0 = firstOfNextMonth(a), m1 = firstOfMonth(b);
  if (m0 >= m1) return { days: [[a, b]], months: [] };
  const days: [string, string][] = [];
  if (a < m0) days.push([a, m0]);
  if (m1 < b) days.push([m1, b]);
  return { days, months: [[m0, m1]] };
}
