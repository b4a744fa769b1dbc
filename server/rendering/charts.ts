// Small inline-SVG charts for the report (vector, so they print sharply and need nothing from outside).
import { esc } from './escape.js';
import type { Lang, MonthlySeries } from '../domain/reports/types.js';
import { fmtNumber } from '../domain/reports/texts.js';

const MONTHS_SV = ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Bars per month; months inside [from, to) are dark, earlier ones light; suppressed months are hatched. */
export function monthlyBars(series: MonthlySeries, period: { from: string; to: string }, lang: Lang, k: number): string {
  const W = 640, H = 150, padL = 36, padB = 22, padT = 8;
  const ms = series.months;
  if (!ms.length) return '';
  const max = Math.max(4, ...ms.map((m) => m.count ?? 0), ms.some((m) => m.suppressed) ? k : 0);
  const step = (W - padL - 4) / ms.length;
  const bw = Math.max(1, step * 0.78);
  const y = (v: number) => padT + (H - padT - padB) * (1 - v / max);
  const names = lang === 'sv' ? MONTHS_SV : MONTHS_EN;
  const pFrom = period.from.slice(0, 7), pTo = period.to.slice(0, 7);
  const ticks = niceTicks(max);
  let out = `<svg class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(series.label)}">`;
  out += `<defs><pattern id="hatch-${esc(series.source)}" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="4" stroke="#9aa3ad" stroke-width="1.2"/></pattern></defs>`;
  for (const t of ticks) {
    out += `<line x1="${padL}" x2="${W}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e3e6ea" stroke-width="0.7"/>`;
    out += `<text x="${padL - 4}" y="${(y(t) + 3).toFixed(1)}" text-anchor="end" font-size="9" fill="#58606a">${esc(fmtNumber(lang, t))}</text>`;
  }
  ms.forEach((m, i) => {
    const x = padL + i * step + (step - bw) / 2;
    const inPeriod = m.month >= pFrom && m.month < pTo;
    if (m.suppressed) {
      const h = H - padB - y(k - 1);
      out += `<rect x="${x.toFixed(1)}" y="${(H - padB - h).toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}" fill="url(#hatch-${esc(series.source)})"><title>${esc(m.month)}: &lt; ${k}</title></rect>`;
    } else if (m.count !== null) {
      const yy = y(m.count);
      out += `<rect x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - padB - yy).toFixed(1)}" fill="${inPeriod ? '#1f4e79' : '#a9bed6'}"><title>${esc(m.month)}: ${m.count}</title></rect>`;
    }
    const [yr, mo] = m.month.split('-');
    if (mo === '01' || i === 0) out += `<text x="${x.toFixed(1)}" y="${H - 4}" font-size="9" fill="#333">${esc(yr)}</text>`;
    else if (ms.length <= 24) out += `<text x="${(x + bw / 2).toFixed(1)}" y="${H - 12}" font-size="7" text-anchor="middle" fill="#777">${esc(names[Number(mo) - 1].slice(0, 1))}</text>`;
  });
  out += `<line x1="${padL}" x2="${W}" y1="${H - padB}" y2="${H - padB}" stroke="#58606a" stroke-width="0.8"/></svg>`;
  return out;
}

function niceTicks(max: number): number[] {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? raw);
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v * 100) / 100);
  return out;
}

/** A horizontal CI whisker with the point estimate, for survey rows (scale 0..max). */
export function ciBar(value: number | null, low: number | null, high: number | null, max: number, city: number | null): string {
  const W = 120, H = 14;
  if (value === null) return '';
  const x = (v: number) => Math.max(0, Math.min(W, (v / max) * W));
  let s = `<svg class="ci" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" aria-hidden="true"><line x1="0" x2="${W}" y1="${H / 2}" y2="${H / 2}" stroke="#e3e6ea"/>`;
  if (city !== null) s += `<line x1="${x(city).toFixed(1)}" x2="${x(city).toFixed(1)}" y1="1" y2="${H - 1}" stroke="#c0504d" stroke-width="1" stroke-dasharray="2,1"/>`;
  if (low !== null && high !== null) s += `<line x1="${x(low).toFixed(1)}" x2="${x(high).toFixed(1)}" y1="${H / 2}" y2="${H / 2}" stroke="#1f4e79" stroke-width="2"/>`;
  s += `<circle cx="${x(value).toFixed(1)}" cy="${H / 2}" r="3" fill="#1f4e79"/></svg>`;
  return s;
}

/** Sequential blue for the weekday × hour grid (0 → white). */
export function heatColor(v: number, max: number): string {
  if (!(max > 0) || v <= 0) return '#ffffff';
  const t = Math.sqrt(v / max);
  const from = [239, 243, 255], to = [8, 48, 107];
  const c = from.map((f, i) => Math.round(f + (to[i] - f) * t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}
