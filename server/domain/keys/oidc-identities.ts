// A municipal sign-in's identity as a row of api_keys, so its sessions are the sessions an API key has (sessions
// reference a key) and everything downstream — principal, requireRole, CSRF, audit, revocation — is unchanged.
// One row per identity, named `oidc:<subject hash>` (domain/access/oidc-claims.ts: no name or e-mail); its
// secret is random and never shown, so the row can not be used as an API key. Every sign-in writes the role and
// districts the identity provider's groups give now, so a changed group applies to the identity's open sessions
// at once; a sign-in without a configured group revokes the row (its sessions end). Admins see the rows in
// GET /api/keys and may revoke one: its sessions end, and the next sign-in makes a new row.
import type { Queryable } from '../../db/index.js';
import type { Role } from '../access/principal.js';
import { generateSecret } from './api-keys.js';
import { hashSecret } from './hash-secret.js';

export const identityKeyName = (subjectHash: string) => `oidc:${subjectHash}`;

/** The identity's key id after writing its current role and districts (a new row when it has no active one). */
export async function identityKey(db: Queryable, subjectHash: string, role: Exclude<Role, 'public'>, districts: string[]): Promise<number> {
  const name = identityKeyName(subjectHash);
  const upd = await db.query<{ id: number }>(
    `UPDATE api_keys SET role = $2, districts = $3 WHERE name = $1 AND revoked_at IS NULL RETURNING id`, [name, role, districts]);
  if (upd.rows.length) return Number(upd.rows[0].id);
  const ins = await db.query<{ id: number }>(
    `INSERT INTO api_keys (name, role, districts, key_hash) VALUES ($1, $2, $3, $4) RETURNING id`, [name, role, districts, hashSecret(generateSecret())]);
  return Number(ins.rows[0].id);
}

/** Ends what an identity held: revokes its row and deletes its sessions (a sign-in that no longer gives a role). */
export async function revokeIdentity(db: Queryable, subjectHash: string): Promise<number | null> {
  const r = await db.query<{ id: number }>(
    `UPDATE api_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING id`, [identityKeyName(subjectHash)]);
  if (!r.rows.length) return null;
  await db.query(`DELETE FROM sessions WHERE api_key_id = ANY($1::bigint[])`, [r.rows.map((x) => Number(x.id))]);
  return Number(r.rows[0].id);
}
