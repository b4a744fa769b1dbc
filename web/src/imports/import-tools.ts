// The import entries in the tools bar (issue 19): "Importera data" (the wizard) and "Importhistorik", shown to
// analysts and admins when the server offers the import preview.
import { capabilities } from '../api/capabilities.js';
import { t } from '../i18n/index.js';
import { $ } from '../panels/dom.js';
import { openImportHistory } from './import-history.js';
import { openImportWizard } from './import-wizard.js';

const mayImport = (role: string) => (role === 'analyst' || role === 'admin') && capabilities().imports;

/** The buttons' texts and visibility for the signed-in role. */
export function importToolTexts(role: string): void {
  const show = mayImport(role);
  $('#btn-import').textContent = t('tools.import');
  $('#btn-import').hidden = !show;
  $('#btn-imports').textContent = t('tools.importHistory');
  $('#btn-imports').hidden = !show;
}

/** Opens the wizard and the history in the page's dialog; `onImported` refreshes the map after a commit or an undo. */
export function mountImportTools(dialog: HTMLDialogElement, role: () => string, onImported: () => void): void {
  $('#btn-import').addEventListener('click', () => { if (mayImport(role())) openImportWizard(dialog, onImported); });
  $('#btn-imports').addEventListener('click', () => { if (mayImport(role())) openImportHistory(dialog, role(), onImported); });
}
