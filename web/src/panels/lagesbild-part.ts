// The area panel's lägesbild part. For everyone: the live report of the area and period as HTML, PDF and Word. For
// signed-in staff, analysts and admins: the area's saved lägesbilder (who saved each version when), "Spara
// lägesbild" for the current period, and the editor of section 7 (staff-text-editor.ts). Whether a staff key may
// write here is the server's decision (its districts must cover the area): a refusal is shown with its reason.
import { periodLabel, periodName } from '../../../shared/periods.js';
import { api, ApiError, qs } from '../api/client.js';
import { capabilities } from '../api/capabilities.js';
import { getLang, t } from '../i18n/index.js';
import { busyAction, esc } from './dom.js';
import { savedByText, type SavedReportMeta } from './saved-reports.js';
import { openStaffTextEditor } from './staff-text-editor.js';

type Period = { from: string; to: string };

/** Why a write of a panel part failed: a 403 with the server's reason (the staff key's districts), else the message. */
export function failedText(e: unknown): string {
  const m = (e as Error).message;
  return e instanceof ApiError && e.status === 403 ? t('lb.forbidden', { msg: m }) : t('lb.failed', { msg: m });
}

/** The live report's links: the HTML report, and its PDF and Word files, for this area and period. */
export function liveReportLinks(areaId: number, period: Period): string {
  if (!capabilities().report) return '';
  const href = (f: string) => `/api/reports/lagesbild${qs({ areaId, from: period.from, to: period.to, f, lang: getLang() })}`;
  return `<div class="btn-row" role="group" aria-label="${esc(t('lb.live'))}">
    <a class="btn primary" id="lagesbild-link" target="_blank" rel="noopener" href="${esc(href('html'))}">${t('panel.lagesbild')}</a>
    <a class="btn" id="lagesbild-pdf" download href="${esc(href('pdf'))}">${t('lb.downloadPdf')}</a>
    <a class="btn" id="lagesbild-docx" download href="${esc(href('docx'))}">${t('lb.downloadWord')}</a></div>`;
}

function reportItem(r: SavedReportMeta): string {
  const titleId = `lb-r${r.id}-title`;
  const link = (f: string, label: string, extra = '') => `<a class="btn small" ${extra} href="/api/reports/${r.id}${qs({ f })}" aria-describedby="${titleId}">${label}</a>`;
  return `<li data-report-id="${r.id}">
    <strong id="${titleId}">${esc(r.title || t('lb.title'))}</strong>
    <div class="muted">${esc(periodLabel({ from: r.periodFrom, to: r.periodTo }, getLang()))} · ${esc(t('lb.reportDate', { date: r.reportDate }))}${r.stale ? ` · <span class="error">${esc(t('lb.stale'))}</span>` : ''}</div>
    <div class="muted" data-saved-by>${esc(savedByText(r))}</div>
    <div class="btn-row">
      <button type="button" class="btn small primary" data-edit="${r.id}" aria-describedby="${titleId}">${t('lb.edit')}</button>
      ${link('html', t('lb.open'), 'target="_blank" rel="noopener"')}
      ${link('pdf', t('lb.downloadPdf'), 'download')}
      ${link('docx', t('lb.downloadWord'), 'download')}
    </div></li>`;
}

export type LagesbildContext = { areaId: number; areaName: string; period: Period; role: string };

/** Fills `el` (a section of the area panel) with the saved lägesbilder of the area, for signed-in users. */
export async function mountLagesbildPart(el: HTMLElement, ctx: LagesbildContext, signal?: AbortSignal): Promise<void> {
  if (!capabilities().report || !capabilities().paths.includes('/api/reports')) { el.hidden = true; return; }
  if (ctx.role === 'public') {
    el.innerHTML = `<h3>${t('lb.saved')}</h3><p class="muted">${esc(t('lb.loginHint'))}</p>`;
    return;
  }
  const name = periodName(ctx.period, getLang());
  el.innerHTML = `<h3 id="lb-heading">${t('lb.saved')}</h3>
    <button type="button" class="btn" id="lb-create" aria-describedby="lb-create-hint">${t('lb.create')}</button>
    <p class="muted" id="lb-create-hint">${esc(t('lb.createHint', { period: periodLabel(ctx.period, getLang()) }))}</p>
    <div class="form-msg" id="lb-msg" role="status"></div>
    <div class="form-msg error" id="lb-error" role="alert"></div>
    <ul class="report-list" id="lb-list" aria-labelledby="lb-heading" aria-busy="true"><li class="muted">${t('state.loading')}</li></ul>`;
  const list = el.querySelector<HTMLUListElement>('#lb-list')!;
  const msg = el.querySelector<HTMLElement>('#lb-msg')!;
  const error = el.querySelector<HTMLElement>('#lb-error')!;
  const showError = (e: unknown) => { error.textContent = failedText(e); };

  let reports: SavedReportMeta[] = [];
  const render = () => {
    list.removeAttribute('aria-busy');
    list.innerHTML = reports.length ? reports.map(reportItem).join('') : `<li class="muted">${t('lb.none')}</li>`;
    for (const b of list.querySelectorAll<HTMLButtonElement>('[data-edit]')) {
      b.addEventListener('click', () => {
        const r = reports.find((x) => x.id === Number(b.dataset.edit));
        if (r) openStaffTextEditor(document.querySelector<HTMLDialogElement>('#dialog')!, r, { onSaved: (saved) => { reports = reports.map((x) => (x.id === saved.id ? { ...x, ...saved } : x)); render(); }, returnFocus: () => document.querySelector<HTMLElement>(`#lb-list [data-edit="${r.id}"]`) });
      });
    }
  };
  const load = async () => {
    const r = await api<{ reports: SavedReportMeta[] }>(`/api/reports${qs({ areaId: ctx.areaId })}`, { signal });
    reports = r.reports;
    render();
  };

  el.querySelector('#lb-create')!.addEventListener('click', (ev) => busyAction(ev.currentTarget as HTMLButtonElement, { msg, error }, t('lb.creating'), async () => {
    const made = await api<SavedReportMeta>('/api/reports', {
      method: 'POST',
      json: { areaId: ctx.areaId, from: ctx.period.from, to: ctx.period.to, lang: getLang(), title: t('lb.defaultTitle', { area: ctx.areaName, period: name }) },
    });
    msg.textContent = t('lb.created');
    await load();
    list.querySelector<HTMLElement>(`[data-edit="${made.id}"]`)?.focus();
  }, failedText));

  try { await load(); } catch (e) {
    if ((e as Error).name === 'AbortError') return;
    list.removeAttribute('aria-busy');
    list.innerHTML = '';
    showError(e);
  }
}
