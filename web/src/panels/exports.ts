// Exports of what is on screen: the current table as CSV (the very numbers the map and legend use; semicolon and
// BOM for Swedish spreadsheets) and the map as PNG with its legend and a source line.
import type { Map as MlMap } from 'maplibre-gl';
import { t } from '../i18n/index.js';
import type { ChoroData } from '../map/choropleth-data.js';
import { dotsDraw, hatchDraw } from '../map/patterns.js';
import type { State } from '../state/store.js';
import { periodText } from '../state/period.js';
import { lastDay } from '../../../shared/periods.js';
import { legendItems } from './legend.js';
import { download } from './dom.js';

/** The period the numbers count: the API's (the public's is widened to whole months) or the one asked for. */
function counted(d: ChoroData | null, period: { from: string; to: string }): { from: string; to: string } {
  const p = d?.meta?.period as { from: string; to: string } | undefined;
  return p?.from && p.to ? p : period;
}

export function tableCsv(d: ChoroData, s: State, requested: { from: string; to: string }): string {
  const period = counted(d, requested);
  const sep = s.lang === 'sv' ? ';' : ',';
  const num = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? (s.lang === 'sv' ? String(v).replace('.', ',') : String(v)) : String(v));
  const q = (v: string) => (/[";,\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const cols = ['areaId', 'code', 'name', 'value', 'count', 'population', 'ratePer1000', 'previousCount', 'rateRatio', 'rateRatioCiLow', 'rateRatioCiHigh', 'changeSignificant', 'suppressed', 'ciLow', 'ciHigh', 'respondents', 'class'];
  // the period with its last day inclusive, in words and as dates (and the comparison period for the change)
  const prev = d.meta?.previousPeriod as { from: string; to: string } | undefined;
  const head = [`# ${s.source} ${s.metric} ${s.areaSet}: ${periodText(period, s.lang)} (${period.from} – ${lastDay(period)})`];
  if (prev?.from && prev.to) head.push(`# ${s.lang === 'sv' ? 'jämförelseperiod' : 'comparison period'}: ${periodText(prev, s.lang)} (${prev.from} – ${lastDay(prev)})`);
  const lines = [...head, cols.join(sep)];
  for (const f of d.geometry.features) {
    const id = Number(f.id);
    const v = d.values.get(id);
    const r = (v?.row ?? {}) as Record<string, unknown>;
    const p = f.properties as { code?: string; name?: string };
    lines.push([id, q(p?.code ?? ''), q(p?.name ?? ''), num(v?.value), num(r.count), num(r.population), num(r.ratePer1000), num(r.previousCount), num(r.rateRatio), num(r.rateRatioCiLow), num(r.rateRatioCiHigh), num(r.changeSignificant), num(v?.suppressed ?? ''), num(v?.ciLow), num(v?.ciHigh), num(v?.respondents), num(v?.category ?? '')].join(sep));
  }
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

export function exportCsv(d: ChoroData, s: State, period: { from: string; to: string }): void {
  const p = counted(d, period);
  download(`trygghetskarta-${s.areaSet}-${s.source}-${p.from}-${lastDay(p)}.csv`, new Blob([tableCsv(d, s, period)], { type: 'text/csv;charset=utf-8' }));
}

export async function exportPng(map: MlMap, d: ChoroData | null, s: State, requested: { from: string; to: string }): Promise<void> {
  const period = counted(d, requested);
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
  ctx.font = 'bold 14px sans-serif';
  ctx.fillText(`${t(`source.${s.source}`)}`, x0, y); y += 18;
  ctx.font = '12px sans-serif';
  ctx.fillText(`${t(`metric.${s.metric}`)}`, x0, y); y += 16;
  ctx.fillText(periodText(period, s.lang), x0, y); y += 20;
  for (const it of legendItems(d)) {
    if (it.color === 'hatch' || it.color === 'dots') {
      const c = document.createElement('canvas'); c.width = c.height = 12;
      const cx = c.getContext('2d')!; (it.color === 'hatch' ? hatchDraw : dotsDraw)(cx, 12);
      ctx.fillStyle = ctx.createPattern(c, 'repeat')!;
    } else ctx.fillStyle = it.color;
    ctx.fillRect(x0, y - 11, 18, 14);
    ctx.strokeStyle = '#999'; ctx.strokeRect(x0, y - 11, 18, 14);
    ctx.fillStyle = '#222';
    ctx.fillText(it.label, x0 + 26, y);
    y += 20;
  }
  ctx.font = '10px sans-serif';
  ctx.fillStyle = '#555';
  ctx.fillText(t('export.source', { source: t(`source.${s.source}`), period: periodText(period, s.lang) }), 8, out.height / ratio - 8);
  const blob = await new Promise<Blob | null>((r) => out.toBlob(r, 'image/png'));
  if (blob) download(`trygghetskarta-${s.areaSet}-${period.from}-${lastDay(period)}.png`, blob);
}
