// Exports of what is on screen: the current table as CSV with a note beside it (table-csv.ts: the very numbers the
// map and legend use; Swedish headers, ja/nej, semicolon and BOM in Swedish) and the map as PNG with its legend and a source line.
import type { Map as MlMap } from 'maplibre-gl';
import { t } from '../i18n/index.js';
import type { ChoroData } from '../map/choropleth-data.js';
import { dotsDraw, hatchDraw } from '../map/patterns.js';
import type { State } from '../state/store.js';
import { periodText } from '../state/period.js';
import { lastDay } from '../../../shared/periods.js';
import { legendItems } from './legend.js';
import { download } from './dom.js';
import { countedPeriod as counted, tableCsv, tableCsvNote } from './table-csv.js';

export { tableCsv };

/** The table as CSV and, beside it, a plain-text note with its period, source, disclosure rule and provenance (no comment rows in the CSV). */
export function exportCsv(d: ChoroData, s: State, period: { from: string; to: string }): void {
  const p = counted(d, period);
  const name = `trygghetskarta-${s.areaSet}-${s.source}-${p.from}-${lastDay(p)}`;
  download(`${name}.csv`, new Blob([tableCsv(d, s)], { type: 'text/csv;charset=utf-8' }));
  download(`${name}-${s.lang === 'sv' ? 'om-filen' : 'about'}.txt`, new Blob([tableCsvNote(d, s, period, `${name}.csv`)], { type: 'text/plain;charset=utf-8' }));
}

/** One legend row in a PNG: a colour or a pattern drawn into a 12 px tile, optionally with an outline of its own. */
export type PngLegendItem = { label: string; fill: string | ((ctx: CanvasRenderingContext2D, size: number) => void); outline?: { color: string; width: number } };

/** The map's canvas with a legend beside it (heading lines, then the items) and a source line below, as a PNG. */
export async function mapPng(map: MlMap, head: { text: string; bold?: boolean }[], items: PngLegendItem[], foot: string): Promise<Blob | null> {
  await new Promise<void>((r) => { if (map.loaded()) r(); else map.once('idle', () => r()); });
  const src = map.getCanvas();
  const ratio = src.width / src.clientWidth;
  const legendW = 260 * ratio;
  const out = document.createElement('canvas');
  out.width = src.width + legendW;
  out.height = Math.max(src.height, 400 * ratio);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(src, 0, 0);
  ctx.scale(ratio, ratio);
  const x0 = src.clientWidth + 14;
  let y = 26;
  ctx.fillStyle = '#222';
  for (const [i, h] of head.entries()) {
    ctx.font = h.bold ? 'bold 14px sans-serif' : '12px sans-serif';
    ctx.fillText(h.text, x0, y); y += i === head.length - 1 ? 20 : h.bold ? 18 : 16;
  }
  ctx.font = '12px sans-serif';
  for (const it of items) {
    if (typeof it.fill === 'function') {
      const c = document.createElement('canvas'); c.width = c.height = 12;
      it.fill(c.getContext('2d')!, 12);
      ctx.fillStyle = ctx.createPattern(c, 'repeat')!;
    } else ctx.fillStyle = it.fill;
    ctx.fillRect(x0, y - 11, 18, 14);
    ctx.strokeStyle = it.outline?.color ?? '#999'; ctx.lineWidth = it.outline?.width ?? 1; ctx.strokeRect(x0, y - 11, 18, 14); ctx.lineWidth = 1;
    ctx.fillStyle = '#222';
    ctx.fillText(it.label, x0 + 26, y);
    y += 20;
  }
  ctx.font = '10px sans-serif';
  ctx.fillStyle = '#555';
  ctx.fillText(foot, 8, out.height / ratio - 8);
  return new Promise<Blob | null>((r) => out.toBlob(r, 'image/png'));
}

export async function exportPng(map: MlMap, d: ChoroData | null, s: State, requested: { from: string; to: string }): Promise<void> {
  const period = counted(d, requested);
  const items = legendItems(d).map((it): PngLegendItem => ({ label: it.label, fill: it.color === 'hatch' ? hatchDraw : it.color === 'dots' ? dotsDraw : it.color }));
  const blob = await mapPng(map, [{ text: t(`source.${s.source}`), bold: true }, { text: t(`metric.${s.metric}`) }, { text: periodText(period, s.lang) }], items,
    t('export.source', { source: t(`source.${s.source}`), period: periodText(period, s.lang) }));
  if (blob) download(`trygghetskarta-${s.areaSet}-${period.from}-${lastDay(period)}.png`, blob);
}
