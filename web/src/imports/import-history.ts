// The import history (issue 19): every batch with its provenance — who, when, kind, file, SHA-256, counts, profile —
// as a table; admins may undo a batch (DELETE /api/imports/:id, after a confirmation in the dialog itself).
import { t, fmt } from '../i18n/index.js';
import { formatWhen } from '../panels/saved-reports.js';
import { $, esc } from '../panels/dom.js';
import { listBatches, undoBatch, type ImportBatch } from './import-api.js';
import { kindLabel } from './import-wizard.js';

export function openImportHistory(dialog: HTMLDialogElement, role: string, onChanged: () => void): void {
  const admin = role === 'admin';
  dialog.classList.add('wide');
  dialog.innerHTML = `<div class="dialog-inner import-history"><header class="panel-head"><h2 id="dlg-title">${t('imph.title')}</h2><button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    <div class="dialog-body"><p id="imph-msg" class="form-msg" role="status" aria-live="polite"></p><div id="imph-confirm"></div><div id="imph-table" aria-busy="true">${t('state.loading')}</div></div></div>`;
  dialog.setAttribute('aria-labelledby', 'dlg-title');
  dialog.querySelector('[data-close]')!.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.classList.remove('wide'), { once: true });
  const msg = (text: string, error = false) => { const m = $('#imph-msg', dialog); m.textContent = text; m.classList.toggle('error', error); };
  let batches: ImportBatch[] = [];

  async function load(): Promise<void> {
    const box = $('#imph-table', dialog);
    box.setAttribute('aria-busy', 'true');
    try {
      batches = await listBatches();
      box.innerHTML = batches.length ? table(batches) : `<p>${t('imph.none')}</p>`;
    } catch (e) {
      box.innerHTML = `<p class="form-msg error">${esc(t('state.error', { msg: (e as Error).message }))}</p>`;
    } finally {
      box.removeAttribute('aria-busy');
    }
  }

  function table(list: ImportBatch[]): string {
    const profile = (b: ImportBatch) => b.profile ?? (typeof b.options?.profile === 'string' ? b.options.profile : b.options?.mapping ? t('imph.ownMapping') : '–');
    const head = ['when', 'who', 'kind', 'file', 'sha', 'read', 'inserted', 'updated', 'unchanged', 'rejected', 'profile'];
    return `<div class="table-scroll imp-table" tabindex="0" role="region" aria-labelledby="imph-cap"><table class="figures imph" id="imph-list"><caption id="imph-cap">${esc(t('imph.caption', { n: list.length }))}</caption>
      <thead><tr>${head.map((h) => `<th scope="col">${t(`imph.col.${h}`)}</th>`).join('')}${admin ? `<th scope="col">${t('imph.col.action')}</th>` : ''}</tr></thead>
      <tbody>${list.map((b) => `<tr data-batch="${b.id}"><th scope="row">${esc(formatWhen(b.createdAt))}</th><td>${esc(b.importedByName ?? b.importedBy)}</td><td>${esc(kindLabel(b.kind))}</td><td>${esc(b.fileName ?? '–')}</td>
        <td><code class="sha" title="${esc(b.sha256)}">${esc(b.sha256)}</code></td><td>${fmt(b.rowsRead)}</td><td>${fmt(b.inserted)}</td><td>${fmt(b.updated)}</td><td>${fmt(b.unchanged)}</td><td>${fmt(b.rejected + (b.skipped ?? 0))}</td><td>${esc(profile(b))}</td>
        ${admin ? `<td>${b.provider === 'bundled' ? '–' : `<button type="button" class="btn small" data-undo="${b.id}" aria-label="${esc(t('imph.undoLabel', { id: b.id, file: b.fileName ?? kindLabel(b.kind) }))}">${t('imph.undo')}</button>`}</td>` : ''}</tr>`).join('')}</tbody></table></div>`;
  }

  /** The confirmation for undoing one batch: its own two buttons, the focus on the safe one. */
  function confirmUndo(id: number, from: HTMLElement): void {
    const b = batches.find((x) => x.id === id);
    const box = $('#imph-confirm', dialog);
    box.innerHTML = `<div class="imp-offer" role="group" aria-labelledby="imph-confirm-text"><p id="imph-confirm-text"><strong>${esc(t('imph.confirm', { id, file: b?.fileName ?? kindLabel(b?.kind ?? ''), n: fmt((b?.inserted ?? 0) + (b?.updated ?? 0)) }))}</strong></p>
      <div class="btn-row"><button type="button" class="btn primary danger" id="imph-yes">${t('imph.yes')}</button><button type="button" class="btn" id="imph-no">${t('imph.no')}</button></div></div>`;
    const done = () => { box.innerHTML = ''; };
    $('#imph-no', box).addEventListener('click', () => { done(); from.focus(); });
    $('#imph-yes', box).addEventListener('click', async () => {
      try {
        await undoBatch(id);
        done();
        // the list first, then the word: "removed" is announced when the table no longer shows the batch
        await load();
        msg(t('imph.undone', { id }));
        onChanged();
        $('#dlg-title', dialog).setAttribute('tabindex', '-1');
        $('#dlg-title', dialog).focus();
      } catch (e) {
        done();
        msg(t('imph.undoFailed', { msg: (e as Error).message }), true);
        from.focus();
      }
    });
    $('#imph-no', box).focus();
  }

  $('.import-history', dialog).addEventListener('click', (e) => {
    const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-undo]');
    if (btn) confirmUndo(Number(btn.dataset.undo), btn);
  });
  dialog.showModal();
  void load();
}
