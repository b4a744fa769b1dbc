// The audit trail: who (API key id and role — never a name, e-mail or IP), when, what, with which filter.
// Logins, imports, edits and every export or tile request of point data are recorded.
import type { Queryable } from '../../db/index.js';
import type { Principal } from '../../plugins/auth.js';

export async function recordAudit(db: Queryable, who: Principal, action: string, target: string | null, detail: Record<string, unknown> = {}): Promise<void> {
  await db.query(`INSERT INTO audit_log (actor, role, action, target, detail) VALUES ($1, $2, $3, $4, $5)`,
    [who.keyId === null ? 'anonymous' : `key:${who.keyId}`, who.role, action, target, detail]);
}
