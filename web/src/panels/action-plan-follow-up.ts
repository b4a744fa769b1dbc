// The follow-up of an action plan (issue 18) in the page's dialog: computed by the server, never typed — each
// indicator's baseline and current value, the rate ratio with its 95 % interval and the status in words (the same
// test the statistics use; a survey indicator: the baseline wave and the latest wave, each with its respondents, the
// change and the two-proportion test's verdict), the measures by status with the overdue ones flagged, and the follow-up as a document
// for the district's council (PDF, Word, HTML).
import { api, qs } from '../api/client.js';
import { fmt, fmtSize, getLang, t } from '../i18n/index.js';
import { surveyValueText, type ActionPlan, type FollowUp, type IndicatorFollowUp, type SurveyFigure, type SurveyFollowUp } from './action-plan-model.js';
import { esc } from './dom.js';

type Figures = { from: string; to: string; count: number | null; ratePer1000: number | null; suppressed: boolean };

function value(f: Figures): string {
  if (f.suppressed || f.count === null) return `<span class="suppressed">${esc(t('ap.suppressedValue'))}</span>`;
  return `${esc(fmtSize(f.ratePer1000))} <small>(${esc(t('ap.countN', { n: fmt(f.count) }))}, ${esc(f.from)} – ${esc(f.to)})</small>`;
}

/** A survey wave's figure: "40 %" with its CI, respondents and wave; hidden below the respondent minimum. */
function surveyValue(s: SurveyFollowUp, f: SurveyFigure): string {
  const wave = f.wave ? esc(f.wave.name) : esc(t('ap.surveyNoWave'));
  if (f.suppressed) return `<span class="suppressed">${esc(t('ap.surveySuppressed'))}</span> <small>(${wave})</small>`;
  if (f.value === null) return `– <small>(${wave})</small>`;
  const num = (n: number, d: number) => fmt(n, d);
  const ci = f.ciLow !== null && f.ciHigh !== null ? `${t('table.ci')} ${surveyValueText(f.ciLow, s.valueKind, null, num)}–${surveyValueText(f.ciHigh, s.valueKind, null, num)}, ` : '';
  return `${esc(surveyValueText(f.value, s.valueKind, s.scale, num))} <small>(${esc(ci)}${esc(t('ap.respondentsN', { n: fmt(f.respondents) }))}, ${wave})</small>`;
}

/** A survey indicator's change since the baseline wave: "−12 procentenheter" (a share) or "+0,4" (a mean). */
function surveyChange(s: SurveyFollowUp): string {
  if (s.difference === null) return '–';
  const sign = s.difference > 0 ? '+' : s.difference < 0 ? '−' : '';
  return s.valueKind === 'share' ? esc(t('ap.percentPoints', { d: `${sign}${fmt(Math.abs(s.difference) * 100, 0)}` })) : esc(`${sign}${fmt(Math.abs(s.difference), 1)}`);
}

function ratio(i: IndicatorFollowUp): string {
  if (i.rateRatio === null) return '–';
  return `${esc(fmt(i.rateRatio, 2))} <small>(${esc(t('table.ci'))} ${esc(fmt(i.ciLow, 2))}–${i.ciHigh === null ? '∞' : esc(fmt(i.ciHigh, 2))})</small>`;
}

export function followUpHtml(f: FollowUp, plan: ActionPlan): string {
  const lang = getLang();
  const reached = (i: IndicatorFollowUp) => (i.targetReached === null ? '' : ` <small>(${esc(t(i.targetReached ? 'ap.targetReached' : 'ap.targetNotReached'))})</small>`);
  const rows = f.indicators.map((i) => {
    const s = i.survey;
    // a survey indicator: the baseline and the latest wave with their respondents, the change, the target in its unit
    const cells = s
      ? `<th scope="row">${esc(i.label)} <small>(${esc(t('ap.kind.survey'))}: ${esc(s.text[lang] || s.text.sv)}, ${esc(s.groupLabel[lang] || s.groupLabel.sv)})</small></th>
    <td data-field="baseline" data-value="${s.baseline.value ?? ''}">${surveyValue(s, s.baseline)}</td>
    <td data-field="current" data-value="${s.current.value ?? ''}" data-respondents="${s.current.respondents ?? ''}">${surveyValue(s, s.current)}</td>
    <td data-field="ratio">${surveyChange(s)}</td>
    <td data-field="target">${s.targetValue === null ? '–' : `${esc(surveyValueText(s.targetValue, s.valueKind, null, (n, d) => fmt(n, d)))}${reached(i)}`}</td>`
      : `<th scope="row">${esc(i.label)}</th>
    <td data-field="baseline" data-rate="${i.baseline?.ratePer1000 ?? ''}">${i.baseline ? value(i.baseline) : '–'}</td>
    <td data-field="current" data-rate="${i.current?.ratePer1000 ?? ''}" data-count="${i.current?.count ?? ''}">${i.current ? value(i.current) : '–'}</td>
    <td data-field="ratio">${ratio(i)}</td>
    <td data-field="target">${i.targetRate === null ? '–' : `${esc(fmtSize(i.targetRate))}${reached(i)}`}</td>`;
    return `<tr data-indicator="${esc(i.indicatorId)}" data-status="${esc(i.status)}" data-kind="${s ? 'survey' : 'incidents'}">${cells}
    <td data-field="status">${esc(i.statusText[lang] || i.statusText.sv)}</td></tr>`;
  }).join('');
  const byStatus = Object.entries(f.measures.byStatus);
  const doc = (fmtName: 'pdf' | 'docx' | 'html', label: string) => `<a class="btn small" id="fu-${fmtName}" ${fmtName === 'html' ? 'target="_blank" rel="noopener"' : 'download'} href="/api/action-plans/${plan.id}/follow-up${qs({ f: fmtName, lang })}">${esc(label)}</a>`;
  return `<p class="muted">${esc(t('ap.asOf', { date: f.asOf, v: f.dataVersion }))}</p>
    <div class="btn-row" role="group" aria-label="${esc(t('ap.followUpDocs'))}">${doc('pdf', t('ap.followUpPdf'))}${doc('docx', t('ap.followUpWord'))}${doc('html', t('ap.followUpHtml'))}</div>
    <h3 id="fu-ind-h">${esc(t('ap.indicators'))}</h3>
    ${rows ? `<div class="table-scroll"><table class="figures" id="fu-indicators" aria-labelledby="fu-ind-h"><thead><tr><th scope="col">${esc(t('ap.indicator.label'))}</th><th scope="col">${esc(t('ap.baseline'))}</th><th scope="col">${esc(t('ap.current'))}</th><th scope="col">${esc(t('ap.rateRatio'))}</th><th scope="col">${esc(t('ap.target'))}</th><th scope="col">${esc(t('ap.fuStatus'))}</th></tr></thead><tbody>${rows}</tbody></table></div>
      <p class="hint">${esc(t('ap.rateHint'))}</p>${f.indicators.some((i) => i.survey) ? `<p class="hint">${esc(t('ap.surveyHint'))}</p>` : ''}` : `<p class="muted">${esc(t('ap.noIndicators'))}</p>`}
    <h3 id="fu-m-h">${esc(t('ap.measures'))}</h3>
    ${byStatus.length ? `<ul id="fu-measures" aria-labelledby="fu-m-h">${byStatus.map(([s, n]) => `<li data-status="${esc(s)}">${esc(t(`ap.mstatus.${s}`))}: ${n}</li>`).join('')}</ul>` : `<p class="muted">${esc(t('ap.noMeasures'))}</p>`}
    ${f.measures.overdue.length ? `<h4 class="error" id="fu-o-h">${esc(t('ap.overdue'))}</h4><ul id="fu-overdue" aria-labelledby="fu-o-h">${f.measures.overdue.map((m) => `<li data-measure="${esc(m.id)}">${esc(m.title)} <span class="error">${esc(t('ap.overdueSince', { date: m.end }))}</span></li>`).join('')}</ul>` : ''}`;
}

export function openFollowUp(dialog: HTMLDialogElement, plan: ActionPlan, opts: { back?: () => void; returnFocus?: () => HTMLElement | null } = {}): void {
  dialog.setAttribute('aria-labelledby', 'dlg-title');
  dialog.innerHTML = `<div class="dialog-inner staff-text-form" id="follow-up">
    <header class="panel-head"><div><h2 id="dlg-title" tabindex="-1">${esc(t('ap.followUpHeading', { title: plan.title }))}</h2><div class="muted">${esc(plan.areaName ?? '')}</div></div>
      <button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    <div class="dialog-body" id="fu-body" aria-busy="true"><p class="panel-loading" role="status">${t('state.loading')}</p></div>
    <div class="btn-row form-actions">${opts.back ? `<button type="button" class="btn" id="fu-back">${esc(t('ap.backToPlan'))}</button>` : ''}<button type="button" class="btn" data-close>${esc(t('panel.close'))}</button></div></div>`;
  if (!dialog.open) {
    dialog.showModal();
    if (opts.returnFocus) dialog.addEventListener('close', () => opts.returnFocus?.()?.focus(), { once: true });
  }
  for (const b of dialog.querySelectorAll('[data-close]')) b.addEventListener('click', () => dialog.close());
  dialog.querySelector('#fu-back')?.addEventListener('click', () => opts.back?.());
  dialog.querySelector<HTMLElement>('#dlg-title')?.focus();
  const body = dialog.querySelector<HTMLElement>('#fu-body')!;
  void api<FollowUp>(`/api/action-plans/${plan.id}/follow-up`).then((f) => {
    body.innerHTML = followUpHtml(f, plan);
    body.removeAttribute('aria-busy');
  }).catch((e: Error) => {
    body.removeAttribute('aria-busy');
    body.innerHTML = `<p class="error" role="alert">${esc(t('state.error', { msg: e.message }))}</p>`;
  });
}
