// The audit trail: who (API key id and role — never a name, e-mail or IP), when, what, with which filter.
// Logins, imports, edits and every export or tile request of point data are recorded.
import type { Queryable } from '../../db/index.js';
import type { Principal } from '../access/principal.js';

/** Keys whose values are secrets or could be personal: never stored in the trail. */
const SECRET_KEY = /api.?key|^key$|token|secret|password|authorization|cookie|session|e-?mail|^ip$|ip.?address|phone/i;

/** A filter or parameter object made safe to keep: secrets dropped, long strings cut, depth bounded. */
export function sanitizeDetail(v: unknown, depth = 0): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return Number.isFinite(v as number) || typeof v === 'boolean' ? v : String(v);
  if (depth > 3) return '…';
  if (Array.isArray(v)) return v.slice(0, 50).map((x) => sanitizeDetail(x, depth + 1));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>).slice(0, 50)) {
      if (!SECRET_KEY.test(k)) out[k] = sanitizeDetail(x, depth + 1);
    }
    return out;
  }
  return String(v);
}

export async function recordAudit(db: Queryable, who: Principal, action: string, target: string | null, detail: Record<string, unknown> = {}): Promise<void> {
  await db.query(`INSERT INTO audit_log (actor, role, action, target, detail) VALUES ($1, $2, $3, $4, $5)`,
    [who.keyId === null ? 'anonymous' : `key:${who.keyId}`, who.role, action, target, sanitizeDetail(detail) ?? {}]);
}
