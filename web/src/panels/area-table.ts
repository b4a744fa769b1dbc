// The table beside the map: the same areas, values, confidence intervals, suppression marks and significance as the
// choropleth, read from the same ChoroData. It is the map's text alternative (sortable, one button per area that
// selects it) and a working tool for analysts. Sorting is kept across redraws; a row's button selects the area.
import { fmt, fmtSize, getLang, t } from '../i18n/index.js';
import type { AreaValue, ChoroData } from '../map/choropleth-data.js';
import type { State } from '../state/store.js';
import { esc } from './dom.js';
import { choroplethTitle, surveyValueText } from './legend.js';

export type Column = { key: string; label: string; value: (v: AreaValue) => number | string | null; cell: (v: AreaValue) => string };
export type Sort = { key: string; dir: 'ascending' | 'descending' };

const num = (r: Record<string, unknown> | undefined, k: string) => (typeof r?.[k] === 'number' ? (r[k] as number) : null);

function hidden(text: string, field: string): string {
  return `<td data-field="${field}" data-value="suppressed"><span class="suppressed">${esc(text)}</span></td>`;
}

/** The change cell: "+12 % (KI 0,98–1,30)" and in words whether it is a significant rise or fall (not colour alone). */
function changeCell(v: AreaValue, k: number): string {
  if (v.suppressed) return hidden(t('panel.suppressed', { k }), 'change');
  const ratio = num(v.row, 'rateRatio');
  if (ratio === null) return '<td data-field="change" data-value="">–</td>';
  const pct = (ratio - 1) * 100;
  const ci = v.ciLow !== null && v.ciLow !== undefined ? ` <small>(${t('table.ci')} ${fmt(v.ciLow, 2)}–${v.ciHigh === null || v.ciHigh === undefined ? '∞' : fmt(v.ciHigh, 2)})</small>` : '';
  const sig = v.significant === 1 ? `<span class="sig up" aria-hidden="true">▲</span> ${t('table.rise')}` : v.significant === -1 ? `<span class="sig down" aria-hidden="true">▼</span> ${t('table.fall')}` : `<span class="muted">${t('table.noChange')}</span>`;
  return `<td data-field="change" data-value="${ratio}">${pct > 0 ? '+' : ''}${fmt(pct, 0)} %${ci}<div class="sig-text">${sig}</div></td>`;
}

/** The columns for what the map shows: counts, rates and change; the survey's value, CI and n; or divergence classes. */
export function columnsFor(d: ChoroData): Column[] {
  const area: Column = { key: 'name', label: t('table.area'), value: (v) => v.name, cell: () => '' };
  if (d.metric === 'survey') {
    return [area,
      { key: 'value', label: t('table.value'), value: (v) => (v.suppressed ? null : v.value), cell: (v) => (v.suppressed ? hidden(t('legend.surveySuppressed', { n: d.survey?.minRespondents ?? d.k }), 'value') : `<td data-field="value" data-value="${v.value ?? ''}">${esc(surveyValueText(v.value, d.survey))}${v.note ? `<br><small>${esc(v.note[getLang()] || v.note.sv)}</small>` : ''}</td>`) },
      { key: 'ci', label: t('table.ci'), value: (v) => v.ciLow ?? null, cell: (v) => `<td data-field="ci">${v.ciLow === null || v.ciLow === undefined || v.suppressed ? '–' : `${fmt(v.ciLow, d.survey?.kind === 'mean' ? 2 : 0)}–${fmt(v.ciHigh, d.survey?.kind === 'mean' ? 2 : 0)}`}</td>` },
      { key: 'respondents', label: t('table.respondents'), value: (v) => v.respondents ?? null, cell: (v) => `<td data-field="respondents" data-value="${v.respondents ?? ''}">${fmt(v.respondents)}</td>` }];
  }
  if (d.metric === 'divergence') {
    return [area, { key: 'class', label: t('table.class'), value: (v) => v.category ?? '', cell: (v) => `<td data-field="class">${v.category ? esc(t(`div.${v.category}`)) : '–'}</td>` }];
  }
  return [area,
    { key: 'count', label: t('table.count'), value: (v) => (v.suppressed ? null : num(v.row, 'count')), cell: (v) => (v.suppressed ? hidden(t('panel.suppressed', { k: d.k }), 'count') : `<td data-field="count" data-value="${num(v.row, 'count') ?? ''}">${fmt(num(v.row, 'count'))}</td>`) },
    { key: 'ratePer1000', label: t('table.rate'), value: (v) => (v.suppressed ? null : num(v.row, 'ratePer1000')), cell: (v) => (v.suppressed ? hidden('–', 'ratePer1000') : `<td data-field="ratePer1000" data-value="${num(v.row, 'ratePer1000') ?? ''}">${fmtSize(num(v.row, 'ratePer1000'))}</td>`) },
    { key: 'change', label: t('table.change'), value: (v) => (v.suppressed ? null : num(v.row, 'rateRatio')), cell: (v) => changeCell(v, d.k) }];
}

/** The rows in the chosen order; areas without a value (hidden or no data) last, whatever the direction. */
export function sortedValues(d: ChoroData, cols: Column[], sort: Sort): AreaValue[] {
  const col = cols.find((c) => c.key === sort.key) ?? cols[0];
  const rows = [...d.values.values()];
  const sign = sort.dir === 'ascending' ? 1 : -1;
  return rows.sort((a, b) => {
    const x = col.value(a), y = col.value(b);
    if (x === null || x === '') return y === null || y === '' ? a.name.localeCompare(b.name, 'sv') : 1;
    if (y === null || y === '') return -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'sv');
    return c * sign || a.name.localeCompare(b.name, 'sv');
  });
}

let sort: Sort = { key: 'name', dir: 'ascending' };

export function renderAreaTable(el: HTMLElement, d: ChoroData | null, s: State, periodText: string, onSelect: (id: number, from: HTMLElement) => void, onClose: () => void): void {
  if (!d) { el.innerHTML = ''; return; }
  const cols = columnsFor(d);
  if (!cols.some((c) => c.key === sort.key)) sort = { key: 'name', dir: 'ascending' };
  const rows = sortedValues(d, cols, sort);
  const title = choroplethTitle(s, d);
  const head = cols.map((c) => {
    const aria = c.key === sort.key ? ` aria-sort="${sort.dir}"` : '';
    const arrow = c.key === sort.key ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : '';
    return `<th scope="col" data-sort="${c.key}"${aria}><button type="button" class="th-sort" aria-label="${esc(t('table.sortBy', { col: c.label }))}">${esc(c.label)}<span aria-hidden="true">${arrow}</span></button></th>`;
  }).join('');
  const body = rows.map((v) => `<tr data-area-id="${v.areaId}"${s.selected?.kind === 'area' && s.selected.id === v.areaId ? ' aria-current="true"' : ''}>
      <th scope="row"><button type="button" class="link" data-select="${v.areaId}">${esc(v.name)}</button></th>${cols.slice(1).map((c) => c.cell(v)).join('')}</tr>`).join('');
  el.innerHTML = `<header class="table-head"><h2 id="table-title">${esc(t('table.title'))}</h2><button type="button" class="icon-btn" id="table-close" aria-label="${esc(t('table.close'))}">✕</button></header>
    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="table-title">
    <table class="area-table"><caption>${esc(t('table.caption', { what: title, period: periodText, n: rows.length }))}</caption>
      <thead><tr>${head}</tr></thead><tbody>${body || `<tr><td colspan="${cols.length}">${esc(t('table.empty'))}</td></tr>`}</tbody></table></div>`;
  el.querySelector('#table-close')!.addEventListener('click', onClose);
  for (const th of el.querySelectorAll<HTMLElement>('th[data-sort]')) {
    th.querySelector('button')!.addEventListener('click', () => {
      const key = th.dataset.sort!;
      sort = { key, dir: sort.key === key && sort.dir === 'ascending' ? 'descending' : 'ascending' };
      renderAreaTable(el, d, s, periodText, onSelect, onClose);
      el.querySelector<HTMLElement>(`th[data-sort="${key}"] button`)?.focus();
    });
  }
  for (const b of el.querySelectorAll<HTMLButtonElement>('[data-select]')) b.addEventListener('click', () => onSelect(Number(b.dataset.select), b));
}
