// Trygghetskarta web app: one state object (mirrored in the URL) drives the map, legend, panels, charts and exports.
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import type { Map as MlMap, MapMouseEvent } from 'maplibre-gl';
import { api, qs, setCsrfToken } from './api/client.js';
import { capabilities, loadCapabilities } from './api/capabilities.js';
import { areaSetIds, loadRegion, region } from './api/region.js';
import { fmt, fmtSize, setLang, t } from './i18n/index.js';
import { createMap } from './map/base-map.js';
import { importToolTexts, mountImportTools } from './imports/import-tools.js';
import { loadChoroData, type ChoroData } from './map/choropleth-data.js';
import { CHORO_FILL, CHORO_PATTERN, CHORO_SOURCE, renderChoropleth, setSelectedArea } from './map/choropleth-layer.js';
import { classifyHexbins, refreshPlaces, syncOverlays } from './map/overlays.js';
import type { Classes } from './map/classify.js';
import { showAreaPanel } from './panels/area-panel.js';
import { renderAreaTable } from './panels/area-table.js';
import { renderProvenance } from './panels/provenance-line.js';
import { $, esc } from './panels/dom.js';
import { exportCsv, exportPng } from './panels/exports.js';
import { renderLegend, surveyValueText } from './panels/legend.js';
import { loginNotice, logout, openLogin, type Who } from './panels/login.js';
import { openMethodology } from './panels/methodology.js';
import { newPlaceForm, showPlacePanel } from './panels/place-panel.js';
import { mountSearch, type SearchHit } from './panels/search.js';
import { loadSidebarData, renderSidebar } from './panels/sidebar.js';
import { renderSlider } from './panels/time-slider.js';
import { baselinePeriod, periodText, presetPeriod } from './state/period.js';
import { effectivePeriod, fromQuery, Store, type State } from './state/store.js';
import { firstView, hasStockholmDistricts, startAreaSet } from './state/region-start.js';

declare global { interface Window { __tk: Record<string, unknown> } }

const t0 = performance.now();
const store = new Store(fromQuery(location.search));
let who: Who = { role: 'public' };
/** whether the server offers municipal sign-in; ?login=… from its return, read before the store rewrites the URL */
let oidcOffered = false;
const loginReturn = location.search;
/** the link as opened (the store rewrites the URL): whether it named a camera and an area set */
const startLink = location.search;
let map: MlMap;
let map2: MlMap | null = null;
let choro: ChoroData | null = null;
let hexClasses: Classes | null = null;
let dataEnd = new Date().toISOString().slice(0, 10);
/** The data version of the latest stats answer: the overlay tile URLs name it (issue 22, cacheable tiles). */
let dataVersion: number | null = null;
const learnVersion = (meta: { [k: string]: unknown } | undefined) => { if (typeof meta?.dataVersion === 'number') dataVersion = meta.dataVersion; };
let ctrl: AbortController | null = null;
let renderSeq = 0;
window.__tk = { store, ready: false, marks: {} as Record<string, number> };
const mark = (k: string) => { (window.__tk.marks as Record<string, number>)[k] = Math.round(performance.now() - t0); };

function status(kind: 'loading' | 'empty' | 'error' | 'none', msg = ''): void {
  const el = $('#status');
  el.className = `status status-${kind}`;
  el.hidden = kind === 'none';
  if (kind === 'loading') el.innerHTML = `<span class="spinner" aria-hidden="true"></span>${t('state.loading')}`;
  else if (kind === 'empty') el.textContent = t('state.noData');
  else if (kind === 'error') { el.innerHTML = `${esc(t('state.error', { msg }))} <button class="btn small" id="retry">${t('state.retry')}</button>`; $('#retry').addEventListener('click', () => void refresh()); }
}

function shellTexts(): void {
  document.title = t('app.title');
  $('#app-title').textContent = t('app.title');
  $('#app-subtitle').textContent = t('app.subtitle', { place: region().label });
  const lang = $('#lang-toggle');
  lang.textContent = t('lang.toggle');
  // the accessible name starts with the visible text ("English"), which is marked as the other language
  lang.setAttribute('aria-label', `${t('lang.toggle')} – ${t('lang.toggleLabel')}`);
  lang.setAttribute('lang', store.state.lang === 'sv' ? 'en' : 'sv');
  // Stockholm's districts and basområden where the deployment has them; elsewhere municipalities and other areas
  $<HTMLInputElement>('#search').placeholder = t(hasStockholmDistricts(areaSetIds()) ? 'search.placeholder' : 'search.placeholder.region');
  $('#search').setAttribute('aria-label', t('search.label'));
  $('#btn-method').textContent = t('tools.methodology');
  $('#btn-csv').textContent = t('tools.csv');
  $('#btn-png').textContent = t('tools.png');
  $('#btn-table').textContent = t('tools.table');
  $('#btn-table').setAttribute('aria-pressed', String(store.state.table));
  $('#tools-toggle').setAttribute('aria-label', t('tools.more'));
  $('#legend-toggle').textContent = t('legend.toggle');
  $('#skip-links').setAttribute('aria-label', t('skip.nav'));
  const skips = document.querySelectorAll<HTMLAnchorElement>('.skip-link');
  [t('skip.map'), t('skip.filters'), t('skip.table')].forEach((text, i) => { if (skips[i]) skips[i].textContent = text; });
  $('#btn-login').textContent = who.role === 'public' ? t('tools.login') : `${t('tools.logout')} (${who.role})`;
  $('#btn-draw').textContent = t('tools.drawPlace');
  $('#btn-draw').hidden = !(who.role === 'staff' || who.role === 'admin') || !capabilities().places;
  importToolTexts(who.role);
  $('#menu-toggle').setAttribute('aria-label', t('tools.menu'));
  $('#map').setAttribute('aria-label', t('app.title'));
  $('#compare-left').textContent = t('compare.left');
  $('#compare-right').textContent = t('compare.right');
}

async function findDataEnd(): Promise<string> {
  // the server resolves an omitted period to the 12 months up to the latest data: read its end from the stats meta
  if (!capabilities().stats) return dataEnd;
  try {
    const r = await api<{ meta?: { period?: { to?: string }; dataVersion?: number } }>(`/api/stats${qs({ areaSet: region().countySetId, source: store.state.source })}`);
    learnVersion(r.meta);
    return r.meta?.period?.to ?? dataEnd;
  } catch { return dataEnd; }
}

function sidebar(): void {
  renderSidebar($('#sidebar-body'), store, who.role, dataEnd);
  renderLegend($('#legend'), store.state, choro, hexClasses);
}

let prefetched: Promise<ChoroData> | null = null;

async function refresh(): Promise<void> {
  const seq = ++renderSeq;
  ctrl?.abort();
  ctrl = new AbortController();
  const s = store.state;
  const period = effectivePeriod(s);
  status('loading');
  const errors: string[] = [];
  try {
    const pre = prefetched;
    prefetched = null;
    const d = await (pre ?? loadChoroData(s, period, ctrl.signal));
    if (seq !== renderSeq) return;
    choro = d;
    learnVersion(d.meta);
    renderChoropleth(map, d, s.lang, s.layers.choropleth, s.view === 'report');
    setSelectedArea(map, s.selected?.kind === 'area' ? s.selected.id : null);
  } catch (e) {
    if ((e as Error).name === 'AbortError') return;
    errors.push((e as Error).message);
  }
  errors.push(...await syncOverlays(map, s, period, who.role, { areaId: s.view === 'report' ? s.selected?.id : undefined, dataVersion }));
  if (seq !== renderSeq) return;
  if (s.compare && s.view === 'map') await renderCompare(s, period).catch((e: Error) => errors.push(e.message));
  else hideCompare();
  renderLegend($('#legend'), s.view === 'report' ? { ...s, layers: { ...s.layers, choropleth: false } } : s, choro, hexClasses);
  if (errors.length) status('error', errors.join('; '));
  else if (choro?.empty && s.layers.choropleth) status('empty');
  else status('none');
  // what was counted: the public sees whole months, quarters, twelve months or calendar years (the server widens other
  // periods and says so in meta.period)
  const counted = (choro?.meta?.period as { from: string; to: string } | undefined) ?? period;
  $('#period-label').textContent = s.metric === 'survey' ? '' : periodText(counted, s.lang);
  $('#period-label').hidden = s.metric === 'survey';
  renderProvenance($('#provenance'), s, choro);
  renderTable();
  map.once('idle', () => {
    if (seq !== renderSeq) return;
    if (store.state.layers.hexbins) { hexClasses = classifyHexbins(map); renderLegend($('#legend'), store.state, choro, hexClasses); }
    if (!window.__tk.firstChoroplethMs) { window.__tk.firstChoroplethMs = Math.round(performance.now() - t0); }
    window.__tk.ready = true;
    document.body.dataset.mapReady = '1';
  });
}

async function renderCompare(s: State, period: { from: string; to: string }): Promise<void> {
  const wrap = $('#map-wrap');
  wrap.classList.add('comparing');
  if (!map2) {
    map2 = await createMap($('#map2'), s.camera, {});
    await new Promise<void>((r) => map2!.once('load', () => r()));
    let syncing = false;
    const sync = (a: MlMap, b: MlMap) => a.on('move', () => { if (syncing) return; syncing = true; b.jumpTo({ center: a.getCenter(), zoom: a.getZoom(), bearing: a.getBearing(), pitch: a.getPitch() }); syncing = false; });
    sync(map, map2); sync(map2, map);
    map.resize();
  }
  // the baseline: the API's comparison period of what was counted (by its rule, the rule chosen, or the custom
  // baseline), so the side map shows what the change is measured against; without stats the same rule here
  const meta = choro?.meta as { period?: { from: string; to: string }; previousPeriod?: { from: string; to: string } } | undefined;
  const prev = meta?.previousPeriod ? { from: meta.previousPeriod.from, to: meta.previousPeriod.to } : baselinePeriod(period, s);
  $('#compare-right').textContent = `${t('compare.right')}: ${periodText(prev, s.lang)}`;
  $('#compare-left').textContent = `${t('compare.left')}: ${periodText(meta?.period ?? period, s.lang)}`;
  const d2 = await loadChoroData({ ...s, compareRule: 'auto' }, prev); // (the baseline itself, on its own default comparison)
  // the same class breaks on both sides, so equal colours mean equal values
  if (choro?.classes && d2.classes) d2.classes = choro.classes;
  renderChoropleth(map2, d2, s.lang, s.layers.choropleth);
  map2.jumpTo({ center: map.getCenter(), zoom: map.getZoom() });
}

function hideCompare(): void {
  const wrap = $('#map-wrap');
  if (!wrap.classList.contains('comparing')) return;
  wrap.classList.remove('comparing');
  map2?.remove();
  map2 = null;
  map.resize();
}

function panelEl(): HTMLElement { return $('#panel'); }

new MutationObserver(() => document.body.classList.toggle('panel-open', !document.getElementById('panel')!.hidden)).observe(document.getElementById('panel')!, { attributes: true, attributeFilter: ['hidden'] });

/** Where the focus goes back to when the panel closes (the search box, a table row, the map), and whether the panel's
 * heading takes the focus once it is drawn (it does when a person chose the area, not when a link restored it). */
let panelReturn: HTMLElement | null = null;
let focusPanel = false;

function select(sel: NonNullable<State['selected']>, from: Element | null): void {
  panelReturn = from instanceof HTMLElement && from !== document.body ? from : null;
  focusPanel = true;
  store.update({ selected: sel });
}

function closePanel(): void {
  panelEl().hidden = true;
  panelEl().innerHTML = '';
  store.update({ selected: null });
  const back = panelReturn?.isConnected ? panelReturn : document.getElementById('map');
  panelReturn = null;
  back?.focus();
}

function renderTable(): void {
  const el = $('#table-view');
  const s = store.state;
  const show = s.table && s.view === 'map';
  el.hidden = !show;
  document.body.classList.toggle('table-open', show);
  $('#btn-table').setAttribute('aria-pressed', String(show));
  if (!show) { el.innerHTML = ''; return; }
  const counted = (choro?.meta?.period as { from: string; to: string } | undefined) ?? effectivePeriod(s);
  const when = s.metric === 'survey' ? choro?.survey?.wave ?? '' : periodText(counted, s.lang);
  renderAreaTable(el, choro, s, when, (id, from) => select({ kind: 'area', id }, from), () => { store.update({ table: false }); $('#btn-table').focus(); });
}

async function showSelection(): Promise<void> {
  const s = store.state;
  if (s.view === 'report') return;
  if (!s.selected) { panelEl().hidden = true; return; }
  if (s.selected.kind === 'area') await showAreaPanel(panelEl(), s.selected.id, s, effectivePeriod(s), choro, (id) => select({ kind: 'place', id }, document.activeElement), closePanel, who.role);
  else await showPlacePanel(panelEl(), s.selected.id, s, who.role, closePanel);
  const title = panelEl().querySelector<HTMLElement>('#panel-title');
  title?.setAttribute('tabindex', '-1');
  if (focusPanel && title && JSON.stringify(store.state.selected) === JSON.stringify(s.selected)) { focusPanel = false; title.focus(); }
}

function tooltip(e: MapMouseEvent): void {
  const tip = $('#tooltip');
  const f = map.queryRenderedFeatures(e.point, { layers: [CHORO_FILL, CHORO_PATTERN].filter((l) => map.getLayer(l)) })[0];
  if (!f) { tip.hidden = true; map.getCanvas().style.cursor = ''; return; }
  map.getCanvas().style.cursor = 'pointer';
  const p = f.properties as { name: string; cls: number; v: number | null };
  const v = choro?.values.get(Number(f.id));
  let val = '–';
  if (p.cls === -2) val = t('panel.suppressed', { k: choro?.k ?? 5 });
  else if (v?.category) val = t(`div.${v.category}`);
  else if (v && v.value !== null) val = store.state.metric === 'change' ? `${fmt(v.value, 2)}×` : store.state.metric === 'survey' ? surveyValueText(v.value, choro?.survey, 1) : store.state.metric === 'count' ? fmt(v.value) : fmtSize(v.value);
  // a survey figure that is not the area's own says whose it is (pooled, or the survey area it lies in)
  const note = v?.note ? `<br><small>${esc(v.note[store.state.lang] || v.note.sv)}</small>` : '';
  tip.innerHTML = `<strong>${esc(p.name)}</strong><br>${esc(t(`metric.${store.state.metric}`))}: ${esc(val)}${note}`;
  tip.style.left = `${e.point.x + 14}px`;
  tip.style.top = `${e.point.y + 14}px`;
  tip.hidden = false;
}

let hovered: number | null = null;
function hover(e: MapMouseEvent): void {
  const f = map.queryRenderedFeatures(e.point, { layers: [CHORO_FILL, CHORO_PATTERN].filter((l) => map.getLayer(l)) })[0];
  const id = f ? Number(f.id) : null;
  if (id === hovered) return;
  if (hovered !== null) map.setFeatureState({ source: CHORO_SOURCE, id: hovered }, { hover: false });
  hovered = id;
  if (id !== null) map.setFeatureState({ source: CHORO_SOURCE, id }, { hover: true });
}

let drawing = false;

function onClick(e: MapMouseEvent): void {
  if (drawing) return;
  const place = map.getLayer('ov-places-fill') ? map.queryRenderedFeatures(e.point, { layers: ['ov-places-fill'] })[0] : undefined;
  if (place) { select({ kind: 'place', id: Number(place.id ?? place.properties?.id) }, document.activeElement); return; }
  const f = map.queryRenderedFeatures(e.point, { layers: [CHORO_FILL, CHORO_PATTERN].filter((l) => map.getLayer(l)) })[0];
  if (f) select({ kind: 'area', id: Number(f.id) }, document.activeElement);
}

function flyToHit(h: SearchHit): void {
  const [w, s, e, n] = h.bbox;
  if (h.kind === 'station') map.flyTo({ center: [(w + e) / 2, (s + n) / 2], zoom: 15 });
  else map.fitBounds([[w, s], [e, n]], { padding: 60, maxZoom: 15 });
  const from = document.getElementById('search');
  if (h.kind === 'area') { if (h.areaSet && h.areaSet !== store.state.areaSet) store.update({ areaSet: h.areaSet }); select({ kind: 'area', id: h.id }, from); }
  else if (h.kind === 'place') { if (!store.state.layers.places) store.update({ layers: { ...store.state.layers, places: true } }); select({ kind: 'place', id: h.id }, from); }
}

async function startDrawing(): Promise<void> {
  const hint = $('#draw-hint');
  const { drawPolygon } = await import('./map/draw.js');
  drawing = true;
  map.getCanvas().focus();
  // the hint ("click the corners") shows once Terra Draw takes clicks, not before: an earlier click would be lost.
  // The closing click's own click event comes after Terra Draw's pointerup: keep ignoring it a moment after.
  const g = await drawPolygon(map, () => { hint.textContent = t('place.drawHint'); hint.hidden = false; })
    .finally(() => { setTimeout(() => { drawing = false; }, 400); });
  hint.hidden = true;
  if (!g) return;
  newPlaceForm(panelEl(), g, async (id) => { await refreshPlaces(map); store.update({ selected: { kind: 'place', id }, layers: { ...store.state.layers, places: true } }); }, () => { panelEl().hidden = true; });
}

async function fitToSelectedArea(): Promise<void> {
  const s = store.state;
  if (!s.selected || s.selected.kind !== 'area' || !choro) return;
  const f = choro.geometry.features.find((x) => Number(x.id) === s.selected!.id);
  if (!f) return;
  let b = [180, 90, -180, -90];
  const walk = (c: unknown): void => { if (typeof (c as number[])[0] === 'number') { const [x, y] = c as number[]; b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)]; } else (c as unknown[]).forEach(walk); };
  walk((f.geometry as { coordinates: unknown }).coordinates);
  map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 40, animate: false });
}

/** The phone's tools menu and the legend's fold button: plain disclosure buttons (aria-expanded). On a phone the legend
 * starts folded, so the map is not hidden behind it. */
function mountFoldingToggles(): void {
  const tools = $('#tools-toggle');
  tools.addEventListener('click', () => { const open = document.body.classList.toggle('tools-open'); tools.setAttribute('aria-expanded', String(open)); });
  const legend = $('#legend-toggle');
  const fold = (open: boolean) => { legend.setAttribute('aria-expanded', String(open)); $('#legend-box').classList.toggle('folded', !open); };
  fold(!matchMedia('(max-width: 760px)').matches);
  legend.addEventListener('click', () => fold(legend.getAttribute('aria-expanded') !== 'true'));
}

async function boot(): Promise<void> {
  setLang(store.state.lang);
  const report = store.state.view === 'report';
  if (report) document.body.classList.add('report-view');
  // the region (its box, area sets, name) comes with the capabilities, before anything is drawn
  const [, { region: reg, areaSetIds }] = await Promise.all([loadCapabilities(), loadRegion()]);
  mark('capabilities');
  // a link's area set this deployment does not have (or none) becomes the region's default; the URL follows
  const set = startAreaSet(startLink, areaSetIds, reg);
  if (set !== store.state.areaSet) store.update({ areaSet: set });
  if (capabilities().session) {
    who = await api<Who>('/api/session').catch(() => ({ role: 'public' }));
    oidcOffered = who.oidc === true;
    setCsrfToken(who.csrfToken ?? null);
  }
  shellTexts();
  if ((!store.state.from || !store.state.to) && store.state.preset === '12m' && ['rate', 'count', 'change'].includes(store.state.metric) && capabilities().stats) {
    // the server's default period is the 12 months up to the latest data: one request gives the period and the map
    try {
      const d = await loadChoroData(store.state, { from: '', to: '' });
      const p = d.meta?.period;
      if (p?.from && p.to) { dataEnd = p.to; prefetched = Promise.resolve(d); store.update({ from: p.from, to: p.to }); }
    } catch { /* fall back below */ }
  }
  if (!store.state.from || !store.state.to) dataEnd = await findDataEnd();
  else if (dataEnd === new Date().toISOString().slice(0, 10)) void findDataEnd().then((d) => { dataEnd = d; if (store.state.view === 'map' && document.getElementById('f-preset')) sidebar(); });
  mark('dataEnd');
  if (!store.state.from || !store.state.to) {
    const p = presetPeriod(store.state.preset === 'custom' ? '12m' : store.state.preset, dataEnd);
    store.update({ ...p, preset: store.state.preset === 'custom' ? '12m' : store.state.preset });
  }
  if (report) store.update({ layers: { choropleth: true, hexbins: false, hotspots: capabilities().hotspots, incidents: false, places: false, transit: true }, metric: 'count' });
  // the numbers load while the map initialises
  if (!prefetched) { prefetched = loadChoroData(store.state, effectivePeriod(store.state)); prefetched.catch(() => undefined); }
  const sidebarData = report ? Promise.resolve() : loadSidebarData(store);
  const view = firstView(startLink, reg);
  map = await createMap($('#map'), 'camera' in view ? view.camera : store.state.camera, { interactive: !report, bounds: 'bounds' in view ? view.bounds : undefined });
  window.__tk.map = map;
  // the view the map chose (fitted to the region, or held inside its bounds) is the one the link keeps
  { const c = map.getCenter(); store.setCamera({ lng: c.lng, lat: c.lat, zoom: map.getZoom() }); }
  window.addEventListener('tk:map-error', (e) => { const m = (e as CustomEvent<string>).detail; if (!/abort/i.test(m)) status('error', m); });
  mark('mapCreated');
  await new Promise<void>((r) => map.once('load', () => r()));
  mark('mapLoad');
  if (!report) {
    await sidebarData;
    sidebar();
    renderSlider($('#slider'), store);
    map.on('moveend', () => { const c = map.getCenter(); store.setCamera({ lng: c.lng, lat: c.lat, zoom: map.getZoom() }); });
    map.on('mousemove', (e) => { tooltip(e); hover(e); });
    map.on('mouseout', () => { $('#tooltip').hidden = true; });
    map.on('click', onClick);
  }
  store.subscribe((s, prev) => {
    if (s.lang !== prev.lang) { setLang(s.lang); shellTexts(); }
    const comparisonChanged = s.compareRule !== prev.compareRule || s.compareFrom !== prev.compareFrom || s.compareTo !== prev.compareTo;
    const dataChanged = comparisonChanged || s.areaSet !== prev.areaSet || s.metric !== prev.metric || s.source !== prev.source || s.categories.join() !== prev.categories.join() || s.from !== prev.from || s.to !== prev.to || s.frame !== prev.frame || JSON.stringify(s.survey) !== JSON.stringify(prev.survey) || JSON.stringify(s.layers) !== JSON.stringify(prev.layers) || s.compare !== prev.compare || s.lang !== prev.lang;
    if (s.source !== prev.source) void loadSidebarData(store).then(sidebar);
    else if (comparisonChanged || s.lang !== prev.lang || s.areaSet !== prev.areaSet || s.metric !== prev.metric || s.from !== prev.from || s.to !== prev.to || s.preset !== prev.preset || s.compare !== prev.compare || JSON.stringify(s.layers) !== JSON.stringify(prev.layers) || JSON.stringify(s.survey) !== JSON.stringify(prev.survey) || s.categories.join() !== prev.categories.join()) sidebar();
    if (s.from !== prev.from || s.to !== prev.to || s.frame !== prev.frame || s.lang !== prev.lang || s.metric !== prev.metric) renderSlider($('#slider'), store);
    if (s.table !== prev.table || (s.table && JSON.stringify(s.selected) !== JSON.stringify(prev.selected))) renderTable();
    const selChanged = JSON.stringify(s.selected) !== JSON.stringify(prev.selected);
    if (dataChanged) void refresh().then(() => { if (s.selected) void showSelection(); });
    else if (selChanged) { setSelectedArea(map, s.selected?.kind === 'area' ? s.selected.id : null); void showSelection(); }
  });
  mark('sidebar');
  await refresh();
  mark('refreshed');
  if (report) { await fitToSelectedArea(); map.once('idle', () => { document.body.dataset.reportReady = '1'; }); return; }
  if (store.state.selected) void showSelection();
  const notice = loginNotice(loginReturn);
  if (notice) { const el = $('#status'); el.className = 'status status-notice'; el.hidden = false; el.textContent = notice; }

  $('#lang-toggle').addEventListener('click', () => store.update({ lang: store.state.lang === 'sv' ? 'en' : 'sv' }));
  $('#btn-method').addEventListener('click', () => openMethodology($<HTMLDialogElement>('#dialog')));
  $('#btn-csv').addEventListener('click', () => { if (choro) exportCsv(choro, store.state, effectivePeriod(store.state)); });
  $('#btn-png').addEventListener('click', () => void exportPng(map, choro, store.state, effectivePeriod(store.state)));
  $('#btn-login').addEventListener('click', async () => {
    if (who.role !== 'public') { await logout(); who = { role: 'public' }; shellTexts(); sidebar(); void refresh(); void showSelection(); return; }
    openLogin($<HTMLDialogElement>('#dialog'), (w) => { who = w; shellTexts(); sidebar(); void refresh(); void showSelection(); }, { oidc: oidcOffered });
  });
  $('#btn-draw').addEventListener('click', () => void startDrawing());
  // after an import the menus may offer more (a new area set, new categories): reload them, then the map — with the
  // new data version (read again here too: survey answers do not carry it), so the tile overlays get new URLs
  mountImportTools($<HTMLDialogElement>('#dialog'), () => who.role, () => void Promise.all([loadSidebarData(store), findDataEnd()]).then(() => { sidebar(); void refresh(); }));
  $('#menu-toggle').addEventListener('click', () => { const open = document.body.classList.toggle('sidebar-open'); $('#menu-toggle').setAttribute('aria-expanded', String(open)); });
  $('#btn-table').addEventListener('click', () => { store.update({ table: !store.state.table }); if (store.state.table) $('#table-view').focus(); });
  // the skip link to the table opens it first
  document.querySelector('.skip-link[href="#table-view"]')?.addEventListener('click', (e) => { e.preventDefault(); if (!store.state.table) store.update({ table: true }); $('#table-view').focus(); });
  document.querySelector('.skip-link[href="#sidebar-body"]')?.addEventListener('click', () => { if (matchMedia('(max-width: 760px)').matches && !document.body.classList.contains('sidebar-open')) $('#menu-toggle').click(); });
  mountFoldingToggles();
  // Esc closes the panel (when the focus is in it or nowhere in particular) and gives the focus back
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || panelEl().hidden || (document.getElementById('dialog') as HTMLDialogElement).open) return;
    const a = document.activeElement;
    if (a && a !== document.body && !panelEl().contains(a) && a.id !== 'map' && !a.closest('#map')) return;
    e.preventDefault();
    closePanel();
  });
  mountSearch($<HTMLInputElement>('#search'), $('#search-results'), flyToHit);
  window.__tk.refresh = refresh;
  window.__tk.startDrawing = startDrawing;
}

boot().catch((e: Error) => {
  const el = document.getElementById('status');
  if (el) { el.hidden = false; el.className = 'status status-error'; el.textContent = t('state.error', { msg: e.message }); }
});
