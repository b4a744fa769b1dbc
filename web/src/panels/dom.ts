// Tiny DOM helpers: escaping for template strings, element lookup, downloads and a button's busy action.
export const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
export const $ = <T extends HTMLElement = HTMLElement>(sel: string, root: ParentNode = document): T => root.querySelector(sel) as T;
export const $$ = <T extends HTMLElement = HTMLElement>(sel: string, root: ParentNode = document): T[] => [...root.querySelectorAll(sel)] as T[];
export function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

/**
 * A button's action in a panel part: the button disabled and aria-busy meanwhile, `working` in the part's status line
 * (role=status) and, when the action fails, `failed(error)` in its alert line (role=alert).
 */
export async function busyAction(b: HTMLButtonElement, lines: { msg: HTMLElement; error: HTMLElement }, working: string,
  action: () => Promise<void>, failed: (e: unknown) => string): Promise<void> {
  b.disabled = true;
  b.setAttribute('aria-busy', 'true');
  lines.error.textContent = '';
  lines.msg.textContent = working;
  try {
    await action();
  } catch (e) {
    lines.msg.textContent = '';
    lines.error.textContent = failed(e);
  } finally {
    b.disabled = false;
    b.removeAttribute('aria-busy');
  }
}
