// Reading the audit trail (admins): newest first, filtered by action, actor and time, paged.
import type { Queryable } from '../../db/index.js';
import type { AuditEntry, AuditPage } from './audit-schema.js';

export type AuditFilter = { action?: string; actor?: string; from?: string; to?: string; limit: number; offset: number };
export type { AuditEntry, AuditPage };

export async function listAudit(db: Queryable, f: AuditFilter): Promise<AuditPage> {
  const where = `($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR actor = $2)
    AND ($3::date IS NULL OR at >= $3::date) AND ($4::date IS NULL OR at < $4::date)`;
  const params = [f.action ?? null, f.actor ?? null, f.from ?? null, f.to ?? null];
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE ${where}`, params)).rows[0].n;
  const r = await db.query<{ id: number; at: Date; actor: string; role: string; action: string; target: string | null; detail: unknown }>(
    `SELECT id, at, actor, role, action, target, detail FROM audit_log WHERE ${where} ORDER BY at DESC, id DESC LIMIT $5 OFFSET $6`,
    [...params, f.limit, f.offset]);
  return { total, entries: r.rows.map((e) => ({ ...e, id: Number(e.id), at: e.at.toISOString() })) };
}
