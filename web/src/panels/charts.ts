// Small SVG charts for the panels: monthly sparkline, weekday × hour heat, CI bars, before/after bars.
// Plain SVG strings: no chart library, every element labelled for screen readers.
import { fmt, t } from '../i18n/index.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));

let patternSeq = 0;
/** A hatch pattern with an id of its own (several charts share a panel, and ids must be unique in the page). */
function hatchPattern(): { id: string; defs: string } {
  const id = `hatch-${++patternSeq}`;
  return { id, defs: `<defs><pattern id="${id}" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="#fff"/><line x1="0" y1="0" x2="0" y2="4" stroke="#9a9a9a" stroke-width="1.4"/></pattern></defs>` };
}

export function sparkline(points: { label: string; value: number | null }[], color = '#b30000', w = 300, h = 48, k = 5): string {
  const vals = points.map((p) => p.value ?? 0);
  const max = Math.max(1, ...vals);
  const n = points.length;
  if (!n) return '';
  const x = (i: number) => (n === 1 ? w / 2 : 2 + (i * (w - 4)) / (n - 1));
  const y = (v: number) => h - 4 - (v / max) * (h - 10);
  // a hidden month (fewer than k) breaks the line and is hatched over its whole height: it is not a 0
  let d = '';
  points.forEach((p, i) => { if (p.value === null) return; d += `${i && points[i - 1].value !== null ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`; });
  const step = n === 1 ? 8 : (w - 4) / (n - 1);
  const pattern = hatchPattern();
  const missing = points.map((p, i) => (p.value === null ? `<rect class="suppressed-cell" x="${(x(i) - step / 2).toFixed(1)}" y="2" width="${step.toFixed(1)}" height="${h - 4}" fill="url(#${pattern.id})"><title>${esc(p.label)}: &lt; ${k}</title></rect>` : '')).join('');
  const dots = points.map((p, i) => (p.value === null ? '' : `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.2" fill="${color}"><title>${esc(p.label)}: ${fmt(p.value)}</title></circle>`)).join('');
  const first = points[0].label, last = points[n - 1].label;
  return `<svg class="chart spark" viewBox="0 0 ${w} ${h + 14}" width="100%" role="img" aria-label="${esc(`${first}–${last}, max ${fmt(max)}`)}">${pattern.defs}${missing}
    <path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"/>${dots}
    <text x="0" y="${h + 12}" class="axis">${esc(first)}</text><text x="${w}" y="${h + 12}" text-anchor="end" class="axis">${esc(last)}</text>
    <text x="${w}" y="9" text-anchor="end" class="axis">max ${fmt(max)}</text></svg>`;
}

/** matrix[weekday 0=Mon][hour 0..23]; a null cell is hidden (fewer than k) and hatched, never drawn as 0. */
export function weekHourHeat(matrix: (number | null)[][], k = 5, w = 310): string {
  const cell = (w - 34) / 24, ch = 12;
  const max = Math.max(1e-9, ...matrix.flat().map((v) => v ?? 0));
  let cells = '';
  const pattern = hatchPattern();
  matrix.forEach((row, d) => row.forEach((v, hr) => {
    const x = (32 + hr * cell).toFixed(1), y = d * (ch + 1), wd = (cell - 1).toFixed(1);
    const when = `${t(`weekday.${d}`)} ${String(hr).padStart(2, '0')}`;
    if (v === null) cells += `<rect class="suppressed-cell" x="${x}" y="${y}" width="${wd}" height="${ch}" fill="url(#${pattern.id})"><title>${when}: &lt; ${k}</title></rect>`;
    else cells += `<rect x="${x}" y="${y}" width="${wd}" height="${ch}" fill="rgba(179,0,0,${(0.06 + 0.94 * (v / max)).toFixed(2)})"><title>${when}: ${fmt(v, 1)}</title></rect>`;
  }));
  const labels = matrix.map((_, d) => `<text x="0" y="${d * (ch + 1) + 10}" class="axis">${t(`weekday.${d}`)}</text>`).join('');
  const hours = [0, 6, 12, 18, 23].map((hr) => `<text x="${(32 + hr * cell + cell / 2).toFixed(1)}" y="${7 * (ch + 1) + 10}" text-anchor="middle" class="axis">${hr}</text>`).join('');
  return `<svg class="chart heat" viewBox="0 0 ${w} ${7 * (ch + 1) + 14}" width="100%" role="img" aria-label="${t('panel.weekHour')}">${pattern.defs}${labels}${cells}${hours}</svg>`;
}

/** The same weekday × hour as a table a screen reader can walk: a row per weekday, a column per hour. */
export function weekHourTable(matrix: (number | null)[][], caption: string, k = 5): string {
  const head = `<tr><th scope="col">${esc(t('panel.hour'))}</th>${Array.from({ length: 24 }, (_, h) => `<th scope="col">${String(h).padStart(2, '0')}</th>`).join('')}</tr>`;
  const rows = matrix.map((row, d) => `<tr><th scope="row">${t(`weekday.${d}`)}</th>${row.map((v) => (v === null ? `<td class="suppressed">&lt; ${k}</td>` : `<td>${fmt(v, 1)}</td>`)).join('')}</tr>`).join('');
  return `<table class="figures weekhour"><caption>${esc(caption)}</caption><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

export type CiItem = { label: string; value: number | null; lo: number | null; hi: number | null; n?: number | null; previous?: number | null; suppressed?: boolean };

export function ciBars(items: CiItem[], w = 310, unit = '%'): string {
  const rowH = 18, labelW = 96, barW = w - labelW - 48;
  const max = Math.max(1, ...items.map((i) => i.hi ?? i.value ?? 0));
  const x = (v: number) => labelW + (v / max) * barW;
  const rows = items.map((it, i) => {
    const y = i * rowH;
    const label = `<text x="0" y="${y + 12}" class="axis">${esc(it.label)}</text>`;
    if (it.suppressed || it.value === null) return `${label}<text x="${labelW}" y="${y + 12}" class="axis muted">${it.suppressed ? 'n < 30' : '–'}</text>`;
    const bar = `<rect x="${labelW}" y="${y + 4}" width="${(x(it.value) - labelW).toFixed(1)}" height="9" fill="#fc8d59"/>`;
    const ci = it.lo !== null && it.hi !== null ? `<line x1="${x(it.lo).toFixed(1)}" x2="${x(it.hi).toFixed(1)}" y1="${y + 8.5}" y2="${y + 8.5}" stroke="#333" stroke-width="1.3"/><line x1="${x(it.lo).toFixed(1)}" x2="${x(it.lo).toFixed(1)}" y1="${y + 4}" y2="${y + 13}" stroke="#333"/><line x1="${x(it.hi).toFixed(1)}" x2="${x(it.hi).toFixed(1)}" y1="${y + 4}" y2="${y + 13}" stroke="#333"/>` : '';
    const prev = it.previous !== null && it.previous !== undefined ? `<line x1="${x(it.previous).toFixed(1)}" x2="${x(it.previous).toFixed(1)}" y1="${y + 2}" y2="${y + 15}" stroke="#2166ac" stroke-width="2"><title>${t('panel.previousWave')}: ${fmt(it.previous, 1)}</title></line>` : '';
    const txt = `<text x="${w}" y="${y + 12}" text-anchor="end" class="axis">${fmt(it.value, 0)}${unit}${it.n ? ` (n=${fmt(it.n)})` : ''}</text>`;
    return `<g><title>${esc(it.label)}: ${fmt(it.value, 1)}${unit} [${fmt(it.lo, 1)}–${fmt(it.hi, 1)}]${it.n ? `, n=${it.n}` : ''}</title>${label}${bar}${ci}${prev}${txt}</g>`;
  }).join('');
  return `<svg class="chart ci" viewBox="0 0 ${w + 4} ${items.length * rowH + 4}" width="100%" role="img" aria-label="${t('panel.survey')}">${rows}</svg>`;
}

export function beforeAfterBars(groups: { label: string; before: number | null; after: number | null }[], w = 310): string {
  const h = 120, gw = (w - 20) / Math.max(1, groups.length);
  const max = Math.max(1, ...groups.flatMap((g) => [g.before ?? 0, g.after ?? 0]));
  const y = (v: number) => h - 18 - (v / max) * (h - 34);
  const bars = groups.map((g, i) => {
    const x0 = 10 + i * gw;
    const bw = gw / 3;
    const b = g.before ?? 0, a = g.after ?? 0;
    return `<g><rect x="${(x0 + bw * 0.4).toFixed(1)}" y="${y(b).toFixed(1)}" width="${bw.toFixed(1)}" height="${(h - 18 - y(b)).toFixed(1)}" fill="#9ecae1"><title>${esc(g.label)} ${t('place.before')}: ${fmt(g.before)}</title></rect>
      <rect x="${(x0 + bw * 1.5).toFixed(1)}" y="${y(a).toFixed(1)}" width="${bw.toFixed(1)}" height="${(h - 18 - y(a)).toFixed(1)}" fill="#3182bd"><title>${esc(g.label)} ${t('place.after')}: ${fmt(g.after)}</title></rect>
      <text x="${(x0 + bw * 0.9).toFixed(1)}" y="${(y(b) - 3).toFixed(1)}" text-anchor="middle" class="axis">${fmt(g.before)}</text>
      <text x="${(x0 + bw * 2).toFixed(1)}" y="${(y(a) - 3).toFixed(1)}" text-anchor="middle" class="axis">${fmt(g.after)}</text>
      <text x="${(x0 + gw / 2).toFixed(1)}" y="${h - 4}" text-anchor="middle" class="axis">${esc(g.label)}</text></g>`;
  }).join('');
  const legend = `<rect x="${w - 130}" y="2" width="9" height="9" fill="#9ecae1"/><text x="${w - 118}" y="10" class="axis">${t('place.before')}</text><rect x="${w - 66}" y="2" width="9" height="9" fill="#3182bd"/><text x="${w - 54}" y="10" class="axis">${t('place.after')}</text>`;
  return `<svg class="chart before-after" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="${t('place.evaluation')}">${legend}${bars}</svg>`;
}
