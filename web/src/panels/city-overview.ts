// The city's overview (issue 18) for the analysts at the central unit, in the page's dialog: every district with the
// date of its latest lägesbild (flagged when older than two years or missing — the law asks for one at least every
// other year) and its latest action plan in brief (status, priorities, measures by status, indicators on or off track,
// overdue measures), as a table with a caption and row headers, and the same list as CSV
// (GET /api/reports?areaSet=stadsdelar&f=csv).
import { api, qs } from '../api/client.js';
import { getLang, t } from '../i18n/index.js';
import { esc } from './dom.js';

export type OverviewRow = {
  areaId: number; code: string; name: string; reportCount: number; latestReportId: number | null; latestReportDate: string | null; stale: boolean;
  latestActionPlan: { id: number; status: string; priorities: number; measures: Record<string, number>; indicators?: Record<string, number>; overdueMeasures?: number } | null;
};

const MEASURE_ORDER = ['planned', 'ongoing', 'done', 'cancelled'];
const INDICATOR_ORDER = ['onTrack', 'offTrack', 'noCertainChange', 'notEnoughData', 'tooEarly'];

export function overviewTable(rows: OverviewRow[]): string {
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
    return `<tr data-area-id="${r.areaId}" data-stale="${r.stale}"><th scope="row">${esc(r.name)}</th>
      <td data-field="latestReportDate">${r.latestReportDate ? esc(r.latestReportDate) : `<span class="muted">${esc(t('co.noReport'))}</span>`}</td>
      <td data-field="stale">${r.stale ? `<span class="error">${esc(t(r.latestReportDate ? 'co.stale' : 'co.missing'))}</span>` : esc(t('co.current'))}</td>
      <td data-field="plan">${p ? esc(t(`ap.status.${p.status}`)) : `<span class="muted">${esc(t('co.noPlan'))}</span>`}</td>
      <td data-field="priorities">${p ? p.priorities : '–'}</td>
      <td data-field="measures">${p ? measures(p.measures) : '–'}</td>
      <td data-field="indicators">${p ? indicators(p.indicators) : '–'}</td>
      <td data-field="overdue">${p?.overdueMeasures ? `<span class="error">${p.overdueMeasures}</span>` : p ? '0' : '–'}</td></tr>`;
  }).join('');
  return `<div class="table-scroll"><table class="figures" id="co-table">
    <caption>${esc(t('co.caption', { n: rows.length, stale }))}</caption>
    <thead><tr><th scope="col">${esc(t('co.area'))}</th><th scope="col">${esc(t('co.latest'))}</th><th scope="col">${esc(t('co.updated'))}</th><th scope="col">${esc(t('co.plan'))}</th><th scope="col">${esc(t('co.priorities'))}</th><th scope="col">${esc(t('co.measures'))}</th><th scope="col">${esc(t('co.indicators'))}</th><th scope="col">${esc(t('co.overdue'))}</th></tr></thead>
    <tbody>${body || `<tr><td colspan="8">${esc(t('table.empty'))}</td></tr>`}</tbody></table></div>`;
}

export function openCityOverview(dialog: HTMLDialogElement, returnFocus: () => HTMLElement | null, areaSet = 'stadsdelar'): void {
  dialog.setAttribute('aria-labelledby', 'dlg-title');
  dialog.innerHTML = `<div class="dialog-inner staff-text-form" id="city-overview">
    <header class="panel-head"><h2 id="dlg-title" tabindex="-1">${esc(t('co.heading'))}</h2>
      <button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    <div class="dialog-body">
      <p class="hint">${esc(t('co.intro'))}</p>
      <div class="btn-row"><a class="btn small" id="co-csv" download href="/api/reports${qs({ areaSet, f: 'csv', lang: getLang() })}">${esc(t('co.csv'))}</a></div>
      <div id="co-body" aria-busy="true"><p class="panel-loading" role="status">${t('state.loading')}</p></div>
    </div>
    <div class="btn-row form-actions"><button type="button" class="btn" data-close>${esc(t('panel.close'))}</button></div></div>`;
  if (!dialog.open) {
    dialog.showModal();
    dialog.addEventListener('close', () => returnFocus()?.focus(), { once: true });
  }
  for (const b of dialog.querySelectorAll('[data-close]')) b.addEventListener('click', () => dialog.close());
  dialog.querySelector<HTMLElement>('#dlg-title')?.focus();
  const body = dialog.querySelector<HTMLElement>('#co-body')!;
  void api<{ areas: OverviewRow[] }>(`/api/reports${qs({ areaSet })}`).then((r) => {
    body.innerHTML = overviewTable(r.areas);
    body.removeAttribute('aria-busy');
  }).catch((e: Error) => {
    body.removeAttribute('aria-busy');
    body.innerHTML = `<p class="error" role="alert">${esc(t('state.error', { msg: e.message }))}</p>`;
  });
}
