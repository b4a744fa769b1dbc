// Browser sessions: a random id in an http-only SameSite=Strict cookie (only its hash is stored) plus a CSRF
// token the page sends back in X-CSRF-Token on every change (double submit; checked by the HTTP edge's auth plugin).
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../../db/index.js';
import { principalSchema } from '../access/principal.js';
import { hashSecret } from './hash-secret.js';

export const SESSION_HOURS = 8;

/** Who is signed in, as /api/session answers: the principal, whether it sees exact data, and a browser session's CSRF token and expiry. */
export const sessionAnswerSchema = principalSchema.extend({
  seesExactData: z.boolean(), csrfToken: z.string().optional(), expiresAt: z.string().optional(),
  oidc: z.boolean().optional().describe('GET: whether municipal sign-in (GET /api/session/oidc/login) is offered'),
});
export type SessionAnswer = z.infer<typeof sessionAnswerSchema>;

export async function createSession(db: Queryable, apiKeyId: number): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
  const sessionId = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  // expired sessions are cleared on every login, so the table does not grow
  await db.query(`DELETE FROM sessions WHERE expires_at < now()`);
  const r = await db.query<{ expires_at: Date }>(
    `INSERT INTO sessions (id_hash, api_key_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at`,
    [hashSecret(sessionId), apiKeyId, csrfToken, SESSION_HOURS]);
  return { sessionId, csrfToken, expiresAt: r.rows[0].expires_at };
}

export async function sessionCsrf(db: Queryable, sessionId: string): Promise<{ csrfToken: string; expiresAt: Date } | null> {
  const r = await db.query<{ csrf_token: string; expires_at: Date }>(
    `SELECT csrf_token, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > now()`, [hashSecret(sessionId)]);
  return r.rows.length ? { csrfToken: r.rows[0].csrf_token, expiresAt: r.rows[0].expires_at } : null;
}

export async function deleteSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query(`DELETE FROM sessions WHERE id_hash = $1`, [hashSecret(sessionId)]);
}

export function sessionCookie(value: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  return [`tk_session=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${opts.maxAgeSeconds}`, ...(opts.secure ? ['Secure'] : [])].join('; ');
}
