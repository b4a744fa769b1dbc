// The city's overview (issue 18) for the analysts at the central unit, in the page's dialog: every district with the
// date of its latest lägesbild (flagged when older than two years or missing — the law asks for one at least every
// other year) and its latest action plan in brief (status, priorities, measures by status, indicators on or off track,
// overdue measures), as a table with a caption and row headers, and the same list as CSV
// (GET /api/reports?areaSet=stadsdelar&f=csv). Above the table a map of the districts coloured and patterned by the
// same state (map/overview-layer.ts) with a legend, downloadable as PNG; the table is the map's text alternative.
// Clicking a district marks its row, Enter on a row marks the district on the map.
import type { MapMouseEvent, Map as MlMap } from 'maplibre-gl';
import { api, qs } from '../api/client.js';
import { getLang, t } from '../i18n/index.js';
import { createMap } from '../map/base-map.js';
import { region } from '../api/region.js';
import { STOCKHOLM_DISTRICTS } from '../state/region-start.js';
import { ATTENTION_COLOR, bboxOf, needsAttention, OVERVIEW_FILL, OVERVIEW_SOURCE, OVERVIEW_STATUSES, overviewStatus, renderOverviewLayer, STATUS_DRAW } from '../map/overview-layer.js';
import { download, esc } from './dom.js';
import { mapPng, type PngLegendItem } from './exports.js';

export type OverviewRow = {
  areaId: number; code: string; name: string; reportCount: number; latestReportId: number | null; latestReportDate: string | null; stale: boolean;
  latestActionPlan: { id: number; status: string; priorities: number; measures: Record<string, number>; indicators?: Record<string, number>; overdueMeasures?: number } | null;
};

const MEASURE_ORDER = ['planned', 'ongoing', 'done', 'cancelled'];
const INDICATOR_ORDER = ['onTrack', 'offTrack', 'noCertainChange', 'notEnoughData', 'tooEarly'];

/** Stockholm's districts are named as such; any other set (a region without them lists its municipalities) as areas. */
const textFor = (key: string, areaSet: string) => (areaSet === STOCKHOLM_DISTRICTS ? key : `${key}.areas`);

export function overviewTable(rows: OverviewRow[], areaSet = STOCKHOLM_DISTRICTS): string {
  const sorted = [...rows].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  const stale = rows.filter((r) => r.stale).length;
  const measures = (m: Record<string, number>) => {
    const parts = [...MEASURE_ORDER, ...Object.keys(m).filter((k) => !MEASURE_ORDER.includes(k))].filter((k) => m[k]).map((k) => `${t(`ap.mstatus.${k}`)} ${m[k]}`);
    return parts.length ? esc(parts.join(', ')) : '0';
  };
  const indicators = (m: Record<string, number> | undefined) => {
    const parts = INDICATOR_ORDER.filter((k) => m?.[k]).map((k) => `${t(`co.ind.${k}`)} ${m![k]}`);
    return parts.length ? esc(parts.join(', ')) : '0';
  };
  const body = sorted.map((r) => {
    const p = r.latestActionPlan;
    return `<tr data-area-id="${r.areaId}" data-stale="${r.stale}" data-status="${overviewStatus(r)}" tabindex="0"><th scope="row">${esc(r.name)}</th>
      <td data-field="latestReportDate">${r.latestReportDate ? esc(r.latestReportDate) : `<span class="muted">${esc(t('co.noReport'))}</span>`}</td>
      <td data-field="stale">${r.stale ? `<span class="error">${esc(t(r.latestReportDate ? 'co.stale' : 'co.missing'))}</span>` : esc(t('co.current'))}</td>
      <td data-field="plan">${p ? esc(t(`ap.status.${p.status}`)) : `<span class="muted">${esc(t('co.noPlan'))}</span>`}</td>
      <td data-field="priorities">${p ? p.priorities : '–'}</td>
      <td data-field="measures">${p ? measures(p.measures) : '–'}</td>
      <td data-field="indicators">${p ? indicators(p.indicators) : '–'}</td>
      <td data-field="overdue">${p?.overdueMeasures ? `<span class="error">${p.overdueMeasures}</span>` : p ? '0' : '–'}</td></tr>`;
  }).join('');
  return `<div class="table-scroll"><table class="figures" id="co-table">
    <caption>${esc(t(textFor('co.caption', areaSet), { n: rows.length, stale }))}</caption>
    <thead><tr><th scope="col">${esc(t(textFor('co.area', areaSet)))}</th><th scope="col">${esc(t('co.latest'))}</th><th scope="col">${esc(t('co.updated'))}</th><th scope="col">${esc(t('co.plan'))}</th><th scope="col">${esc(t('co.priorities'))}</th><th scope="col">${esc(t('co.measures'))}</th><th scope="col">${esc(t('co.indicators'))}</th><th scope="col">${esc(t('co.overdue'))}</th></tr></thead>
    <tbody>${body || `<tr><td colspan="8">${esc(t('table.empty'))}</td></tr>`}</tbody></table></div>`;
}

/** The map's legend: one swatch per state (drawn with the map's own patterns) and the attention outline. */
export function overviewLegend(): string {
  return `<ul class="legend-list co-legend" id="co-legend" aria-label="${esc(t('co.map.legend'))}">
    ${OVERVIEW_STATUSES.map((s) => `<li data-status="${s}"><canvas class="sw" width="22" height="14" data-draw="${s}" aria-hidden="true"></canvas><span>${esc(t(`co.status.${s}`))}</span></li>`).join('')}
    <li data-status="attention"><span class="sw sw-attention" aria-hidden="true"></span><span>${esc(t('co.map.attention'))}</span></li></ul>`;
}

function drawSwatches(root: HTMLElement): void {
  for (const c of root.querySelectorAll<HTMLCanvasElement>('canvas[data-draw]')) {
    const tileC = document.createElement('canvas'); tileC.width = tileC.height = 12;
    STATUS_DRAW[c.dataset.draw as keyof typeof STATUS_DRAW](tileC.getContext('2d')!, 12);
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = ctx.createPattern(tileC, 'repeat')!;
    ctx.fillRect(0, 0, c.width, c.height);
  }
}

function overviewFeatures(rows: OverviewRow[], areas: GeoJSON.FeatureCollection): GeoJSON.FeatureCollection {
  const byId = new Map(rows.map((r) => [r.areaId, r]));
  return {
    type: 'FeatureCollection',
    features: areas.features.filter((f) => byId.has(Number(f.id))).map((f) => {
      const r = byId.get(Number(f.id))!;
      return { type: 'Feature', id: r.areaId, geometry: f.geometry, properties: { areaId: r.areaId, name: r.name, status: overviewStatus(r), attention: needsAttention(r) } };
    }),
  };
}

export function openCityOverview(dialog: HTMLDialogElement, returnFocus: () => HTMLElement | null, areaSet = STOCKHOLM_DISTRICTS): void {
  dialog.setAttribute('aria-labelledby', 'dlg-title');
  dialog.classList.add('wide');
  dialog.innerHTML = `<div class="dialog-inner staff-text-form" id="city-overview">
    <header class="panel-head"><h2 id="dlg-title" tabindex="-1">${esc(t('co.heading'))}</h2>
      <button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    <div class="dialog-body">
      <p class="hint">${esc(t(textFor('co.intro', areaSet)))}</p>
      <div class="btn-row"><a class="btn small" id="co-csv" download href="/api/reports${qs({ areaSet, f: 'csv', lang: getLang() })}">${esc(t('co.csv'))}</a>
        <button type="button" class="btn small" id="co-png" disabled>${esc(t('co.png'))}</button></div>
      <div class="co-map-wrap">
        <div id="co-map" class="co-map"></div>
        <div class="co-map-side"><p class="hint" id="co-map-note">${esc(t(textFor('co.map.note', areaSet)))}</p>${overviewLegend()}</div>
      </div>
      <p class="hint" id="co-selected" role="status"></p>
      <div id="co-body" aria-busy="true"><p class="panel-loading" role="status">${t('state.loading')}</p></div>
    </div>
    <div class="btn-row form-actions"><button type="button" class="btn" data-close>${esc(t('panel.close'))}</button></div></div>`;
  let map: MlMap | null = null;
  let closed = false;
  if (!dialog.open) {
    dialog.showModal();
    dialog.addEventListener('close', () => {
      closed = true; map?.remove(); map = null; delete window.__tk?.overviewMap; delete window.__tk?.overviewReady; dialog.classList.remove('wide');
      returnFocus()?.focus();
    }, { once: true });
  }
  for (const b of dialog.querySelectorAll('[data-close]')) b.addEventListener('click', () => dialog.close());
  dialog.querySelector<HTMLElement>('#dlg-title')?.focus();
  drawSwatches(dialog);
  const body = dialog.querySelector<HTMLElement>('#co-body')!;
  const mapEl = dialog.querySelector<HTMLElement>('#co-map')!;
  let rows: OverviewRow[] = [];
  let features: GeoJSON.FeatureCollection | null = null;
  let selected: number | null = null;

  const select = (id: number, from: 'map' | 'table') => {
    if (map?.getSource(OVERVIEW_SOURCE)) {
      if (selected !== null) map.setFeatureState({ source: OVERVIEW_SOURCE, id: selected }, { selected: false });
      map.setFeatureState({ source: OVERVIEW_SOURCE, id }, { selected: true });
    }
    selected = id;
    for (const tr of body.querySelectorAll<HTMLElement>('tr[aria-current]')) tr.removeAttribute('aria-current');
    const tr = body.querySelector<HTMLElement>(`tr[data-area-id="${id}"]`);
    tr?.setAttribute('aria-current', 'true');
    const row = rows.find((r) => r.areaId === id);
    dialog.querySelector('#co-selected')!.textContent = row ? t('co.map.selected', { name: row.name }) : '';
    if (from === 'map') { tr?.scrollIntoView({ block: 'nearest' }); tr?.focus(); }
    else {
      const f = features?.features.find((x) => x.id === id);
      const b = f?.geometry ? bboxOf(f.geometry) : null;
      if (map && b) map.fitBounds(b, { padding: 30, maxZoom: 12, duration: 0 });
    }
  };
  body.addEventListener('keydown', (e) => {
    const tr = (e.target as HTMLElement).closest<HTMLElement>('tr[data-area-id]');
    if (e.key === 'Enter' && tr) { e.preventDefault(); select(Number(tr.dataset.areaId), 'table'); }
  });

  const overview = api<{ areas: OverviewRow[] }>(`/api/reports${qs({ areaSet })}`);
  void overview.then((r) => {
    rows = r.areas;
    body.innerHTML = overviewTable(r.areas, areaSet);
    body.removeAttribute('aria-busy');
  }).catch((e: Error) => {
    body.removeAttribute('aria-busy');
    body.innerHTML = `<p class="error" role="alert">${esc(t('state.error', { msg: e.message }))}</p>`;
  });

  void (async () => {
    const [r, areas] = await Promise.all([overview, api<GeoJSON.FeatureCollection>(`/api/area-sets/${encodeURIComponent(areaSet)}/areas?f=geojson`)]);
    if (closed) return;
    features = overviewFeatures(r.areas, areas);
    // starts on the region's box; fitted to the listed areas below
    const [w, s, e, n] = region().bbox;
    const m = await createMap(mapEl, { lng: (w + e) / 2, lat: (s + n) / 2, zoom: 9.5 }, { bounds: [[w, s], [e, n]] });
    if (closed) { m.remove(); return; }
    map = m;
    window.__tk.overviewMap = m;
    const canvas = m.getCanvas();
    canvas.setAttribute('aria-label', t(textFor('co.map.label', areaSet)));
    canvas.setAttribute('aria-describedby', 'co-map-note co-table');
    await new Promise<void>((res) => { if (m.loaded()) res(); else m.once('load', () => res()); });
    if (closed) return;
    renderOverviewLayer(m, features);
    const b = bboxOf(features);
    if (b) m.fitBounds(b, { padding: 16, duration: 0 });
    m.on('click', OVERVIEW_FILL, (e: MapMouseEvent & { features?: GeoJSON.Feature[] }) => { const f = e.features?.[0]; if (f?.id !== undefined) select(Number(f.id), 'map'); });
    m.on('mouseenter', OVERVIEW_FILL, () => { m.getCanvas().style.cursor = 'pointer'; });
    m.on('mouseleave', OVERVIEW_FILL, () => { m.getCanvas().style.cursor = ''; });
    m.once('idle', () => {
      if (closed) return;
      window.__tk.overviewReady = true;
      const png = dialog.querySelector<HTMLButtonElement>('#co-png')!;
      png.disabled = false;
      png.addEventListener('click', () => void exportOverviewPng(m, areaSet));
    });
  })().catch((e: Error) => {
    if (closed) return;
    mapEl.innerHTML = `<p class="error" role="alert">${esc(t('co.map.error', { msg: e.message }))}</p>`;
  });
}

/** The overview's map as PNG with its legend beside it (the same drawing as the main map's PNG, exports.ts). */
export async function exportOverviewPng(map: MlMap, areaSet: string): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  const items: PngLegendItem[] = OVERVIEW_STATUSES.map((s) => ({ label: t(`co.status.${s}`), fill: STATUS_DRAW[s] }));
  items.push({ label: t('co.map.attention'), fill: '#ffffff', outline: { color: ATTENTION_COLOR, width: 3 } });
  const blob = await mapPng(map, [{ text: t('co.png.title'), bold: true }, { text: date }], items, t('co.png.foot', { date }));
  if (blob) download(`trygghetskarta-oversikt-${areaSet}-${date}.png`, blob);
}
