// The action plan's editor (issue 18) in the page's dialog, modelled on the section 7 editor: the findings of the
// lägesbild the plan starts from, each made into a priority with "Gör till prioritering" (its figures and data version
// kept), or an own priority; per priority the orsaksanalys in the programme's five steps with links to the map views
// that support them, the problem triangle and indicators (the server fills each baseline from the statistics on save);
// the measures with owner, partners, dates, status, cost and linked priorities. Labelled controls in fieldsets, all by
// keyboard; a structural change (add, remove) redraws the form and puts the focus on what changed. Save sends the
// version the edit started from (409: who saved since, the text stays in the form); decide (after a confirmation)
// freezes the plan and the form becomes read-only; publish and revise follow.
import { SOURCES } from '../../../shared/sources.js';
import { api, ApiError, qs } from '../api/client.js';
import { fmt, fmtSize, getLang, t } from '../i18n/index.js';
import {
  CAUSAL_STEPS, MEASURE_STATUSES, MONTHS, TRIANGLE, emptyCausalAnalysis, formatValue, indicatorIds, newId, newIndicator, newMeasure,
  newSurveyIndicator, parseValue, planInput, priorityFromFinding, setAt, surveyValueText,
  type ActionPlan, type CausalStep, type IncidentIndicator, type Measure, type Priority, type ReportContent, type SurveyGroupInfo,
  type SurveyIndicator, type SurveyIndicatorInfo, type ValueKind,
} from './action-plan-model.js';
import { openFollowUp } from './action-plan-follow-up.js';
import { esc } from './dom.js';
import { formatWhen } from './saved-reports.js';

export type Place = { id: number; name: string };
/** places: the platssamverkan places of the area, which measures may be linked to */
export type PlanEditorOptions = { onChanged: (plan: ActionPlan) => void; returnFocus: () => HTMLElement | null; places?: Place[] };

/** "Version 3 · Utkast · sparad av key:12 30 nov 2026 14:05". */
export function planStatusLine(p: ActionPlan): string {
  return t('ap.statusLine', { version: p.version, status: t(`ap.status.${p.status}`), who: p.updatedBy ?? '–', when: formatWhen(p.updatedAt) });
}

/** The map views that support each step: the weekday × hour of the area's panel, its hot spots, its survey groups. */
function dataLinks(step: CausalStep, areaId: number, cats: string[]): string {
  const views: Record<CausalStep, ('time' | 'hotspots' | 'survey')[]> = {
    preparation: [], deepenKnowledge: ['time', 'hotspots', 'survey'], likelyCauses: ['hotspots', 'time'], testAssumptions: ['time', 'survey'], chooseMeasures: [],
  };
  const href = (v: 'time' | 'hotspots' | 'survey') => `/${qs({
    lang: getLang() === 'en' ? 'en' : undefined, sel: `a${areaId}`, m: v === 'survey' ? 'survey' : 'rate', src: 'crimes',
    cat: v === 'survey' ? undefined : cats, ly: v === 'hotspots' ? 'ch,hs,pl' : undefined,
  })}`;
  const list = views[step];
  if (!list.length) return '';
  return `<p class="hint ap-data-links">${esc(t('ap.dataViews'))} ${list.map((v) => `<a href="${esc(href(v))}" target="_blank" rel="noopener">${esc(t(`ap.view.${v}`))}</a>`).join(' · ')}</p>`;
}

const ctlId = (path: string) => `ap-${path.replace(/\./g, '-')}`;

function input(path: string, label: string, value: unknown, opts: { kind?: ValueKind; type?: string; max?: number; hint?: string; required?: boolean; attrs?: string } = {}): string {
  const id = ctlId(path);
  const kind = opts.kind ?? 'text';
  const hint = opts.hint ? `<p class="hint" id="${id}-hint">${esc(opts.hint)}</p>` : '';
  return `<div class="field"><label for="${id}">${esc(label)}</label>${hint}<input id="${id}" data-path="${esc(path)}" data-kind="${kind}" type="${opts.type ?? 'text'}"
    value="${esc(formatValue(kind, value))}"${opts.max ? ` maxlength="${opts.max}"` : ''}${opts.required ? ' required aria-required="true"' : ''}${opts.hint ? ` aria-describedby="${id}-hint"` : ''} ${opts.attrs ?? ''}></div>`;
}

function area(path: string, label: string, value: string, hint = '', extra = '', kind: ValueKind = 'text'): string {
  const id = ctlId(path);
  return `<div class="field"><label for="${id}">${esc(label)}</label>${hint ? `<p class="hint" id="${id}-hint">${esc(hint)}</p>` : ''}${extra}
    <textarea id="${id}" data-path="${esc(path)}" data-kind="${kind}" rows="2" maxlength="${kind === 'partners' ? 8000 : 2000}"${hint ? ` aria-describedby="${id}-hint"` : ''}>${esc(value)}</textarea></div>`;
}

function select(path: string, label: string, value: string | number, options: [string | number, string][], kind: ValueKind = 'text'): string {
  const id = ctlId(path);
  return `<div class="field"><label for="${id}">${esc(label)}</label><select id="${id}" data-path="${esc(path)}" data-kind="${kind}">
    ${options.map(([v, l]) => `<option value="${esc(v)}"${String(v) === String(value) ? ' selected' : ''}>${esc(l)}</option>`).join('')}</select></div>`;
}

/** The survey's indicators and respondent groups (GET /api/survey/indicators, /api/survey/groups) the survey indicators choose from. */
type SurveyCatalogue = { indicators: SurveyIndicatorInfo[]; groups: SurveyGroupInfo[] };

function baselineText(i: IncidentIndicator): string {
  const b = i.baseline;
  if (!b) return `<p class="muted" data-baseline="${esc(i.id)}">${esc(t('ap.baselineAfterSave'))}</p>`;
  const value = b.suppressed || b.count === null ? t('ap.suppressedValue') : t('ap.baselineValue', { count: fmt(b.count), rate: fmtSize(b.ratePer1000) });
  return `<p class="ap-baseline" data-baseline="${esc(i.id)}" data-rate="${b.ratePer1000 ?? ''}" data-count="${b.count ?? ''}"><strong>${esc(t('ap.baseline'))}:</strong> ${esc(value)}, ${esc(b.from)} – ${esc(b.to)} <span class="muted">(${esc(t('ap.dataVersion', { v: b.dataVersion }))})</span></p>`;
}

function indicatorBlock(pi: number, ii: number, i: IncidentIndicator, areaName: string): string {
  const base = `priorities.${pi}.indicators.${ii}`;
  return `<fieldset class="goal-row ap-indicator" data-indicator="${esc(i.id)}"><legend>${esc(t('ap.indicatorN', { n: ii + 1 }))} (${esc(t('ap.kind.incidents'))})</legend>
    ${input(`${base}.label`, t('ap.indicator.label'), i.label, { max: 200, required: true, hint: t('ap.indicator.labelHint') })}
    ${select(`${base}.source`, t('ap.indicator.source'), i.source, SOURCES.map((s) => [s, t(`source.${s}`)]))}
    ${input(`${base}.categories`, t('ap.indicator.categories'), i.categories, { kind: 'list', hint: t('ap.indicator.categoriesHint') })}
    ${select(`${base}.areaId`, t('ap.indicator.area'), i.areaId, [[i.areaId, areaName]], 'int')}
    ${select(`${base}.months`, t('ap.indicator.months'), i.months, MONTHS.map((m) => [m, t('ap.months', { n: m })]), 'int')}
    ${input(`${base}.targetRate`, t('ap.indicator.targetRate'), i.targetRate, { kind: 'number', attrs: 'inputmode="decimal"' })}
    ${input(`${base}.targetDate`, t('ap.indicator.targetDate'), i.targetDate, { kind: 'date', type: 'date' })}
    ${baselineText(i)}
    <button type="button" class="btn small" data-remove-indicator="${pi}.${ii}">${esc(t('ap.removeIndicator', { n: ii + 1 }))}</button></fieldset>`;
}

const surveyNum = (n: number, digits: number) => fmt(n, digits);

/** A survey indicator's frozen baseline: "40 % (KI 35–45 %, 400 svarande), Trygghetsmätning 2023", or hidden below the respondent minimum. */
function surveyBaselineText(i: SurveyIndicator, info: SurveyIndicatorInfo | undefined): string {
  const b = i.baseline;
  if (!b) return `<p class="muted" data-baseline="${esc(i.id)}">${esc(t('ap.surveyBaselineAfterSave'))}</p>`;
  const scale = info?.scale ?? null;
  const ci = b.ciLow !== null && b.ciHigh !== null ? `${t('table.ci')} ${surveyValueText(b.ciLow, b.valueKind, null, surveyNum)}–${surveyValueText(b.ciHigh, b.valueKind, null, surveyNum)}` : '';
  const about = [ci, t('ap.respondentsN', { n: fmt(b.respondents) })].filter(Boolean).join(', ');
  const value = b.suppressed ? t('ap.surveySuppressed') : b.value === null ? t('ap.surveyNoValue') : `${surveyValueText(b.value, b.valueKind, scale, surveyNum)} (${about})`;
  return `<p class="ap-baseline" data-baseline="${esc(i.id)}" data-value="${b.value ?? ''}" data-respondents="${b.respondents ?? ''}" data-wave="${esc(b.wave.id)}"><strong>${esc(t('ap.baseline'))}:</strong> ${esc(value)}, ${esc(b.wave.name)} <span class="muted">(${esc(t('ap.dataVersion', { v: b.dataVersion }))})</span></p>`;
}

/** A survey indicator: the indicator and respondent group chosen from the survey's lists, the area, a target in percent (a share) or on the scale (a mean). */
function surveyIndicatorBlock(pi: number, ii: number, i: SurveyIndicator, areaName: string, survey: SurveyCatalogue): string {
  const base = `priorities.${pi}.indicators.${ii}`;
  const en = getLang() === 'en';
  const info = survey.indicators.find((x) => x.code === i.indicator);
  // the stored code stays selectable even when the survey no longer lists it
  const indicators: [string, string][] = [...survey.indicators.map((x): [string, string] => [x.code, en ? x.textEn : x.textSv]), ...(info || !i.indicator ? [] : [[i.indicator, i.indicator] as [string, string]])];
  const groups: [string, string][] = [...survey.groups.map((g): [string, string] => [g.code, en ? g.labelEn : g.labelSv]), ...(survey.groups.some((g) => g.code === i.group) ? [] : [[i.group, i.group] as [string, string]])];
  const share = (info?.kind ?? i.baseline?.valueKind ?? 'share') === 'share';
  const better = info?.direction === 'higher-is-better';
  const targetLabel = t(share ? (better ? 'ap.survey.targetShareMin' : 'ap.survey.targetShareMax') : (better ? 'ap.survey.targetMeanMin' : 'ap.survey.targetMeanMax'), { scale: info?.scale ? `${info.scale.min}–${info.scale.max}` : '' });
  const target = share
    ? input(`${base}.targetValue`, targetLabel, i.targetValue, { kind: 'percent', attrs: 'inputmode="decimal"' })
    : input(`${base}.targetValue`, targetLabel, i.targetValue, { kind: 'number', attrs: 'inputmode="decimal"' });
  return `<fieldset class="goal-row ap-indicator" data-indicator="${esc(i.id)}" data-kind="survey"><legend>${esc(t('ap.indicatorN', { n: ii + 1 }))} (${esc(t('ap.kind.survey'))})</legend>
    ${input(`${base}.label`, t('ap.indicator.label'), i.label, { max: 200, required: true, hint: t('ap.survey.labelHint') })}
    ${select(`${base}.indicator`, t('ap.survey.indicator'), i.indicator, indicators)}
    ${select(`${base}.group`, t('ap.survey.group'), i.group, groups)}
    ${select(`${base}.areaId`, t('ap.indicator.area'), i.areaId, [[i.areaId, areaName]], 'int')}
    ${target}
    ${input(`${base}.targetDate`, t('ap.indicator.targetDate'), i.targetDate, { kind: 'date', type: 'date' })}
    ${surveyBaselineText(i, info)}
    <button type="button" class="btn small" data-remove-indicator="${pi}.${ii}">${esc(t('ap.removeIndicator', { n: ii + 1 }))}</button></fieldset>`;
}

function originText(p: Priority): string {
  if (p.origin.kind !== 'finding') return `<p class="muted">${esc(t('ap.origin.own'))}</p>`;
  const f = p.origin.finding;
  const fig = typeof f.figures.figure === 'string' ? ` ${f.figures.figure}` : '';
  return `<p class="ap-origin"><strong>${esc(t('ap.origin.finding'))}:</strong> ${esc(f.text)}${esc(fig)} <span class="muted">(${esc(t('ap.dataVersion', { v: p.origin.dataVersion }))})</span></p>`;
}

function priorityBlock(pi: number, p: Priority, areaId: number, areaName: string, survey: SurveyCatalogue): string {
  const base = `priorities.${pi}`;
  const cats = p.origin.kind === 'finding' && typeof p.origin.finding.figures.categories === 'string' ? p.origin.finding.figures.categories.split(',') : [];
  return `<fieldset class="group ap-priority" data-priority="${esc(p.id)}"><legend id="ap-pl-${esc(p.id)}">${esc(t('ap.priorityN', { n: pi + 1, title: p.title }))}</legend>
    ${originText(p)}
    ${input(`${base}.title`, t('ap.priority.title'), p.title, { max: 200, required: true })}
    <fieldset class="goal-row"><legend>${esc(t('st.causal'))}</legend>
      ${CAUSAL_STEPS.map((k) => area(`${base}.causalAnalysis.${k}`, t(`st.causalAnalysis.${k}`), p.causalAnalysis[k], t(`st.hint.${k}`), dataLinks(k, areaId, cats))).join('')}
      <fieldset class="goal-row"><legend>${esc(t('ap.triangle'))}</legend>
        ${TRIANGLE.map((k) => area(`${base}.causalAnalysis.triangle.${k}`, t(`ap.triangle.${k}`), p.causalAnalysis.triangle[k])).join('')}
      </fieldset>
    </fieldset>
    <fieldset class="goal-row"><legend>${esc(t('ap.indicators'))}</legend>
      ${p.indicators.map((i, ii) => (i.kind === 'survey' ? surveyIndicatorBlock(pi, ii, i, areaName, survey) : indicatorBlock(pi, ii, i, areaName))).join('') || `<p class="muted">${esc(t('ap.noIndicators'))}</p>`}
      <div class="btn-row" role="group" aria-label="${esc(t('ap.addIndicatorGroup', { title: p.title }))}">
        <button type="button" class="btn small" id="ap-priorities-${pi}-add-indicator" data-add-indicator="${pi}">${esc(t('ap.addIndicator', { title: p.title }))}</button>
        ${survey.indicators.length ? `<button type="button" class="btn small" id="ap-priorities-${pi}-add-survey-indicator" data-add-survey-indicator="${pi}">${esc(t('ap.addSurveyIndicator', { title: p.title }))}</button>` : ''}
      </div>
    </fieldset>
    <button type="button" class="btn small" data-remove-priority="${pi}">${esc(t('ap.removePriority', { n: pi + 1 }))}</button></fieldset>`;
}

function measureBlock(mi: number, m: Measure, priorities: Priority[], areaPlaces: Place[]): string {
  const base = `measures.${mi}`;
  const links = priorities.length
    ? `<fieldset class="cat-fieldset"><legend>${esc(t('ap.measure.priorities'))}</legend>${priorities.map((p) => `<label class="check"><input type="checkbox" data-link="${mi}" value="${esc(p.id)}"${m.priorityIds.includes(p.id) ? ' checked' : ''}> ${esc(p.title)}</label>`).join('')}</fieldset>`
    : '';
  // the area's places, and any place the measure was linked to before that is not among them
  const places = [...areaPlaces, ...m.placeIds.filter((id) => !areaPlaces.some((x) => x.id === id)).map((id) => ({ id, name: `#${id}` }))];
  const placeLinks = places.length
    ? `<fieldset class="cat-fieldset"><legend>${esc(t('ap.measure.places'))}</legend>${places.map((x) => `<label class="check"><input type="checkbox" data-place-link="${mi}" value="${x.id}"${m.placeIds.includes(x.id) ? ' checked' : ''}> ${esc(x.name)}</label>`).join('')}</fieldset>`
    : '';
  return `<fieldset class="goal-row ap-measure" data-measure="${esc(m.id)}"><legend>${esc(t('ap.measureN', { n: mi + 1 }))}</legend>
    ${input(`${base}.title`, t('ap.measure.title'), m.title, { max: 200, required: true })}
    ${input(`${base}.owner`, t('ap.measure.owner'), m.owner, { max: 200, required: true, hint: t('ap.measure.ownerHint') })}
    ${area(`${base}.partners`, t('ap.measure.partners'), formatValue('partners', m.partners), t('ap.measure.partnersHint'), '', 'partners')}
    ${input(`${base}.start`, t('ap.measure.start'), m.start, { kind: 'date', type: 'date' })}
    ${input(`${base}.end`, t('ap.measure.end'), m.end, { kind: 'date', type: 'date' })}
    ${select(`${base}.status`, t('ap.measure.status'), m.status, MEASURE_STATUSES.map((s) => [s, t(`ap.mstatus.${s}`)]))}
    ${input(`${base}.cost`, t('ap.measure.cost'), m.cost, { kind: 'number', attrs: 'inputmode="decimal"' })}
    ${links}${placeLinks}
    <button type="button" class="btn small" data-remove-measure="${mi}">${esc(t('ap.removeMeasure', { n: mi + 1 }))}</button></fieldset>`;
}

function findingsBlock(report: ReportContent | null, promoted: Set<string>): string {
  if (!report) return `<p class="muted">${esc(t('ap.noReport'))}</p>`;
  if (!report.summary.length) return `<p class="muted">${esc(t('ap.noFindings'))}</p>`;
  return `<ul class="report-list ap-findings">${report.summary.map((f, i) => `<li data-finding="${esc(f.key)}">
    <p id="ap-f${i}">${esc(f.text)} <span class="muted">${esc(f.figure)}</span></p>
    <button type="button" class="btn small" data-promote="${i}" aria-describedby="ap-f${i}"${promoted.has(f.key) ? ' disabled' : ''}>${esc(promoted.has(f.key) ? t('ap.promoted') : t('ap.promote'))}</button></li>`).join('')}</ul>`;
}

export function openPlanEditor(dialog: HTMLDialogElement, planId: number, opts: PlanEditorOptions): void {
  dialog.innerHTML = `<div class="dialog-inner"><p class="panel-loading" role="status">${t('state.loading')}</p></div>`;
  dialog.setAttribute('aria-labelledby', 'dlg-title');
  if (!dialog.open) dialog.showModal();
  dialog.addEventListener('close', () => opts.returnFocus()?.focus(), { once: true });
  void load(dialog, planId, opts).catch((e: Error) => {
    dialog.innerHTML = `<div class="dialog-inner"><header class="panel-head"><h2 id="dlg-title">${t('ap.heading')}</h2><button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
      <p class="error" role="alert">${esc(t('state.error', { msg: e.message }))}</p></div>`;
    dialog.querySelector('[data-close]')?.addEventListener('click', () => dialog.close());
  });
}

async function load(dialog: HTMLDialogElement, planId: number, opts: PlanEditorOptions): Promise<void> {
  let plan = await api<ActionPlan>(`/api/action-plans/${planId}`);
  let report: ReportContent | null = null;
  if (plan.reportId !== null) {
    try { report = (await api<{ content: ReportContent }>(`/api/reports/${plan.reportId}${qs({ f: 'json' })}`)).content; } catch { report = null; }
  }
  // the survey's indicators and groups for survey indicators (none: only incident indicators are offered)
  const survey: SurveyCatalogue = { indicators: [], groups: [] };
  try {
    const [indicators, groups] = await Promise.all([api<SurveyIndicatorInfo[]>('/api/survey/indicators'), api<{ groups: SurveyGroupInfo[] }>('/api/survey/groups')]);
    Object.assign(survey, { indicators, groups: groups.groups });
  } catch { /* no survey: incident indicators only */ }
  // the plan as edited: a copy, written by the controls
  let doc = planInput(plan.plan);
  let title = plan.title;
  const areaName = plan.areaName ?? String(plan.areaId);

  dialog.innerHTML = `<form class="dialog-inner staff-text-form action-plan-form" id="ap-form" novalidate>
    <header class="panel-head"><div><h2 id="dlg-title">${esc(t('ap.heading'))}</h2>
      <div class="muted">${esc(areaName)}</div><div class="muted" id="ap-status-line"></div></div>
      <button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    <div class="dialog-body" id="ap-body"></div>
    <div class="sr" role="status" id="ap-live"></div>
    <div class="form-msg" id="ap-msg" role="status"></div>
    <div class="form-msg error" id="ap-error" role="alert"></div>
    <div class="btn-row form-actions" id="ap-actions"></div>
  </form>`;
  const form = dialog.querySelector<HTMLFormElement>('#ap-form')!;
  const $ = <T extends HTMLElement>(sel: string) => form.querySelector<T>(sel)!;
  const body = $('#ap-body');
  const live = $('#ap-live');
  const msg = $('#ap-msg');
  const error = $('#ap-error');
  const ro = () => plan.status !== 'draft';

  const render = (focus?: string) => {
    const promoted = new Set(doc.priorities.flatMap((p) => (p.origin.kind === 'finding' && typeof p.origin.finding.figures.key === 'string' ? [p.origin.finding.figures.key] : [])));
    $('#ap-status-line').textContent = planStatusLine(plan);
    body.innerHTML = `${ro() ? `<p class="hint" id="ap-frozen">${esc(t(`ap.frozen.${plan.status}`))}</p>` : ''}
      <fieldset class="ap-content"${ro() ? ' disabled' : ''}><legend class="sr">${esc(t('ap.content'))}</legend>
      ${input('title', t('ap.title'), title, { max: 200, required: true })}
      <fieldset class="group" id="ap-findings"><legend>${esc(t('ap.findings'))}</legend>
        <p class="hint">${esc(t('ap.findingsHint'))}</p>${findingsBlock(report, promoted)}
        <button type="button" class="btn" id="ap-add-own">${esc(t('ap.addOwn'))}</button></fieldset>
      <h3 id="ap-priorities-h">${esc(t('ap.priorities'))}</h3>
      <div id="ap-priorities">${doc.priorities.map((p, pi) => priorityBlock(pi, p, plan.areaId, areaName, survey)).join('') || `<p class="muted">${esc(t('ap.noPriorities'))}</p>`}</div>
      <fieldset class="group" id="ap-measures"><legend>${esc(t('ap.measures'))}</legend>
        ${doc.measures.map((m, mi) => measureBlock(mi, m, doc.priorities, opts.places ?? [])).join('') || `<p class="muted">${esc(t('ap.noMeasures'))}</p>`}
        <button type="button" class="btn" id="ap-add-measure">${esc(t('ap.addMeasure'))}</button></fieldset>
      </fieldset>`;
    const b = (id: string, label: string, primary = false) => `<button type="button" class="btn${primary ? ' primary' : ''}" id="${id}">${esc(label)}</button>`;
    $('#ap-actions').innerHTML = [
      plan.status === 'draft' ? b('ap-save', t('ap.save'), true) + b('ap-decide', t('ap.decide')) : '',
      plan.status === 'decided' ? b('ap-publish', t('ap.publish'), true) : '',
      plan.status !== 'draft' ? b('ap-revise', t('ap.revise')) : '',
      b('ap-follow-up', t('ap.followUp')),
      `<button type="button" class="btn" data-close>${esc(t('panel.close'))}</button>`,
    ].join('');
    for (const c of form.querySelectorAll('[data-close]')) c.addEventListener('click', () => dialog.close());
    if (focus) form.querySelector<HTMLElement>(focus)?.focus();
  };

  // the controls write into the plan as they change
  const write = (ev: Event) => {
    const el = ev.target as HTMLInputElement;
    if (el.dataset.link !== undefined) {
      const m = doc.measures[Number(el.dataset.link)];
      m.priorityIds = el.checked ? [...new Set([...m.priorityIds, el.value])] : m.priorityIds.filter((x) => x !== el.value);
      return;
    }
    if (el.dataset.placeLink !== undefined) {
      const m = doc.measures[Number(el.dataset.placeLink)];
      const id = Number(el.value);
      m.placeIds = el.checked ? [...new Set([...m.placeIds, id])] : m.placeIds.filter((x) => x !== id);
      return;
    }
    const path = el.dataset.path;
    if (!path) return;
    // (a survey target is typed in percent and kept as a share: kind percent)
    const value = parseValue((el.dataset.kind ?? 'text') as ValueKind, el.value);
    if (path === 'title') title = String(value);
    else setAt(doc, path, value);
    // another survey indicator may be a share or a mean, higher better or worse: its target's label and unit follow
    if (ev.type === 'change' && /^priorities\.\d+\.indicators\.\d+\.indicator$/.test(path)) {
      render(`#${ctlId(path)}`);
      live.textContent = t('ap.survey.changed');
    }
  };
  form.addEventListener('input', write);
  form.addEventListener('change', write);

  const taken = () => [...doc.priorities.map((p) => p.id)];
  form.addEventListener('click', (ev) => {
    const el = (ev.target as HTMLElement).closest<HTMLButtonElement>('button');
    if (!el || ro() && !['ap-publish', 'ap-revise', 'ap-follow-up'].includes(el.id)) return;
    const d = el.dataset;
    if (d.promote !== undefined && report) {
      const p = priorityFromFinding(report.summary[Number(d.promote)], report, plan.reportId, taken());
      doc.priorities.push(p);
      render(`#${ctlId(`priorities.${doc.priorities.length - 1}.causalAnalysis.preparation`)}`);
      live.textContent = t('ap.priorityAdded', { title: p.title });
    } else if (el.id === 'ap-add-own') {
      doc.priorities.push({ id: newId('p', taken()), title: t('ap.ownTitle'), origin: { kind: 'own' }, causalAnalysis: emptyCausalAnalysis(), indicators: [] });
      render(`#${ctlId(`priorities.${doc.priorities.length - 1}.title`)}`);
      live.textContent = t('ap.priorityAdded', { title: t('ap.ownTitle') });
    } else if (d.removePriority !== undefined) {
      const pi = Number(d.removePriority);
      const [gone] = doc.priorities.splice(pi, 1);
      for (const m of doc.measures) m.priorityIds = m.priorityIds.filter((x) => x !== gone.id);
      render('#ap-add-own');
      live.textContent = t('ap.priorityRemoved', { title: gone.title });
    } else if (d.addIndicator !== undefined) {
      const pi = Number(d.addIndicator);
      const p = doc.priorities[pi];
      p.indicators.push(newIndicator(p, plan.areaId, t('ap.indicator.default', { title: p.title, area: areaName }), indicatorIds(doc)));
      render(`#${ctlId(`priorities.${pi}.indicators.${p.indicators.length - 1}.label`)}`);
      live.textContent = t('ap.indicatorAdded', { n: p.indicators.length });
    } else if (d.addSurveyIndicator !== undefined) {
      const pi = Number(d.addSurveyIndicator);
      const p = doc.priorities[pi];
      const i = newSurveyIndicator(p, plan.areaId, '', indicatorIds(doc), survey.indicators.map((x) => x.code));
      const info = survey.indicators.find((x) => x.code === i.indicator);
      i.label = t('ap.survey.default', { text: info ? (getLang() === 'en' ? info.textEn : info.textSv) : i.indicator, area: areaName });
      p.indicators.push(i);
      render(`#${ctlId(`priorities.${pi}.indicators.${p.indicators.length - 1}.indicator`)}`);
      live.textContent = t('ap.indicatorAdded', { n: p.indicators.length });
    } else if (d.removeIndicator !== undefined) {
      const [pi, ii] = d.removeIndicator.split('.').map(Number);
      doc.priorities[pi].indicators.splice(ii, 1);
      render(`[data-add-indicator="${pi}"]`);
      live.textContent = t('ap.indicatorRemoved', { n: ii + 1 });
    } else if (el.id === 'ap-add-measure') {
      doc.measures.push(newMeasure(doc.measures.map((m) => m.id)));
      render(`#${ctlId(`measures.${doc.measures.length - 1}.title`)}`);
      live.textContent = t('ap.measureAdded', { n: doc.measures.length });
    } else if (d.removeMeasure !== undefined) {
      const mi = Number(d.removeMeasure);
      doc.measures.splice(mi, 1);
      render('#ap-add-measure');
      live.textContent = t('ap.measureRemoved', { n: mi + 1 });
    } else if (el.id === 'ap-save') void save();
    else if (el.id === 'ap-decide') void decide();
    else if (el.id === 'ap-publish') void status('publish', 'ap.published');
    else if (el.id === 'ap-revise') void status('revise', 'ap.revised');
    else if (el.id === 'ap-follow-up') openFollowUp(dialog, plan, { back: () => openPlanEditor(dialog, plan.id, opts) });
  });

  const fail = (e: unknown) => {
    msg.textContent = '';
    const p = e instanceof ApiError ? e.problem : {};
    if (e instanceof ApiError && e.status === 409 && typeof p.updatedBy === 'string' && typeof p.version === 'number') {
      // someone saved in between: the text stays in the form, and may be saved on top of theirs (both stay in the history)
      const theirs = p.version;
      error.innerHTML = `${esc(t('ap.conflict', { who: p.updatedBy, version: theirs, when: formatWhen(String(p.updatedAt ?? '')), base: plan.version }))}
        <div class="btn-row"><button type="button" class="btn small primary" id="ap-overwrite">${esc(t('ap.overwrite'))}</button></div>`;
      form.querySelector('#ap-overwrite')!.addEventListener('click', () => { plan = { ...plan, version: theirs }; void save(); });
    } else if (e instanceof ApiError && e.status === 409) {
      error.textContent = t('ap.conflictStatus', { msg: e.message });
    } else if (e instanceof ApiError && e.status === 403) error.textContent = t('lb.forbidden', { msg: e.message });
    else if (e instanceof ApiError && e.status === 400) {
      // each field at fault named by its label (in its fieldset), marked invalid, the first one focused
      const issues = Array.isArray(p.errors) ? (p.errors as { parameter?: string; message?: string }[]) : [];
      const named = issues.map((x) => {
        const ctl = form.querySelector<HTMLElement>(`[data-path="${CSS.escape(String(x.parameter ?? '').replace(/^plan\./, ''))}"]`);
        if (!ctl) return x.message ?? '';
        ctl.setAttribute('aria-invalid', 'true');
        const where = ctl.closest('fieldset')?.querySelector(':scope > legend')?.textContent ?? '';
        return `${where ? `${where} – ` : ''}${ctl.closest('.field')?.querySelector('label')?.textContent ?? ''}: ${x.message ?? ''}`;
      });
      error.textContent = t('ap.invalid', { msg: named.filter(Boolean).join(' ') || e.message });
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    } else error.textContent = t('lb.failed', { msg: (e as Error).message });
  };
  const busy = async (id: string, work: () => Promise<void>) => {
    const b = form.querySelector<HTMLButtonElement>(`#${id}`);
    if (b) { b.disabled = true; b.setAttribute('aria-busy', 'true'); }
    error.textContent = '';
    try { await work(); } catch (e) { fail(e); } finally {
      const again = form.querySelector<HTMLButtonElement>(`#${id}`);
      if (again) { again.disabled = false; again.removeAttribute('aria-busy'); }
    }
  };
  const applied = (saved: ActionPlan, text: string, focus: string) => {
    plan = saved;
    doc = planInput(saved.plan);
    title = saved.title;
    render(focus);
    msg.textContent = text;
    opts.onChanged(saved);
  };
  const save = () => busy('ap-save', async () => {
    msg.textContent = t('ap.saving');
    const saved = await api<ActionPlan>(`/api/action-plans/${plan.id}`, { method: 'PUT', json: { title, plan: planInput(doc), baseVersion: plan.version } });
    applied(saved, t('ap.saved', { version: saved.version }), '#ap-save');
  });
  const decide = () => busy('ap-decide', async () => {
    if (!window.confirm(t('ap.confirmDecide'))) return;
    // what is in the form is saved first, so the decided plan is what the staff see
    let current = plan;
    if (JSON.stringify(planInput(doc)) !== JSON.stringify(planInput(plan.plan)) || title !== plan.title) {
      current = await api<ActionPlan>(`/api/action-plans/${plan.id}`, { method: 'PUT', json: { title, plan: planInput(doc), baseVersion: plan.version } });
    }
    const decided = await api<ActionPlan>(`/api/action-plans/${plan.id}/decide`, { method: 'POST', json: { baseVersion: current.version } });
    applied(decided, t('ap.decided', { version: decided.version }), '#ap-publish');
  });
  const status = (what: 'publish' | 'revise', done: 'ap.published' | 'ap.revised') => busy(`ap-${what}`, async () => {
    const next = await api<ActionPlan>(`/api/action-plans/${plan.id}/${what}`, { method: 'POST', json: { baseVersion: plan.version } });
    applied(next, t(done, { version: next.version }), what === 'revise' ? '#ap-save' : '#ap-revise');
  });

  render(`#${ctlId('title')}`);
}
