// The platssamverkan panel: partners, SMART goals with their status, measures on a timeline, the before/after
// evaluation (place, surrounding ring and control area) with its verdict; staff add goals and measures here.
import { addDays, addYears } from '../../../shared/dates.js';
import { POINT_SOURCES } from '../../../shared/sources.js';
import { api, qs } from '../api/client.js';
import { capabilities } from '../api/capabilities.js';
import { fmt, getLang, t } from '../i18n/index.js';
import type { State } from '../state/store.js';
import { inclusivePeriodText } from '../state/period.js';
import { beforeAfterBars, sparkline } from './charts.js';
import { esc } from './dom.js';
import { parsePartners } from './partners.js';

type Goal = { id: number; description: string; indicator: { type: string; source?: string; indicator?: string }; baseline: { from: string; to: string; value: number | null }; targetValue: number; deadline: string; status: string; current: { value: number | null } | null; suppressed: boolean };
type Measure = { id: number; type: string; date: string; description: string };
export type PlaceDetail = { id: number; name: string; status: string; startDate: string | null; endDate: string | null; description: string; partners: { organisation: string; role: string }[]; synthetic: boolean; district: { id: number; name: string } | null; goals: Goal[]; measures: Measure[]; geometry: unknown };
type Region = { before: number | null; after: number | null; beforePerDay: number | null; afterPerDay: number | null };
type Evaluation = { verdict: string; sentence: { sv: string; en: string }; before: { from: string; to: string; days: number }; after: { from: string; to: string; days: number }; counts: { place: Region; buffer: Region; control: Region }; series: { month: string; period: string; place: number | null }[]; control: { name: string }; suppressed: boolean; wdd: { wdd: number; ciLow: number; ciHigh: number; significant: boolean } | null };

export const MEASURE_TYPES = ['lighting', 'cameras', 'guards', 'cleaning', 'place-activation', 'physical-change', 'social-effort', 'other'];
const GOAL_STATUS_SV: Record<string, [string, string]> = {
  'no-baseline': ['Ingen baslinje', 'No baseline'], 'too-early': ['För tidigt', 'Too early'], 'on-track': ['På väg', 'On track'],
  'off-track': ['Efter plan', 'Off track'], met: ['Uppnått', 'Met'], missed: ['Missat', 'Missed'],
};
const VERDICT_TEXT: Record<string, [string, string]> = {
  improved: ['Förbättring', 'Improved'], worsened: ['Försämring', 'Worsened'], 'no-detectable-change': ['Ingen påvisbar förändring', 'No detectable change'], 'displacement-suspected': ['Misstänkt förflyttning', 'Displacement suspected'],
};
const L = () => (getLang() === 'sv' ? 0 : 1);

function timeline(measures: Measure[], start: string | null, w = 310): string {
  if (!measures.length) return `<p class="muted">–</p>`;
  const dates = measures.map((m) => Date.parse(m.date)).concat(start ? [Date.parse(start)] : []);
  const min = Math.min(...dates), max = Math.max(...dates, min + 86_400_000 * 30);
  const x = (d: string) => 10 + ((Date.parse(d) - min) / (max - min)) * (w - 20);
  const items = measures.map((m, i) => `<g><circle cx="${x(m.date).toFixed(1)}" cy="22" r="5" fill="#1b7837"><title>${esc(m.date)}: ${esc(t(`measure.${m.type}`))} – ${esc(m.description)}</title></circle><text x="${x(m.date).toFixed(1)}" y="${i % 2 ? 44 : 12}" text-anchor="${x(m.date) < 60 ? 'start' : x(m.date) > w - 60 ? 'end' : 'middle'}" class="axis">${esc(t(`measure.${m.type}`))}</text></g>`).join('');
  const startMark = start ? `<line x1="${x(start).toFixed(1)}" x2="${x(start).toFixed(1)}" y1="14" y2="30" stroke="#333" stroke-dasharray="2,2"><title>${t('place.start')} ${esc(start)}</title></line>` : '';
  return `<svg class="chart timeline" viewBox="0 0 ${w} 52" width="100%" role="img" aria-label="${t('place.measures')}"><line x1="10" x2="${w - 10}" y1="22" y2="22" stroke="#999"/>${startMark}${items}</svg>
    <ol class="measure-list">${measures.map((m) => `<li><time>${esc(m.date)}</time> <strong>${esc(t(`measure.${m.type}`))}</strong> ${esc(m.description)}</li>`).join('')}</ol>`;
}

function evaluationHtml(e: Evaluation): string {
  const per30 = (v: number | null) => (v === null ? null : Math.round(v * 30 * 10) / 10);
  const groups = (['place', 'buffer', 'control'] as const).map((k) => ({ label: t(`place.${k === 'place' ? 'inside' : k}`), before: per30(e.counts[k].beforePerDay), after: per30(e.counts[k].afterPerDay) }));
  const series = e.series.length ? sparkline(e.series.map((s) => ({ label: s.month, value: s.place })), '#1b7837') : '';
  const wdd = e.wdd ? `<div class="muted">WDD ${fmt(e.wdd.wdd, 1)} (95 % KI ${fmt(e.wdd.ciLow, 1)}–${fmt(e.wdd.ciHigh, 1)})${e.wdd.significant ? ` – ${t('panel.significant')}` : ''}</div>` : '';
  return `<div class="verdict verdict-${esc(e.verdict)}" data-verdict="${esc(e.verdict)}">${esc(VERDICT_TEXT[e.verdict]?.[L()] ?? e.verdict)}</div>
    <p>${esc(e.sentence[getLang()])}</p>
    <div class="muted">${esc(inclusivePeriodText(e.before, getLang()))} → ${esc(inclusivePeriodText(e.after, getLang()))} · ${getLang() === 'sv' ? 'per 30 dagar' : 'per 30 days'} · ${t('place.control')}: ${esc(e.control.name)}</div>
    <div id="eval-chart">${beforeAfterBars(groups)}</div>${series}${wdd}`;
}

function staffForms(p: PlaceDetail, s: State): string {
  const today = new Date().toISOString().slice(0, 10);
  const start = p.startDate ?? today;
  return `<details class="staff"><summary>${t('place.addGoal')}</summary><form id="goal-form" class="stack">
      <label class="field"><span>${t('place.description')}</span><input name="description" required maxlength="2000" value=""></label>
      <label class="field"><span>${t('goal.indicator')}</span><select name="source">${POINT_SOURCES.map((x) => `<option value="${x}" ${x === s.source ? 'selected' : ''}>${t(`source.${x}`)}</option>`).join('')}</select></label>
      <div class="row2"><label class="field"><span>Baseline ${t('filter.from')}</span><input type="date" name="baselineFrom" required value="${esc(addYears(start, -1))}"></label>
      <label class="field"><span>Baseline ${t('filter.to').replace(/ \(.*\)/, '')}</span><input type="date" name="baselineTo" required value="${esc(addDays(start, -1))}"></label></div>
      <div class="row2"><label class="field"><span>${t('goal.target')}</span><input type="number" name="targetValue" min="0" step="any" required value="10"></label>
      <label class="field"><span>${t('goal.deadline')}</span><input type="date" name="deadline" required value="${esc(addYears(start, 1))}"></label></div>
      <button class="btn" type="submit">${t('place.save')}</button><div class="form-msg" role="status"></div></form></details>
    <details class="staff"><summary>${t('place.addMeasure')}</summary><form id="measure-form" class="stack">
      <div class="row2"><label class="field"><span>${t('measure.type')}</span><select name="type">${MEASURE_TYPES.map((m) => `<option value="${m}">${t(`measure.${m}`)}</option>`).join('')}</select></label>
      <label class="field"><span>${t('measure.date')}</span><input type="date" name="date" required value="${esc(start)}"></label></div>
      <label class="field"><span>${t('place.description')}</span><input name="description" maxlength="2000"></label>
      <button class="btn" type="submit">${t('place.save')}</button><div class="form-msg" role="status"></div></form></details>`;
}

let ctrl: AbortController | null = null;

export async function showPlacePanel(el: HTMLElement, id: number, s: State, role: string, onClose: () => void): Promise<void> {
  ctrl?.abort();
  ctrl = new AbortController();
  const signal = ctrl.signal;
  el.hidden = false;
  el.innerHTML = `<div class="panel-loading">${t('state.loading')}</div>`;
  let p: PlaceDetail;
  try { p = await api<PlaceDetail>(`/api/places/${id}`, { signal }); } catch (e) {
    if ((e as Error).name === 'AbortError') return;
    el.innerHTML = `<header class="panel-head"><h2>–</h2><button class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header><p class="error">${esc(t('state.error', { msg: (e as Error).message }))}</p>`;
    el.querySelector('[data-close]')?.addEventListener('click', onClose);
    return;
  }
  const canEdit = role === 'staff' || role === 'admin';
  el.dataset.placeId = String(id);
  el.innerHTML = `
    <header class="panel-head"><div><h2 id="panel-title">${esc(p.name)}</h2><div class="muted"><span class="status-dot status-${esc(p.status)}"></span>${esc(t(`status.${p.status}`))}${p.startDate ? ` · ${t('place.start')} ${esc(p.startDate)}` : ''}${p.district ? ` · ${esc(p.district.name)}` : ''}${p.synthetic ? ' · <em>syntetisk</em>' : ''}</div></div>
      <button class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    ${p.description ? `<p>${esc(p.description)}</p>` : ''}
    <h3>${t('place.partners')}</h3>
    ${p.partners.length ? `<ul class="partners">${p.partners.map((x) => `<li><strong>${esc(x.organisation)}</strong>${x.role ? ` – ${esc(x.role)}` : ''}</li>`).join('')}</ul>` : '<p class="muted">–</p>'}
    <h3>${t('place.goals')}</h3>
    ${p.goals.length ? `<ul class="goals">${p.goals.map((g) => `<li data-goal="${g.id}"><span class="goal-status goal-${esc(g.status)}">${esc(GOAL_STATUS_SV[g.status]?.[L()] ?? g.status)}</span> ${esc(g.description || (g.indicator.source ? t(`source.${g.indicator.source}`) : g.indicator.indicator ?? ''))}<div class="muted">${t('goal.target')}: ${fmt(g.targetValue, 1)} · baseline ${g.suppressed ? '–' : fmt(g.baseline.value, 1)} · ${t('goal.deadline')} ${esc(g.deadline)}</div></li>`).join('')}</ul>` : '<p class="muted">–</p>'}
    <h3>${t('place.measures')}</h3>
    <div id="measures">${timeline(p.measures, p.startDate)}</div>
    <h3>${t('place.evaluation')}</h3>
    <div id="evaluation" aria-live="polite"><div class="panel-loading">${t('state.loading')}</div></div>
    ${canEdit ? staffForms(p, s) : ''}`;
  el.querySelector('[data-close]')?.addEventListener('click', onClose);
  const reload = () => showPlacePanel(el, id, s, role, onClose);
  el.querySelector('#goal-form')?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target as HTMLFormElement);
    const msg = (ev.target as HTMLElement).querySelector('.form-msg')!;
    try {
      await api(`/api/places/${id}/goals`, { method: 'POST', json: { description: f.get('description'), indicator: { type: 'incidents', source: f.get('source'), categories: [] }, baselineFrom: f.get('baselineFrom'), baselineTo: f.get('baselineTo'), targetValue: Number(f.get('targetValue')), deadline: f.get('deadline') } });
      await reload();
    } catch (e) { msg.textContent = (e as Error).message; }
  });
  el.querySelector('#measure-form')?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target as HTMLFormElement);
    const msg = (ev.target as HTMLElement).querySelector('.form-msg')!;
    try {
      await api(`/api/places/${id}/measures`, { method: 'POST', json: { type: f.get('type'), date: f.get('date'), description: f.get('description') ?? '' } });
      await reload();
    } catch (e) { msg.textContent = (e as Error).message; }
  });
  const evEl = el.querySelector('#evaluation') as HTMLElement;
  if (!capabilities().placeEvaluation) { evEl.innerHTML = `<p class="muted">${t('state.unavailable')}</p>`; return; }
  try {
    const e = await api<Evaluation>(`/api/places/${id}/evaluation${qs({ source: s.source, category: s.categories })}`, { signal });
    evEl.innerHTML = evaluationHtml(e);
  } catch (e) {
    if ((e as Error).name === 'AbortError') return;
    evEl.innerHTML = `<p class="error">${esc(t('state.error', { msg: (e as Error).message }))}</p>`;
  }
}

/** The form that names a freshly drawn polygon and creates the place. */
export function newPlaceForm(el: HTMLElement, geometry: unknown, onCreated: (id: number) => void, onCancel: () => void): void {
  el.hidden = false;
  const today = new Date().toISOString().slice(0, 10);
  el.innerHTML = `<header class="panel-head"><h2 id="panel-title">${t('tools.drawPlace')}</h2><button class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    <form id="place-form" class="stack">
      <label class="field"><span>${t('place.name')}</span><input name="name" required maxlength="200"></label>
      <div class="row2"><label class="field"><span>${t('place.status')}</span><select name="status">${['planned', 'active', 'ended'].map((x) => `<option value="${x}" ${x === 'active' ? 'selected' : ''}>${t(`status.${x}`)}</option>`).join('')}</select></label>
      <label class="field"><span>${t('place.start')}</span><input type="date" name="startDate" value="${today}"></label></div>
      <label class="field"><span>${t('place.description')}</span><textarea name="description" rows="3" maxlength="5000"></textarea></label>
      <label class="field"><span>${t('place.partners')} (${getLang() === 'sv' ? 'organisation: roll, en per rad' : 'organisation: role, one per line'})</span><textarea name="partners" rows="3"></textarea></label>
      <div class="row2"><button class="btn primary" type="submit">${t('place.save')}</button><button class="btn" type="button" data-cancel>${t('place.cancel')}</button></div>
      <div class="form-msg error" role="status"></div></form>`;
  el.querySelector('[data-close]')?.addEventListener('click', onCancel);
  el.querySelector('[data-cancel]')?.addEventListener('click', onCancel);
  el.querySelector('#place-form')!.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target as HTMLFormElement);
    const partners = parsePartners(String(f.get('partners') ?? ''));
    try {
      const p = await api<{ id: number }>('/api/places', { method: 'POST', json: { name: f.get('name'), geometry, status: f.get('status'), startDate: f.get('startDate') || null, description: f.get('description') ?? '', partners } });
      onCreated(p.id);
    } catch (e) { el.querySelector('.form-msg')!.textContent = (e as Error).message; }
  });
}
