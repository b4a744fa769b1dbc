// The legend: built from the same ChoroData / classes as the fill, with units, "< k" hatch and "no data" dots.
import { fmt, t } from '../i18n/index.js';
import type { ChoroData } from '../map/choropleth-data.js';
import { classRange, type Classes } from '../map/classify.js';
import { SIG_DOWN, SIG_UP } from '../map/choropleth-layer.js';
import type { SurveyInfo } from '../map/choropleth-data.js';
import { HOTSPOT_COLORS, PLACE_COLORS } from '../map/overlays.js';
import type { State } from '../state/store.js';
import { esc } from './dom.js';
import { aggregatedOf } from './provenance-line.js';

function digitsFor(c: Classes): number {
  const span = Math.abs((Number.isFinite(c.max) ? c.max : 0) - (Number.isFinite(c.min) ? c.min : 0));
  return span < 3 ? 2 : span < 30 ? 1 : 0;
}

/** A survey figure as it reads: "36 %" for a share, "3,2 (1–5)" for a mean on its scale. */
export function surveyValueText(v: number | null | undefined, info: SurveyInfo | undefined, digits = info?.kind === 'mean' ? 1 : 0): string {
  if (v === null || v === undefined) return '–';
  return info?.kind === 'mean' ? `${fmt(v, digits)}${info.scale ? ` (${info.scale[0]}–${info.scale[1]})` : ''}` : `${fmt(v, digits)} %`;
}

/** What the choropleth shows, in words: "Anmälda brott – Per 1 000 invånare", or indicator · wave · group for the survey. */
export function choroplethTitle(s: State, d: ChoroData | null): string {
  if (s.metric === 'survey' && d?.survey) {
    const g = d.survey.group;
    const group = t(`group.${g}`) === `group.${g}` ? g : t(`group.${g}`);
    return [d.survey.indicator[s.lang] || d.survey.indicator.sv, d.survey.wave, group].filter(Boolean).join(' · ');
  }
  return s.metric === 'divergence' ? t(`metric.${s.metric}`) : `${t(`source.${s.source}`)} – ${t(`metric.${s.metric}`)}`;
}

export function legendItems(d: ChoroData | null): { color: string | 'hatch' | 'dots'; label: string }[] {
  if (!d) return [];
  const items: { color: string | 'hatch' | 'dots'; label: string }[] = [];
  // nothing in the period: no classes to show, only that there are no data
  if (d.empty) return [{ color: 'dots', label: t('state.noData') }];
  if (d.categories) for (const c of d.categories) items.push({ color: c.color, label: t(`div.${c.key}`) });
  else if (d.classes) {
    const dg = digitsFor(d.classes);
    d.classes.colors.forEach((color, i) => {
      const [lo, hi] = classRange(d.classes!, i);
      const mean = d.survey?.kind === 'mean' && d.survey.scale ? ` (${d.survey.scale[0]}–${d.survey.scale[1]})` : '';
      const label = (i === d.classes!.colors.length - 1 ? `≥ ${fmt(lo, dg)}` : i === 0 ? `< ${fmt(hi, dg)}` : `${fmt(lo, dg)} – < ${fmt(hi, dg)}`) + mean;
      items.push({ color, label });
    });
  }
  items.push({ color: 'hatch', label: d.survey ? t('legend.surveySuppressed', { n: d.survey.minRespondents }) : t('legend.suppressed', { k: d.k }) });
  items.push({ color: 'dots', label: t('legend.noData') });
  return items;
}

function swatch(c: string): string {
  if (c === 'hatch') return '<span class="sw sw-hatch" aria-hidden="true"></span>';
  if (c === 'dots') return '<span class="sw sw-dots" aria-hidden="true"></span>';
  return `<span class="sw" style="background:${esc(c)}" aria-hidden="true"></span>`;
}

export function renderLegend(el: HTMLElement, s: State, d: ChoroData | null, hex: Classes | null): void {
  let html = '';
  if (s.layers.choropleth && d) {
    // a change says against what: "2025 jämfört med 2024" (the API's comparison period and rule)
    const comparison = (d.meta?.previousPeriod as { comparison?: Record<string, string> } | undefined)?.comparison?.[s.lang];
    const unit = d.survey?.kind === 'mean' && d.survey.scale ? t('legend.unit.mean', { lo: d.survey.scale[0], hi: d.survey.scale[1] })
      : t(`legend.unit.${s.metric}`) + (s.metric === 'change' && comparison ? `: ${comparison}` : '');
    const title = choroplethTitle(s, d);
    // aggregated counts (imported per area and period) are labelled as such, never taken for counted events
    const agg = s.metric !== 'survey' ? aggregatedOf(d.meta as Record<string, unknown> | undefined) : null;
    const aggNote = agg ? `<div class="legend-note legend-aggregated">${esc(t('legend.aggregated', { per: t(`agg.${agg.granularity}`) }))}</div>` : '';
    html += `<div class="legend-block"><div class="legend-title">${esc(title)}</div><div class="legend-unit">${esc(unit)}</div>${aggNote}<ul class="legend-list">`;
    for (const it of legendItems(d)) html += `<li>${swatch(it.color)}<span>${esc(it.label)}</span></li>`;
    html += '</ul>';
    if (d.classes && !d.categories && s.metric !== 'change') html += `<div class="legend-note">${esc(t('legend.breaks'))}</div>`;
    // a rise and a fall by line shape (solid, dashed) as on the map, not by colour alone
    if (s.metric !== 'survey' && s.metric !== 'divergence' && !d.empty) html += `<div class="legend-note"><span class="sw-line sw-rise" style="border-color:${SIG_UP}" aria-hidden="true"></span> ${esc(t('legend.rise'))}</div><div class="legend-note"><span class="sw-line sw-fall" style="border-color:${SIG_DOWN}" aria-hidden="true"></span> ${esc(t('legend.fall'))}</div>`;
    html += '</div>';
  }
  if (s.layers.hexbins && hex) {
    html += `<div class="legend-block"><div class="legend-title">${esc(t('layer.hexbins'))}</div><div class="legend-unit">${esc(t('legend.unit.count'))}</div><ul class="legend-list">`;
    hex.colors.forEach((color, i) => { const [lo, hi] = classRange(hex, i); html += `<li>${swatch(color)}<span>${i === hex.colors.length - 1 ? `≥ ${fmt(lo)}` : `${fmt(lo)} – < ${fmt(hi)}`}</span></li>`; });
    html += '</ul></div>';
  }
  if (s.layers.hotspots) {
    html += `<div class="legend-block"><div class="legend-title">${esc(t('legend.hotspots'))}</div><ul class="legend-list">`;
    for (const [k, c] of Object.entries(HOTSPOT_COLORS)) if (k !== 'not-significant') html += `<li>${swatch(c)}<span>${esc(t(k))}</span></li>`;
    html += '</ul></div>';
  }
  if (s.layers.places) {
    html += `<div class="legend-block"><div class="legend-title">${esc(t('legend.places'))}</div><ul class="legend-list">`;
    for (const [k, c] of Object.entries(PLACE_COLORS)) html += `<li><span class="sw sw-outline" style="border-color:${c}" aria-hidden="true"></span><span>${esc(t(`status.${k}`))}</span></li>`;
    html += '</ul></div>';
  }
  el.innerHTML = html;
  // the box around the legend (with its fold button) goes away when there is nothing to explain
  const box = el.closest<HTMLElement>('.map-legend');
  if (box) box.hidden = !html;
}
