// API keys: created once (the secret is shown only then), stored as a SHA-256 hash, revoked (never deleted, so
// the audit trail's key ids keep meaning something). Keys carry a role and, for staff, the districts they edit.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../../db/index.js';
import { hashSecret, type Role } from '../../plugins/auth.js';

export const KEY_ROLES = ['analyst', 'staff', 'admin'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/** District codes as in the stadsdelar area set (upper case, e.g. HUSBY). */
export const districtCode = z.string().trim().min(1).max(100).regex(/^[\p{L}\p{N} _.-]+$/u, 'a district code such as HUSBY')
  .transform((s) => s.toUpperCase());

export const NewKey = z.object({
  name: z.string().trim().min(1, 'a name for the key (what or who it is for)').max(100),
  role: z.enum(KEY_ROLES),
  districts: z.array(districtCode).max(200).default([]),
}).refine((k) => k.role !== 'staff' || k.districts.length > 0, { message: 'a staff key needs at least one district', path: ['districts'] });
export type NewKey = z.input<typeof NewKey>;

export class UnknownDistrictError extends Error {
  constructor(public readonly codes: string[]) {
    super(`Unknown district code(s): ${codes.join(', ')}. Use the codes of the stadsdelar area set (GET /api/area-sets/stadsdelar/areas), e.g. HUSBY.`);
    this.name = 'UnknownDistrictError';
  }
}

export type ApiKeyInfo = { id: number; name: string; role: KeyRole; districts: string[]; createdAt: string; revokedAt: string | null };

/** A fresh secret: 32 random bytes, base64url, with a recognisable prefix (secret scanners, logs). */
export function generateSecret(): string {
  return `tk_${crypto.randomBytes(32).toString('base64url')}`;
}

export async function createKey(db: Queryable, input: NewKey): Promise<ApiKeyInfo & { key: string }> {
  const k = NewKey.parse(input);
  if (k.districts.length) {
    // district codes are those of a district-level area set (the 117 stadsdelar: HUSBY, RINKEBY …)
    const known = await db.query<{ code: string }>(
      `SELECT DISTINCT upper(a.code) AS code FROM areas a JOIN area_sets s ON s.id = a.area_set_id
       WHERE s.level = 'stadsdel' AND upper(a.code) = ANY($1::text[])`, [k.districts]);
    const have = new Set(known.rows.map((r) => r.code));
    const unknown = k.districts.filter((d) => !have.has(d));
    if (unknown.length) throw new UnknownDistrictError(unknown);
  }
  const key = generateSecret();
  const r = await db.query<{ id: number; created_at: Date }>(
    `INSERT INTO api_keys (name, role, districts, key_hash) VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
    [k.name, k.role, k.districts, hashSecret(key)]);
  return { id: Number(r.rows[0].id), name: k.name, role: k.role, districts: k.districts, createdAt: r.rows[0].created_at.toISOString(), revokedAt: null, key };
}

export async function listKeys(db: Queryable): Promise<ApiKeyInfo[]> {
  const r = await db.query<{ id: number; name: string; role: KeyRole; districts: string[]; created_at: Date; revoked_at: Date | null }>(
    `SELECT id, name, role, districts, created_at, revoked_at FROM api_keys ORDER BY id`);
  return r.rows.map((k) => ({ id: Number(k.id), name: k.name, role: k.role, districts: k.districts ?? [], createdAt: k.created_at.toISOString(), revokedAt: k.revoked_at?.toISOString() ?? null }));
}

/** Revokes a key and ends its sessions; false when there is no such (unrevoked) key. */
export async function revokeKey(db: Queryable, id: number): Promise<boolean> {
  const r = await db.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  if (r.rowCount === 0) return false;
  await db.query(`DELETE FROM sessions WHERE api_key_id = $1`, [id]);
  return true;
}

/** The active key behind a secret, or null. */
export async function findKey(db: Queryable, secret: string): Promise<{ id: number; role: Role; districts: string[] } | null> {
  if (!secret || secret.length > 200) return null;
  const r = await db.query<{ id: number; role: Role; districts: string[] }>(
    `SELECT id, role, districts FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`, [hashSecret(secret)]);
  return r.rows.length ? { id: Number(r.rows[0].id), role: r.rows[0].role, districts: r.rows[0].districts ?? [] } : null;
}
