// Log in with an API key (POST /api/session → http-only cookie + CSRF token) so staff can draw places and analysts
// see exact data; the key is never stored by the page.
import { api, setCsrfToken } from '../api/client.js';
import { t } from '../i18n/index.js';
import { esc } from './dom.js';

export type Who = { role: string; csrfToken?: string; districts?: string[] };

export function openLogin(dialog: HTMLDialogElement, onDone: (w: Who) => void): void {
  dialog.innerHTML = `<form class="dialog-inner stack" id="login-form"><header class="panel-head"><h2 id="dlg-title">${t('tools.login')}</h2><button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    <label class="field"><span>${t('login.key')}</span><input type="password" name="apiKey" autocomplete="off" required autofocus></label>
    <button class="btn primary" type="submit">${t('login.submit')}</button><div class="form-msg error" role="status"></div></form>`;
  dialog.setAttribute('aria-labelledby', 'dlg-title');
  dialog.querySelector('[data-close]')!.addEventListener('click', () => dialog.close());
  dialog.querySelector('form')!.addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = String(new FormData(e.target as HTMLFormElement).get('apiKey') ?? '');
    try {
      const w = await api<Who>('/api/session', { method: 'POST', json: { apiKey: key } });
      setCsrfToken(w.csrfToken ?? null);
      dialog.close();
      onDone(w);
    } catch (err) { dialog.querySelector('.form-msg')!.textContent = t('login.failed', { msg: esc((err as Error).message) }); }
  });
  dialog.showModal();
}

export async function logout(): Promise<void> {
  await api('/api/session', { method: 'DELETE' }).catch(() => undefined);
  setCsrfToken(null);
}
