// The editor of a saved lägesbild's section 7 — the orsaksanalys in the five steps of the city's safety programme,
// the priorities, the action plan with SMART goals (rows added and removed), comments — as a form in the page's
// dialog: labelled controls in fieldsets, all by keyboard. Saving sends the version the edit started from; when
// someone else saved in between the server answers 409 and the text stays in the form, with the choice to look at
// their version or save this one on top (both stay in the version history). Closing with unsaved changes keeps
// them as a draft that the next opening restores.
import { periodLabel } from '../../../shared/periods.js';
import { api, ApiError } from '../api/client.js';
import { getLang, t } from '../i18n/index.js';
import { esc } from './dom.js';
import { formatWhen, savedByText, type SavedReportMeta } from './saved-reports.js';
import {
  CAUSAL_STEPS, emptyGoal, MAX_GOALS, MAX_LENGTH, normalizeStaffText, sameStaffText, SMART_FIELDS, staffTextFromEntries,
  type SmartField, type SmartGoal, type StaffText,
} from './staff-text-form.js';

type Version = { version: number; current: boolean; title: string; savedBy: string; savedByName: string | null; savedAt: string; changed: string[] };
type VersionList = { reportId: number; currentVersion: number; versions: Version[] };
type VersionDetail = Version & { staffText: unknown };

/** Unsaved edits of a report, kept when the dialog was closed without saving. */
const drafts = new Map<number, { base: number; staffText: StaffText; title: string }>();

const MULTILINE: ReadonlySet<SmartField> = new Set(['specific', 'measurable', 'realistic', 'measures', 'followUp']);
const idOf = (name: string) => `st-${name.replace(/\./g, '-')}`;

function textArea(name: string, label: string, value: string, opts: { hint?: string; rows?: number; max?: number } = {}): string {
  const id = idOf(name);
  const hint = opts.hint ? `<p class="hint" id="${id}-hint">${esc(opts.hint)}</p>` : '';
  return `<div class="field"><label for="${id}">${esc(label)}</label>${hint}
    <textarea id="${id}" name="${esc(name)}" rows="${opts.rows ?? 3}" maxlength="${opts.max ?? MAX_LENGTH.text}"${opts.hint ? ` aria-describedby="${id}-hint"` : ''}>${esc(value)}</textarea></div>`;
}

function textInput(name: string, label: string, value: string, max: number): string {
  const id = idOf(name);
  return `<div class="field"><label for="${id}">${esc(label)}</label><input id="${id}" name="${esc(name)}" maxlength="${max}" value="${esc(value)}"></div>`;
}

function goalRow(key: string, n: number, g: SmartGoal): string {
  const fields = SMART_FIELDS.map((f) => (MULTILINE.has(f)
    ? textArea(`goal.${key}.${f}`, t(`st.smart.${f}`), g[f], { rows: 2, max: MAX_LENGTH[f] })
    : textInput(`goal.${key}.${f}`, t(`st.smart.${f}`), g[f], MAX_LENGTH[f]))).join('');
  return `<fieldset class="goal-row" data-goal="${esc(key)}"><legend>${esc(t('st.goal', { n }))}</legend>${fields}
    <button type="button" class="btn small" data-remove-goal="${esc(key)}">${esc(t('st.removeGoal', { n }))}</button></fieldset>`;
}

let goalSeq = 0;

function formBody(st: StaffText, title: string): string {
  const goals = st.actionPlan.goals.map((g) => goalRow(String(++goalSeq), 0, g)).join('');
  return `<div class="field"><label for="st-title">${t('st.title')}</label><input id="st-title" name="title" maxlength="300" value="${esc(title)}"></div>
    <fieldset class="group"><legend>${t('st.causal')}</legend>
      ${CAUSAL_STEPS.map((k) => textArea(`causalAnalysis.${k}`, t(`st.causalAnalysis.${k}`), st.causalAnalysis[k], { hint: t(`st.hint.${k}`) })).join('')}
    </fieldset>
    <div class="group">${textArea('priorities', t('st.priorities'), st.priorities, { hint: t('st.hint.priorities') })}</div>
    <fieldset class="group"><legend>${t('st.actionPlan')}</legend>
      <p class="hint">${esc(t('st.hint.actionPlan'))}</p>
      ${textArea('actionPlan.summary', t('st.actionPlan.summary'), st.actionPlan.summary)}
      <div id="st-goals">${goals}</div>
      <p class="muted" id="st-no-goals"${st.actionPlan.goals.length ? ' hidden' : ''}>${t('st.noGoals')}</p>
      <button type="button" class="btn" id="st-add-goal">${t('st.addGoal')}</button>
    </fieldset>
    <div class="group">${textArea('comments', t('st.comments'), st.comments)}</div>`;
}

function changedText(fields: string[]): string {
  return fields.length ? t('st.changed', { fields: fields.map((f) => t(`st.${f}`)).join(', ') }) : '';
}

function versionView(v: VersionDetail): string {
  const st = normalizeStaffText(v.staffText);
  const dd = (s: string) => `<dd>${s.trim() ? esc(s).replace(/\n/g, '<br>') : `<span class="muted">${t('st.empty')}</span>`}</dd>`;
  const goals = st.actionPlan.goals.map((g, i) => `<dt>${esc(t('st.goal', { n: i + 1 }))}</dt><dd><dl>${SMART_FIELDS.filter((f) => g[f].trim()).map((f) => `<dt>${esc(t(`st.smart.${f}`))}</dt>${dd(g[f])}`).join('')}</dl></dd>`).join('');
  return `<section class="version-view" aria-labelledby="st-vv-h"><h4 id="st-vv-h" tabindex="-1">${esc(t('st.showVersion', { version: v.version }))}: ${esc(v.savedByName ?? v.savedBy)}, ${esc(formatWhen(v.savedAt))}</h4>
    <dl>${CAUSAL_STEPS.map((k) => `<dt>${t(`st.causalAnalysis.${k}`)}</dt>${dd(st.causalAnalysis[k])}`).join('')}
      <dt>${t('st.priorities')}</dt>${dd(st.priorities)}<dt>${t('st.actionPlan.summary')}</dt>${dd(st.actionPlan.summary)}${goals}
      <dt>${t('st.comments')}</dt>${dd(st.comments)}</dl>
    <button type="button" class="btn small" data-use-version="${v.version}">${t('st.useVersion')}</button></section>`;
}

export type EditorOptions = { onSaved: (meta: SavedReportMeta) => void; returnFocus: () => HTMLElement | null };

export function openStaffTextEditor(dialog: HTMLDialogElement, report: SavedReportMeta, opts: EditorOptions): void {
  dialog.innerHTML = `<div class="dialog-inner"><p class="panel-loading" role="status">${t('state.loading')}</p></div>`;
  dialog.setAttribute('aria-labelledby', 'dlg-title');
  if (!dialog.open) dialog.showModal();
  void load(dialog, report, opts).catch((e: Error) => {
    dialog.innerHTML = `<div class="dialog-inner"><header class="panel-head"><h2 id="dlg-title">${t('st.heading')}</h2><button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
      <p class="error" role="alert">${esc(t('state.error', { msg: e.message }))}</p></div>`;
    dialog.querySelector('[data-close]')?.addEventListener('click', () => dialog.close());
  });
}

async function load(dialog: HTMLDialogElement, report: SavedReportMeta, opts: EditorOptions): Promise<void> {
  // the current text and its version (reports saved without a version history: the report's own staff text)
  const list = await api<VersionList>(`/api/reports/${report.id}/versions`);
  let base = list.currentVersion;
  let loaded: StaffText;
  let loadedTitle: string;
  let meta = { version: base, updatedAt: report.updatedAt, updatedBy: report.updatedBy, updatedByName: report.updatedByName };
  if (list.versions.some((v) => v.version === base)) {
    const cur = await api<VersionDetail>(`/api/reports/${report.id}/versions/${base}`);
    loaded = normalizeStaffText(cur.staffText);
    loadedTitle = cur.title;
    meta = { version: base, updatedAt: cur.savedAt, updatedBy: cur.savedBy, updatedByName: cur.savedByName };
  } else {
    const r = await api<SavedReportMeta & { staffText: unknown }>(`/api/reports/${report.id}?f=json`);
    loaded = normalizeStaffText(r.staffText);
    loadedTitle = r.title;
  }
  const draft = drafts.get(report.id);
  const start = draft ? draft.staffText : loaded;
  if (draft) base = draft.base;

  const period = periodLabel({ from: report.periodFrom, to: report.periodTo }, getLang());
  dialog.innerHTML = `<form class="dialog-inner staff-text-form" id="staff-text-form" novalidate>
    <header class="panel-head"><div><h2 id="dlg-title">${t('st.heading')}</h2>
      <div class="muted">${esc(report.areaName ?? '')} · ${esc(period)}</div>
      <div class="muted" id="st-saved-by">${esc(savedByText(meta))}</div></div>
      <button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    <div class="dialog-body">
      <p class="hint">${esc(t('st.intro'))}</p>
      <div id="st-fields">${formBody(start, draft ? draft.title : loadedTitle)}</div>
      <details id="st-versions"><summary>${t('st.versions')}</summary><div id="st-versions-body" aria-live="polite"></div><div id="st-version-view"></div></details>
    </div>
    <div class="sr" role="status" id="st-live"></div>
    <div class="form-msg" id="st-msg" role="status">${draft ? esc(t('st.draftRestored')) : ''}</div>
    <div class="form-msg error" id="st-error" role="alert"></div>
    <div class="btn-row form-actions"><button type="submit" class="btn primary" id="st-save">${t('st.save')}</button>
      <button type="button" class="btn" data-close>${t('panel.close')}</button></div>
  </form>`;
  const form = dialog.querySelector<HTMLFormElement>('#staff-text-form')!;
  const $ = <T extends HTMLElement>(sel: string) => form.querySelector<T>(sel)!;
  const live = $('#st-live');
  const msg = $('#st-msg');
  const error = $('#st-error');
  const save = $<HTMLButtonElement>('#st-save');
  const current = () => ({ staffText: staffTextFromEntries(new FormData(form) as unknown as Iterable<[string, FormDataEntryValue]>), title: String(new FormData(form).get('title') ?? '') });
  const dirty = () => { const c = current(); return !sameStaffText(c.staffText, loaded) || c.title !== loadedTitle; };

  const renumber = () => {
    const rows = [...form.querySelectorAll<HTMLFieldSetElement>('#st-goals .goal-row')];
    rows.forEach((row, i) => {
      row.querySelector('legend')!.textContent = t('st.goal', { n: i + 1 });
      row.querySelector('[data-remove-goal]')!.textContent = t('st.removeGoal', { n: i + 1 });
    });
    $('#st-no-goals').hidden = rows.length > 0;
    $<HTMLButtonElement>('#st-add-goal').disabled = rows.length >= MAX_GOALS;
  };
  const wireFields = () => {
    renumber();
    $('#st-add-goal').addEventListener('click', () => {
      const goals = $('#st-goals');
      if (goals.children.length >= MAX_GOALS) { live.textContent = t('st.maxGoals', { n: MAX_GOALS }); return; }
      goals.insertAdjacentHTML('beforeend', goalRow(String(++goalSeq), goals.children.length + 1, emptyGoal()));
      renumber();
      const row = goals.lastElementChild as HTMLElement;
      live.textContent = t('st.goalAdded', { n: goals.children.length });
      row.querySelector<HTMLElement>('input, textarea')?.focus();
    });
    $('#st-goals').addEventListener('click', (ev) => {
      const b = (ev.target as HTMLElement).closest<HTMLButtonElement>('[data-remove-goal]');
      if (!b) return;
      const row = b.closest('.goal-row')!;
      const rows = [...form.querySelectorAll('#st-goals .goal-row')];
      const i = rows.indexOf(row);
      const next = (rows[i + 1] ?? rows[i - 1]) as HTMLElement | undefined;
      row.remove();
      renumber();
      live.textContent = t('st.goalRemoved', { n: i + 1 });
      (next?.querySelector<HTMLElement>('[data-remove-goal]') ?? $('#st-add-goal')).focus();
    });
  };
  wireFields();

  const closeDialog = () => dialog.close();
  for (const b of form.querySelectorAll('[data-close]')) b.addEventListener('click', closeDialog);
  dialog.addEventListener('close', () => {
    if (dialog.querySelector('#staff-text-form') === form) {
      const c = current();
      if (dirty()) drafts.set(report.id, { base, staffText: c.staffText, title: c.title });
      else drafts.delete(report.id);
    }
    opts.returnFocus()?.focus();
  }, { once: true });

  // versions: listed when the section is opened, any one shown read-only and loadable into the form
  const versionsBody = $('#st-versions-body');
  const showVersions = async () => {
    const l = await api<VersionList>(`/api/reports/${report.id}/versions`);
    versionsBody.innerHTML = `<ol class="version-list">${l.versions.map((v) => `<li>
      <strong>${esc(t('st.versionN', { version: v.version }))}</strong>${v.current ? ` (${t('st.current')})` : ''} ·
      ${esc(v.savedByName ?? v.savedBy)} · ${esc(formatWhen(v.savedAt))}${v.changed.length ? ` · <span class="muted">${esc(changedText(v.changed))}</span>` : ''}
      <button type="button" class="btn small" data-show-version="${v.version}">${esc(t('st.showVersion', { version: v.version }))}</button></li>`).join('')}</ol>`;
  };
  const showVersion = async (n: number) => {
    const v = await api<VersionDetail>(`/api/reports/${report.id}/versions/${n}`);
    const view = $('#st-version-view');
    view.innerHTML = versionView(v);
    $<HTMLDetailsElement>('#st-versions').open = true;
    view.querySelector<HTMLElement>('#st-vv-h')?.focus();
    view.querySelector('[data-use-version]')?.addEventListener('click', () => {
      $('#st-fields').innerHTML = formBody(normalizeStaffText(v.staffText), v.title);
      wireFields();
      msg.textContent = t('st.versionLoaded', { version: v.version });
      form.querySelector<HTMLElement>('textarea')?.focus();
    });
  };
  $('#st-versions').addEventListener('toggle', () => { if ($<HTMLDetailsElement>('#st-versions').open) void showVersions().catch((e: Error) => { versionsBody.textContent = e.message; }); });
  versionsBody.addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest<HTMLButtonElement>('[data-show-version]');
    if (b) void showVersion(Number(b.dataset.showVersion)).catch((e: Error) => { error.textContent = e.message; });
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const c = current();
    if (!dirty() && base === list.currentVersion) { msg.textContent = t('st.unchanged'); return; }
    save.disabled = true;
    save.textContent = t('st.saving');
    msg.textContent = '';
    try {
      const saved = await api<SavedReportMeta>(`/api/reports/${report.id}`, { method: 'PATCH', json: { staffText: c.staffText, title: c.title, baseVersion: base } });
      base = saved.version;
      list.currentVersion = saved.version;
      loaded = c.staffText;
      loadedTitle = c.title;
      drafts.delete(report.id);
      $('#st-saved-by').textContent = savedByText(saved);
      msg.textContent = t('st.savedNow', { version: saved.version });
      opts.onSaved(saved);
      if ($<HTMLDetailsElement>('#st-versions').open) await showVersions();
    } catch (e) {
      const p = e instanceof ApiError ? e.problem : {};
      if (e instanceof ApiError && e.status === 409 && typeof p.currentVersion === 'number') {
        const theirs = p.currentVersion;
        error.innerHTML = `${esc(t('st.conflict', { who: String(p.savedByName ?? p.savedBy ?? '–'), version: theirs, when: formatWhen(String(p.savedAt ?? '')), base }))}
          <div class="btn-row"><button type="button" class="btn small" id="st-show-theirs">${esc(t('st.showVersion', { version: theirs }))}</button>
          <button type="button" class="btn small primary" id="st-overwrite">${t('st.overwrite')}</button></div>`;
        $('#st-show-theirs').addEventListener('click', () => void showVersion(theirs));
        $('#st-overwrite').addEventListener('click', () => { base = theirs; list.currentVersion = theirs; error.textContent = ''; form.requestSubmit(); });
      } else if (e instanceof ApiError && e.status === 403) {
        error.textContent = t('lb.forbidden', { msg: e.message });
      } else {
        error.textContent = t('lb.failed', { msg: (e as Error).message });
      }
    } finally {
      save.disabled = false;
      save.textContent = t('st.save');
    }
  });
  form.querySelector<HTMLElement>('textarea')?.focus();
}
