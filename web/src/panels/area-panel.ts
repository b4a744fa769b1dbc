// The area panel: the selected area's profile for the current period — key figures vs the city with significant
// changes marked, monthly sparkline per source, weekday × hour heat, survey CI bars by sex and age, places inside,
// and its lägesbild: the live report as HTML, PDF and Word, and for signed-in users the saved lägesbilder with the
// section 7 editor (lagesbild-part.ts) and the area's action plans (action-plan-part.ts). Falls back to the
// choropleth's stats row when there is no profile API.
import { api, qs } from '../api/client.js';
import { capabilities } from '../api/capabilities.js';
import { fmt, fmtSize, t } from '../i18n/index.js';
import type { ChoroData } from '../map/choropleth-data.js';
import type { State } from '../state/store.js';
import { compareParams, periodText } from '../state/period.js';
import { ciBars, sparkline, weekHourHeat, weekHourTable } from './charts.js';
import { esc } from './dom.js';
import { mountActionPlanPart } from './action-plan-part.js';
import { liveReportLinks, mountLagesbildPart } from './lagesbild-part.js';
import { normalizeProfile, type Figures, type Profile } from './profile-shape.js';

let ctrl: AbortController | null = null;

function changeCell(f: Figures): string {
  if (f.suppressed || f.rateRatio === null) return '<td>–</td>';
  const pct = (f.rateRatio - 1) * 100;
  const arrow = f.changeSignificant ? (pct > 0 ? '<span class="sig up" aria-hidden="true">▲</span>' : '<span class="sig down" aria-hidden="true">▼</span>') : '';
  const ci = f.rateRatioCiLow !== null ? ` <small>(KI ${fmt(f.rateRatioCiLow, 2)}–${f.rateRatioCiHigh === null ? '∞' : fmt(f.rateRatioCiHigh, 2)})</small>` : '';
  const sigText = f.changeSignificant ? t('panel.significant') : t('panel.notSignificant');
  return `<td class="${f.changeSignificant ? 'is-sig' : ''}" data-field="rateRatio" data-value="${f.rateRatio}">${arrow}${pct > 0 ? '+' : ''}${fmt(pct, 0)} %${ci}<span class="sr">, ${sigText}</span>${f.changeSignificant ? `<div class="sig-label">${sigText}</div>` : ''}</td>`;
}

function countCell(f: Figures | null, k: number): string {
  if (!f) return '<td>–</td>';
  if (f.suppressed) return `<td data-field="count" data-value="suppressed"><span class="suppressed">${esc(t('panel.suppressed', { k }))}</span></td>`;
  return `<td data-field="count" data-value="${f.count ?? ''}">${fmt(f.count)}</td>`;
}

/** counted: the period the figures count (the public's is widened to whole months; default: the one asked for) */
export function profileHtml(p: Profile, s: State, period: { from: string; to: string }, counted = period): string {
  const caps = capabilities();
  const rows = p.sources.map((src) => `<tr data-source="${esc(src.source)}"><th scope="row">${esc(t(`source.${src.source}`))}</th>${countCell(src.area, p.k)}
    <td data-field="ratePer1000" data-value="${src.area.ratePer1000 ?? ''}">${src.area.suppressed ? '–' : fmtSize(src.area.ratePer1000)}</td>
    <td data-field="cityRate">${fmtSize(src.city?.ratePer1000)}</td>${changeCell(src.area)}</tr>`).join('');
  const sparks = p.sources.filter((x) => x.monthly.length).map((x) => `<div class="spark-row"><div class="spark-label">${esc(t(`source.${x.source}`))}</div>${sparkline(x.monthly.map((m) => ({ label: m.month, value: m.count })), '#b30000', 300, 48, p.k)}</div>`).join('');
  const heatSrc = p.sources.find((x) => x.source === s.source && x.weekHour) ?? p.sources.find((x) => x.weekHour);
  const byCat = p.sources.find((x) => x.source === s.source)?.byCategory ?? [];
  const surveyByInd = new Map<string, typeof p.survey>();
  for (const it of p.survey) { if (!surveyByInd.has(it.name)) surveyByInd.set(it.name, []); surveyByInd.get(it.name)!.push(it); }
  const survey = [...surveyByInd].slice(0, 6).map(([name, items]) => `<h4>${esc(name)}</h4>${ciBars(items.map((i) => {
    const scale = (v: number | null) => (v === null ? null : v <= 1 && (i.value ?? 0) <= 1 ? v * 100 : v);
    return { label: t(`group.${i.group}`) === `group.${i.group}` ? i.group : t(`group.${i.group}`), value: scale(i.value), lo: scale(i.ciLow), hi: scale(i.ciHigh), n: i.respondents, previous: scale(i.previous), suppressed: i.suppressed };
  }))}`).join('');
  // how the survey figures were obtained when they are not the area's own: pooled, borrowed (named), or not available
  const surveyBasis = p.surveyBasis && p.surveyBasis.kind !== 'own' ? `<p class="muted survey-basis">${esc(p.surveyBasis.text[s.lang] || p.surveyBasis.text.sv)}</p>` : '';
  const report = liveReportLinks(p.id, period);
  return `
    <header class="panel-head"><div><h2 id="panel-title">${esc(p.name)}</h2><div class="muted" id="panel-period">${esc(periodText(counted, s.lang))} · ${t('panel.population')}: ${fmt(p.population)}</div></div>
      <button class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    ${report}
    <h3>${t('panel.keyFigures')}</h3>
    <table class="figures"><thead><tr><th></th><th>${t('panel.count')}</th><th>${t('panel.rate')}</th><th>${t('panel.city')}</th><th>${t('panel.change')}</th></tr></thead><tbody>${rows || `<tr><td colspan="5">${t('state.noData')}</td></tr>`}</tbody></table>
    ${byCat.length ? `<h3>${t('panel.byCategory')}</h3><ul class="cat-counts">${byCat.slice(0, 12).map((c) => `<li><span>${esc(c.name)}</span><span>${c.suppressed ? esc(t('panel.suppressed', { k: p.k })) : fmt(c.count)}</span></li>`).join('')}</ul>` : ''}
    ${sparks ? `<h3>${t('panel.monthly')}</h3>${sparks}` : ''}
    ${heatSrc?.weekHour ? `<h3>${t('panel.weekHour')} <small>(${esc(t(`source.${heatSrc.source}`))})</small></h3>${weekHourHeat(heatSrc.weekHour, p.k)}
      <button type="button" class="btn small" id="weekhour-table-toggle" aria-expanded="false" aria-controls="weekhour-table">${t('panel.weekHourTable')}</button>
      <div id="weekhour-table" class="table-scroll" hidden>${weekHourTable(heatSrc.weekHour, t('panel.weekHourCaption', { source: t(`source.${heatSrc.source}`), k: p.k }), p.k)}</div>` : ''}
    ${survey || surveyBasis ? `<h3>${t('panel.survey')}</h3>${surveyBasis}${survey}` : ''}
    <h3>${t('panel.places')}</h3>
    ${p.places.length ? `<ul class="place-list">${p.places.map((x) => `<li><button class="link" data-place="${x.id}">${esc(x.name)}</button>${x.status ? ` <small>${esc(t(`status.${x.status}`))}</small>` : ''}</li>`).join('')}</ul>` : `<p class="muted">${t('panel.noPlaces')}</p>`}
    ${caps.report ? '<section id="lagesbild-part" class="lagesbild-part"></section>' : ''}
    <section id="action-plan-part" class="lagesbild-part" hidden></section>`;
}

function fromChoro(id: number, d: ChoroData | null, s: State): Profile | null {
  const v = d?.values.get(id);
  const f = d?.geometry.features.find((x) => Number(x.id) === id);
  if (!f) return null;
  const row = (v?.row ?? {}) as Record<string, unknown>;
  const fig = (r: Record<string, unknown>): Figures => ({ count: (r.count as number) ?? null, ratePer1000: (r.ratePer1000 as number) ?? null, rateRatio: (r.rateRatio as number) ?? null, rateRatioCiLow: (r.rateRatioCiLow as number) ?? null, rateRatioCiHigh: (r.rateRatioCiHigh as number) ?? null, changeSignificant: !!r.changeSignificant, suppressed: !!r.suppressed });
  const props = f.properties as { name?: string; code?: string; population?: number };
  return { id, name: props?.name ?? '', code: props?.code ?? '', population: props?.population ?? null, k: d?.k ?? 5, places: [], survey: [],
    sources: d && d.metric !== 'survey' && d.metric !== 'divergence' && v ? [{ source: s.source, area: fig(row), city: d.total ? fig(d.total as unknown as Record<string, unknown>) : null, monthly: [], weekHour: null, byCategory: [] }] : [] };
}

export async function showAreaPanel(el: HTMLElement, id: number, s: State, period: { from: string; to: string }, d: ChoroData | null, onPlace: (id: number) => void, onClose: () => void, role = 'public'): Promise<void> {
  ctrl?.abort();
  ctrl = new AbortController();
  el.hidden = false;
  el.setAttribute('aria-busy', 'true');
  el.innerHTML = `<div class="panel-loading">${t('state.loading')}</div>`;
  let p: Profile | null = null;
  let counted = period;
  let error = '';
  if (capabilities().profile) {
    try {
      const raw = await api<Record<string, unknown>>(`/api/areas/${id}/profile${qs({ from: period.from, to: period.to, ...compareParams(s) })}`, { signal: ctrl.signal });
      p = normalizeProfile(raw, id);
      const m = (raw.meta as { period?: { from?: string; to?: string } } | undefined)?.period;
      if (m?.from && m.to) counted = { from: m.from, to: m.to };
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      error = (e as Error).message;
    }
  }
  if (!p) p = fromChoro(id, d, s);
  el.removeAttribute('aria-busy');
  if (!p) { el.innerHTML = `<header class="panel-head"><h2>–</h2><button class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header><p class="error">${esc(t('state.error', { msg: error || '404' }))}</p>`; }
  else el.innerHTML = profileHtml(p, s, period, counted) + (error ? `<p class="error">${esc(t('state.error', { msg: error }))}</p>` : '');
  el.dataset.areaId = String(id);
  el.querySelector('[data-close]')?.addEventListener('click', onClose);
  el.querySelector('#panel-title')?.setAttribute('tabindex', '-1');
  const whToggle = el.querySelector<HTMLButtonElement>('#weekhour-table-toggle');
  whToggle?.addEventListener('click', () => {
    const open = whToggle.getAttribute('aria-expanded') !== 'true';
    whToggle.setAttribute('aria-expanded', String(open));
    el.querySelector<HTMLElement>('#weekhour-table')!.hidden = !open;
  });
  for (const b of el.querySelectorAll<HTMLButtonElement>('[data-place]')) b.addEventListener('click', () => onPlace(Number(b.dataset.place)));
  const part = el.querySelector<HTMLElement>('#lagesbild-part');
  if (p && part) void mountLagesbildPart(part, { areaId: id, areaName: p.name, period, role }, ctrl.signal);
  const plans = el.querySelector<HTMLElement>('#action-plan-part');
  if (p && plans) void mountActionPlanPart(plans, { areaId: id, areaName: p.name, role, places: p.places.map((x) => ({ id: x.id, name: x.name })) }, ctrl.signal);
}
