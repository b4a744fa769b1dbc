// The left panel: filters (period with presets, compare, source, categories, area set, metric, survey indicator and
// group) and the layer switches. It only writes to the store; everything else follows from the state.
import { api, qs } from '../api/client.js';
import { capabilities } from '../api/capabilities.js';
import { t } from '../i18n/index.js';
import { overlayAvailable } from '../map/overlays.js';
import { COMPARE_CHOICES, presetPeriod, PRESETS, type CompareChoice, type Preset } from '../state/period.js';
import { addDays } from '../../../shared/dates.js';
import { SOURCES, type Source } from '../../../shared/sources.js';
import { LAYERS, METRICS, type Metric, type Store } from '../state/store.js';
import { openCityOverview } from './city-overview.js';
import { region } from '../api/region.js';
import { overviewAreaSet } from '../state/region-start.js';
import { $, esc } from './dom.js';

type AreaSet = { id: string; name: string; level: string; areaCount: number };
/** GET /api/categories?source= */
type Category = { code: string; label_sv: string; label_en: string; group: string | null; group_label_sv: string | null; group_label_en: string | null };
type Indicator = { code: string; name?: string; nameSv?: string; nameEn?: string; textSv?: string; textEn?: string };

let areaSets: AreaSet[] = [];
let categories: Category[] = [];
let indicators: Indicator[] = [];
let waves: { id: string; name?: string; year?: number }[] = [];
/** GET /api/survey/groups: the respondent groups in the data, with labels, and the suppression rule ("< 30 svarande") */
type SurveyGroup = { code: string; labelSv: string; labelEn: string };
type SurveyGroupsMeta = { minRespondents: number; suppressionLabel: { sv: string; en: string } };
let groups: SurveyGroup[] = [{ code: 'all', labelSv: 'Alla', labelEn: 'All' }];
let groupsMeta: SurveyGroupsMeta | null = null;

export async function loadSidebarData(store: Store): Promise<void> {
  const caps = capabilities();
  areaSets = await api<AreaSet[]>('/api/area-sets').catch(() => []);
  if (caps.categories) categories = await api<Category[]>(`/api/categories${qs({ source: store.state.source })}`).catch(() => []);
  if (caps.surveyMeta) {
    const ind = caps.paths.find((p) => /^\/api\/survey\/indicators$/.test(p));
    const wv = caps.paths.find((p) => /^\/api\/survey\/waves$/.test(p));
    if (ind) indicators = await api<Indicator[] | { rows: Indicator[] }>(ind).then((r) => (Array.isArray(r) ? r : r.rows ?? [])).catch(() => []);
    if (wv) waves = await api<{ id: string }[] | { rows: { id: string }[] }>(wv).then((r) => (Array.isArray(r) ? r : r.rows ?? [])).catch(() => []);
    const gr = caps.paths.find((p) => /^\/api\/survey\/groups$/.test(p));
    if (gr) {
      const g = await api<{ meta: SurveyGroupsMeta; groups: SurveyGroup[] }>(gr).catch(() => null);
      if (g?.groups.length) { groups = g.groups; groupsMeta = g.meta; }
    }
  }
}

export function surveyIndicators(): Indicator[] { return indicators; }
/** The survey's groups (codes and labels) and its suppression rule, as the API gave them. */
export function surveyGroups(): { groups: SurveyGroup[]; meta: SurveyGroupsMeta | null } { return { groups, meta: groupsMeta }; }

function label(o: { name?: string; nameSv?: string; nameEn?: string; textSv?: string; textEn?: string; code: string }, lang: string): string {
  return (lang === 'en' ? o.nameEn ?? o.textEn : o.nameSv ?? o.textSv) ?? o.name ?? o.code;
}

/** The last day (inclusive) of a period ending before `to` (exclusive), for a date input; '' stays ''. */
const lastDayOf = (to: string) => (to ? addDays(to, -1) : '');

/** A selector that finds the same control again after the sidebar is redrawn. */
function controlKey(e: HTMLElement): string | null {
  if (e.id) return `#${CSS.escape(e.id)}`;
  for (const a of ['layer', 'cat', 'catGroup']) if (e.dataset[a] !== undefined) return `[data-${a.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${CSS.escape(e.dataset[a]!)}"]`;
  return e.hasAttribute('data-cat-all') ? '[data-cat-all]' : null;
}

export function renderSidebar(el: HTMLElement, store: Store, role: string, dataEnd: string): void {
  // a redraw (after a change made from the keyboard) keeps the focus on the same control and the categories unfolded
  const active = document.activeElement instanceof HTMLElement && el.contains(document.activeElement) ? controlKey(document.activeElement) : null;
  const categoriesOpen = el.querySelector<HTMLDetailsElement>('#f-categories')?.open ?? false;
  try { drawSidebar(el, store, role, dataEnd); } finally {
    const cats = el.querySelector<HTMLDetailsElement>('#f-categories');
    if (cats && categoriesOpen) cats.open = true;
    if (active) el.querySelector<HTMLElement>(active)?.focus();
  }
}

function drawSidebar(el: HTMLElement, store: Store, role: string, dataEnd: string): void {
  const s = store.state;
  const caps = capabilities();
  const metricOk = (m: Metric) => (m === 'survey' ? caps.survey : m === 'divergence' ? caps.divergence : caps.stats);
  const groupsByName = new Map<string, Category[]>();
  for (const c of categories) { const g = c.group ?? ''; if (!groupsByName.has(g)) groupsByName.set(g, []); groupsByName.get(g)!.push(c); }
  const catLabel = (c: Category) => (s.lang === 'en' ? c.label_en : c.label_sv);
  const groupLabel = (cs: Category[]) => (s.lang === 'en' ? cs[0].group_label_en : cs[0].group_label_sv) ?? cs[0].group ?? '';
  // a group's box selects all its codes (category=a,b,… on every request); checked when all of them are selected
  // a collapsed group, so the 30-odd boxes do not stand between the keyboard and everything after them
  const chosen = s.categories.length ? ` (${s.categories.length})` : '';
  const catHtml = categories.length ? `<details class="field cat-details" id="f-categories"><summary id="categories-toggle">${t('filter.categories')}${chosen}</summary><fieldset class="cat-fieldset"><legend class="sr">${t('filter.categories')}</legend>
      <label class="check"><input type="checkbox" data-cat-all ${s.categories.length ? '' : 'checked'}> ${t('filter.allCategories')}</label>
      <div class="cat-list">${[...groupsByName].map(([g, cs]) => `${g ? `<label class="check cat-group"><input type="checkbox" data-cat-group="${esc(g)}" ${cs.every((c) => s.categories.includes(c.code)) ? 'checked' : ''}> ${esc(groupLabel(cs))}</label>` : ''}${cs.map((c) => `<label class="check"><input type="checkbox" data-cat="${esc(c.code)}" ${s.categories.includes(c.code) ? 'checked' : ''}> ${esc(catLabel(c))}</label>`).join('')}`).join('')}</div></fieldset></details>` : '';
  const surveyHtml = s.metric === 'survey' || s.metric === 'divergence' ? `
    ${indicators.length ? `<label class="field"><span>${t('filter.surveyIndicator')}</span><select id="f-ind">${indicators.map((i) => `<option value="${esc(i.code)}" ${i.code === s.survey.indicator ? 'selected' : ''}>${esc(label(i, s.lang))}</option>`).join('')}</select></label>` : ''}
    ${waves.length ? `<label class="field"><span>${t('filter.surveyWave')}</span><select id="f-wave">${waves.map((w) => `<option value="${esc(w.id)}" ${String(w.id) === s.survey.wave ? 'selected' : ''}>${esc(w.name ?? w.year ?? w.id)}</option>`).join('')}</select></label>` : ''}
    <label class="field"><span>${t('filter.surveyGroup')}</span><select id="f-group">${groups.map((g) => `<option value="${esc(g.code)}" ${g.code === s.survey.group ? 'selected' : ''}>${esc(s.lang === 'en' ? g.labelEn : g.labelSv)}</option>`).join('')}</select></label>` : '';
  // the survey is a wave, not a period: while it is shown the period, comparison and crime categories step aside
  const surveyMode = s.metric === 'survey';
  const year = s.preset === 'year' && /^\d{4}-01-01$/.test(s.from) ? Number(s.from.slice(0, 4)) : null;
  const lastYear = Number((dataEnd || s.to || '2025').slice(0, 4)) - (dataEnd.endsWith('-01-01') ? 1 : 0);
  const years = Array.from({ length: 8 }, (_, i) => lastYear - i);
  const periodHtml = surveyMode ? '' : `
    <label class="field"><span>${t('filter.period')}</span>
      <select id="f-preset">${PRESETS.map((p) => `<option value="${p}" ${p === s.preset ? 'selected' : ''}>${t(`preset.${p}`)}</option>`).join('')}</select></label>
    ${s.preset === 'year' ? `<label class="field"><span>${t('filter.year')}</span><select id="f-year">${years.map((y) => `<option value="${y}" ${y === year ? 'selected' : ''}>${y}</option>`).join('')}</select></label>` : ''}
    <div class="row2">
      <label class="field"><span>${t('filter.from')}</span><input type="date" id="f-from" value="${s.from}"></label>
      <label class="field"><span>${t('filter.to')}</span><input type="date" id="f-to" value="${lastDayOf(s.to)}"></label>
    </div>
    <label class="field"><span>${t('filter.compareRule')}</span><select id="f-compare-rule">${COMPARE_CHOICES.map((c) => `<option value="${c}" ${c === s.compareRule ? 'selected' : ''}>${t(`compareRule.${c}`)}</option>`).join('')}</select></label>
    ${s.compareRule === 'custom' ? `<div class="row2">
      <label class="field"><span>${t('filter.compareFrom')}</span><input type="date" id="f-compare-from" value="${s.compareFrom}"></label>
      <label class="field"><span>${t('filter.compareTo')}</span><input type="date" id="f-compare-to" value="${lastDayOf(s.compareTo)}"></label>
    </div>` : ''}
    <label class="check"><input type="checkbox" id="f-compare" ${s.compare ? 'checked' : ''}> ${t('filter.compare')}</label>`;
  // layers first: they are what most people change; the filters after them
  el.innerHTML = `
  <section class="section" aria-labelledby="h-layers">
    <h2 id="h-layers">${t('section.layers')}</h2>
    ${LAYERS.map((l) => { const ok = overlayAvailable(l, role); return `<label class="check ${ok ? '' : 'disabled'}" ${ok ? '' : `title="${esc(t('layer.unavailable'))}"`}><input type="checkbox" data-layer="${l}" ${s.layers[l] ? 'checked' : ''} ${ok ? '' : `disabled aria-describedby="na-${l}"`}> ${t(`layer.${l}`)}${ok ? '' : `<span class="sr" id="na-${l}">${esc(t('layer.unavailable'))}</span>`}</label>`; }).join('')}
  </section>
  <section class="section" aria-labelledby="h-filters">
    <h2 id="h-filters">${t('section.filters')}</h2>
    <label class="field"><span>${t('filter.metric')}</span><select id="f-metric">${METRICS.map((m) => `<option value="${m}" ${m === s.metric ? 'selected' : ''} ${metricOk(m) ? '' : 'disabled'}>${t(`metric.${m}`)}${metricOk(m) ? '' : ` (${t('layer.unavailable')})`}</option>`).join('')}</select></label>
    ${surveyHtml}
    ${surveyMode ? '' : `<label class="field"><span>${t('filter.source')}</span><select id="f-source">${SOURCES.map((x) => `<option value="${x}" ${x === s.source ? 'selected' : ''}>${t(`source.${x}`)}</option>`).join('')}</select></label>`}
    ${periodHtml}
    <label class="field"><span>${t('filter.areaSet')}</span><select id="f-set">${areaSets.map((a) => `<option value="${esc(a.id)}" ${a.id === s.areaSet ? 'selected' : ''}>${esc(a.name)}</option>`).join('')}</select></label>
    ${s.source === 'crimes' && !surveyMode ? catHtml : ''}
  </section>
  ${(role === 'analyst' || role === 'admin') && capabilities().paths.includes('/api/reports') ? `<section class="section" aria-labelledby="h-overview">
    <h2 id="h-overview">${t('co.section')}</h2>
    <button type="button" class="btn" id="btn-city-overview">${t('co.open')}</button>
  </section>` : ''}
`;

  // the city's overview (issue 18): every district's latest lägesbild and action plan, for the central unit
  el.querySelector('#btn-city-overview')?.addEventListener('click', () => openCityOverview(document.querySelector<HTMLDialogElement>('#dialog')!, () => document.getElementById('btn-city-overview'),
    overviewAreaSet(areaSets.length ? areaSets.map((a) => a.id) : null, region())));
  el.querySelector('#f-preset')?.addEventListener('change', (e) => {
    const preset = (e.target as HTMLSelectElement).value as Preset;
    if (preset === 'custom') { store.update({ preset }); return; }
    store.update({ preset, ...presetPeriod(preset, dataEnd), frame: null });
  });
  el.querySelector('#f-year')?.addEventListener('change', (e) => {
    const y = Number((e.target as HTMLSelectElement).value);
    store.update({ from: `${y}-01-01`, to: `${y + 1}-01-01`, frame: null });
  });
  // the inputs show the last day inclusive; the state (and the URL and the API) keep `to` exclusive
  const dates = () => {
    const from = ($('#f-from', el) as HTMLInputElement).value, last = ($('#f-to', el) as HTMLInputElement).value;
    if (from && last && from <= last) store.update({ from, to: addDays(last, 1), preset: 'custom', frame: null });
  };
  el.querySelector('#f-from')?.addEventListener('change', dates);
  el.querySelector('#f-to')?.addEventListener('change', dates);
  el.querySelector('#f-compare')?.addEventListener('change', (e) => store.update({ compare: (e.target as HTMLInputElement).checked }));
  el.querySelector('#f-compare-rule')?.addEventListener('change', (e) => store.update({ compareRule: (e.target as HTMLSelectElement).value as CompareChoice }));
  const baseline = () => {
    const from = ($('#f-compare-from', el) as HTMLInputElement).value, last = ($('#f-compare-to', el) as HTMLInputElement).value;
    if (from && last && from <= last) store.update({ compareFrom: from, compareTo: addDays(last, 1) });
  };
  el.querySelector('#f-compare-from')?.addEventListener('change', baseline);
  el.querySelector('#f-compare-to')?.addEventListener('change', baseline);
  el.querySelector('#f-source')?.addEventListener('change', (e) => store.update({ source: (e.target as HTMLSelectElement).value as Source, categories: [] }));
  $('#f-set', el).addEventListener('change', (e) => store.update({ areaSet: (e.target as HTMLSelectElement).value, selected: null }));
  $('#f-metric', el).addEventListener('change', (e) => {
    const metric = (e.target as HTMLSelectElement).value as Metric;
    const survey = { ...store.state.survey };
    if ((metric === 'survey' || metric === 'divergence') && !survey.indicator && indicators[0]) survey.indicator = indicators[0].code;
    store.update({ metric, survey });
  });
  el.querySelector('#f-ind')?.addEventListener('change', (e) => store.update({ survey: { ...store.state.survey, indicator: (e.target as HTMLSelectElement).value } }));
  el.querySelector('#f-wave')?.addEventListener('change', (e) => store.update({ survey: { ...store.state.survey, wave: (e.target as HTMLSelectElement).value } }));
  el.querySelector('#f-group')?.addEventListener('change', (e) => store.update({ survey: { ...store.state.survey, group: (e.target as HTMLSelectElement).value } }));
  el.querySelector('[data-cat-all]')?.addEventListener('change', () => store.update({ categories: [] }));
  for (const cb of el.querySelectorAll<HTMLInputElement>('[data-cat-group]')) {
    cb.addEventListener('change', () => {
      const set = new Set(store.state.categories);
      for (const c of categories.filter((x) => (x.group ?? '') === cb.dataset.catGroup)) if (cb.checked) set.add(c.code); else set.delete(c.code);
      store.update({ categories: [...set] });
    });
  }
  for (const cb of el.querySelectorAll<HTMLInputElement>('[data-cat]')) {
    cb.addEventListener('change', () => {
      const set = new Set(store.state.categories);
      if (cb.checked) set.add(cb.dataset.cat!); else set.delete(cb.dataset.cat!);
      store.update({ categories: [...set] });
    });
  }
  for (const cb of el.querySelectorAll<HTMLInputElement>('[data-layer]')) {
    cb.addEventListener('change', () => store.update({ layers: { ...store.state.layers, [cb.dataset.layer!]: cb.checked } }));
  }
}
