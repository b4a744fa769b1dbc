// fetch wrapper: JSON in and out, problem+json details as the error message, the session's CSRF token on changes.
export class ApiError extends Error {
  /** problem: the problem+json body, with its extra members (a 409 says what is current now) */
  constructor(public status: number, message: string, public problem: Record<string, unknown> = {}) { super(message); }
}

let csrfToken: string | null = null;
export function setCsrfToken(tok: string | null): void { csrfToken = tok; }
/** The session's CSRF token, for a request made without api() (a streamed answer). */
export function currentCsrfToken(): string | null { return csrfToken; }

export async function api<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) { headers.set('Content-Type', 'application/json'); body = JSON.stringify(init.json); }
  const method = (init.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  let res: Response;
  try {
    // signed in: never an answer from the browser's cache — a public answer stored before signing in (public,
    // max-age=60, no Vary on the cookie) would show the public's rounded counts instead of the exact ones
    const cache = init.cache ?? (csrfToken && method === 'GET' ? 'no-store' : undefined);
    res = await fetch(url, { ...init, headers, body, credentials: 'same-origin', ...(cache ? { cache } : {}) });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, (e as Error).message || 'network error');
  }
  if (res.status === 204) return null as T;
  const ct = res.headers.get('content-type') ?? '';
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    let problem: Record<string, unknown> = {};
    if (ct.includes('json')) { try { const p = await res.json() as { detail?: string; message?: string }; problem = p; msg = p.detail ?? p.message ?? msg; } catch { /* keep status */ } }
    throw new ApiError(res.status, msg, problem);
  }
  return (ct.includes('json') ? res.json() : res.text()) as Promise<T>;
}

/** Query string from an object, skipping empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null | string[]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
