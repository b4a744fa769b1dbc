// Log in with an API key (POST /api/session → http-only cookie + CSRF token) so staff can draw places and analysts
// see exact data; the key is never stored by the page. When the server offers municipal sign-in (GET /api/session
// answers oidc: true), the dialog leads with it: a link to /api/session/oidc/login, which goes to the
// municipality's identity provider and comes back to the same view signed in (or with login=no-role: see loginNotice).
import { api, setCsrfToken } from '../api/client.js';
import { t } from '../i18n/index.js';
import { esc } from './dom.js';

export type Who = { role: string; csrfToken?: string; districts?: string[]; oidc?: boolean };

export function openLogin(dialog: HTMLDialogElement, onDone: (w: Who) => void, opts: { oidc?: boolean } = {}): void {
  const oidc = opts.oidc
    ? `<a class="btn primary" id="login-oidc" href="/api/session/oidc/login?returnTo=${encodeURIComponent(location.pathname + location.search + location.hash)}" autofocus>${t('login.oidc')}</a><p class="hint">${t('login.orKey')}</p>`
    : '';
  dialog.innerHTML = `<form class="dialog-inner stack" id="login-form"><header class="panel-head"><h2 id="dlg-title">${t('tools.login')}</h2><button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    ${oidc}<label class="field"><span>${t('login.key')}</span><input type="password" name="apiKey" autocomplete="off" required${opts.oidc ? '' : ' autofocus'}></label>
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

/** The message for the ?login=… the server's sign-in sends the browser back with (null: none to show). */
export function loginNotice(search: string): string | null {
  const v = new URLSearchParams(search).get('login');
  return v === 'no-role' ? t('login.noRole') : v === 'failed' ? t('login.oidcFailed') : null;
}

export async function logout(): Promise<void> {
  await api('/api/session', { method: 'DELETE' }).catch(() => undefined);
  setCsrfToken(null);
}
