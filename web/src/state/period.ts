// The map's periods on local dates (YYYY-MM-DD): from inclusive, to exclusive, as the API defines them. The day
// arithmetic itself is shared with the server (shared/dates.ts).
import { addDays, addMonths, monthStart } from '../../../shared/dates.js';

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

/** The same period one year earlier ("same period last year"). */
export function sameLastYear(p: { from: string; to: string }): { from: string; to: string } {
  return { from: addMonths(p.from, -12), to: addMonths(p.to, -12) };
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
  return !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}
