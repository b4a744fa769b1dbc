// The area panel's action-plan part (issue 18), after the saved lägesbilder, for signed-in staff, analysts and
// admins: the area's plans (status, version, who saved it when, the version history) with "Öppna" (the editor, action-plan-editor.ts) and
// "Uppföljning" (action-plan-follow-up.ts), and "Ny handlingsplan", which starts a draft from the area's latest saved
// lägesbild when there is one. Whether a staff key may write is the server's decision: a refusal shows its reason.
import { api, qs } from '../api/client.js';
import { capabilities } from '../api/capabilities.js';
import { t } from '../i18n/index.js';
import { openPlanEditor, planStatusLine } from './action-plan-editor.js';
import { openFollowUp } from './action-plan-follow-up.js';
import { versionHistory, wireVersionHistories } from './plan-versions.js';
import type { ActionPlan } from './action-plan-model.js';
import { busyAction, esc } from './dom.js';
import { failedText } from './lagesbild-part.js';
import type { SavedReportMeta } from './saved-reports.js';

/** places: the area's platssamverkan places (from its profile), for linking measures */
export type ActionPlanContext = { areaId: number; areaName: string; role: string; places?: { id: number; name: string }[] };

function planItem(p: ActionPlan): string {
  const titleId = `ap-p${p.id}-title`;
  return `<li data-plan-id="${p.id}" data-status="${esc(p.status)}">
    <strong id="${titleId}">${esc(p.title)}</strong>
    <div class="muted" data-plan-status>${esc(planStatusLine(p))}</div>
    <div class="muted">${esc(t('ap.counts', { p: p.plan.priorities.length, m: p.plan.measures.length }))}</div>
    <div class="btn-row">
      <button type="button" class="btn small primary" data-open-plan="${p.id}" aria-describedby="${titleId}">${esc(t(p.status === 'draft' ? 'ap.edit' : 'ap.open'))}</button>
      <button type="button" class="btn small" data-follow-up="${p.id}" aria-describedby="${titleId}">${esc(t('ap.followUp'))}</button>
    </div>${versionHistory(p.id)}</li>`;
}

/** The latest saved lägesbild of the area (by report date, then the newest saved). */
export function latestReport(reports: SavedReportMeta[]): SavedReportMeta | null {
  return [...reports].sort((a, b) => b.reportDate.localeCompare(a.reportDate) || b.id - a.id)[0] ?? null;
}

export async function mountActionPlanPart(el: HTMLElement, ctx: ActionPlanContext, signal?: AbortSignal): Promise<void> {
  if (ctx.role === 'public' || !capabilities().paths.includes('/api/action-plans')) { el.hidden = true; return; }
  el.hidden = false;
  el.innerHTML = `<h3 id="ap-heading">${esc(t('ap.partHeading'))}</h3>
    <button type="button" class="btn" id="ap-create" aria-describedby="ap-create-hint">${esc(t('ap.create'))}</button>
    <p class="muted" id="ap-create-hint">${esc(t('ap.createHint'))}</p>
    <div class="form-msg" id="ap-part-msg" role="status"></div>
    <div class="form-msg error" id="ap-part-error" role="alert"></div>
    <ul class="report-list" id="ap-list" aria-labelledby="ap-heading" aria-busy="true"><li class="muted">${t('state.loading')}</li></ul>`;
  const list = el.querySelector<HTMLUListElement>('#ap-list')!;
  const msg = el.querySelector<HTMLElement>('#ap-part-msg')!;
  const error = el.querySelector<HTMLElement>('#ap-part-error')!;
  const dialog = () => document.querySelector<HTMLDialogElement>('#dialog')!;
  let plans: ActionPlan[] = [];

  const changed = (p: ActionPlan) => { plans = plans.some((x) => x.id === p.id) ? plans.map((x) => (x.id === p.id ? p : x)) : [p, ...plans]; render(); };
  const edit = (id: number) => openPlanEditor(dialog(), id, { onChanged: changed, places: ctx.places ?? [], returnFocus: () => document.querySelector<HTMLElement>(`#ap-list [data-open-plan="${id}"]`) });
  const render = () => {
    list.removeAttribute('aria-busy');
    list.innerHTML = plans.length ? plans.map(planItem).join('') : `<li class="muted">${esc(t('ap.none'))}</li>`;
    wireVersionHistories(list);
  };
  list.addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest<HTMLButtonElement>('button');
    if (b?.dataset.openPlan) edit(Number(b.dataset.openPlan));
    const fu = b?.dataset.followUp ? plans.find((x) => x.id === Number(b.dataset.followUp)) : undefined;
    if (fu) openFollowUp(dialog(), fu, { returnFocus: () => document.querySelector<HTMLElement>(`#ap-list [data-follow-up="${fu.id}"]`) });
  });
  const load = async () => {
    plans = (await api<{ plans: ActionPlan[] }>(`/api/action-plans${qs({ areaId: ctx.areaId })}`, { signal })).plans
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    render();
  };

  el.querySelector('#ap-create')!.addEventListener('click', (ev) => busyAction(ev.currentTarget as HTMLButtonElement, { msg, error }, t('ap.creating'), async () => {
    const reports = capabilities().paths.includes('/api/reports') ? (await api<{ reports: SavedReportMeta[] }>(`/api/reports${qs({ areaId: ctx.areaId })}`)).reports : [];
    const from = latestReport(reports);
    const made = await api<ActionPlan>('/api/action-plans', {
      method: 'POST', json: { areaId: ctx.areaId, reportId: from?.id ?? null, title: t('ap.defaultTitle', { area: ctx.areaName, year: new Date().getFullYear() }) },
    });
    msg.textContent = from ? t('ap.createdFrom', { report: from.title || t('lb.title'), date: from.reportDate }) : t('ap.createdEmpty');
    changed(made);
    edit(made.id);
  }, failedText));

  try { await load(); } catch (e) {
    if ((e as Error).name === 'AbortError') return;
    list.removeAttribute('aria-busy');
    list.innerHTML = '';
    error.textContent = t('state.error', { msg: (e as Error).message });
  }
}
