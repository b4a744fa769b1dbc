// API keys: created once (the secret is shown only then), stored as a SHA-256 hash, revoked (never deleted, so
// the audit trail's key ids keep meaning something). Keys carry a role and, for staff, the districts they edit:
// area ids (see staff-districts.ts).
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../../db/index.js';
import { hashSecret } from './hash-secret.js';
import { type Role } from '../access/principal.js';
import { districtAreas, resolveDistricts, staffDistrictIds, type DistrictArea } from './staff-districts.js';

export { DistrictResolveError } from './staff-districts.js';

export const KEY_ROLES = ['analyst', 'staff', 'admin'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/**
 * A district as key management accepts it: an area id, `<areaSetId>:<code>` (stadsdelar:HUSBY,
 * stadsdelsomraden-2023:Järva) or a bare stadsdel code (HUSBY: the stadsdel only). Stored as the area id
 * (domain/keys/staff-districts.ts).
 */
export const districtEntry = z.union([
  z.number().int().positive(),
  z.string().trim().min(1).max(200).regex(/^[\p{L}\p{N} _.:()\/-]+$/u, 'an area id, <areaSetId>:<code> (stadsdelar:HUSBY) or a stadsdel code such as HUSBY'),
]);

export const NewKey = z.object({
  name: z.string().trim().min(1, 'a name for the key (what or who it is for)').max(100),
  role: z.enum(KEY_ROLES),
  districts: z.array(districtEntry).max(200).default([]),
}).refine((k) => k.role !== 'staff' || k.districts.length > 0, { message: 'a staff key needs at least one district', path: ['districts'] });
export type NewKey = z.input<typeof NewKey>;

/** A key's district: the area id with the area's set, code and name. */
export const keyDistrictSchema = z.object({ id: z.number(), areaSetId: z.string(), code: z.string(), name: z.string() });
export type KeyDistrict = z.infer<typeof keyDistrictSchema>;

/** A key as admins see it: never the secret. districts: the area ids as stored (decimal strings, as in the principal). */
export const apiKeyInfoSchema = z.object({
  id: z.number(), name: z.string(), role: z.enum(KEY_ROLES),
  districts: z.array(z.string()).describe('the staff districts: area ids (decimal strings)'),
  districtAreas: z.array(keyDistrictSchema).describe('the same districts with their area set, code and name'),
  createdAt: z.string(), revokedAt: z.string().nullable(),
});
export type ApiKeyInfo = z.infer<typeof apiKeyInfoSchema>;

/** A key just created: the only answer that carries its secret. */
export const createdApiKeySchema = apiKeyInfoSchema.extend({ key: z.string() });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

const keyDistrict = (a: DistrictArea): KeyDistrict => ({ id: a.id, areaSetId: a.areaSetId, code: a.code, name: a.name });

/** A fresh secret: 32 random bytes, base64url, with a recognisable prefix (secret scanners, logs). */
export function generateSecret(): string {
  return `tk_${crypto.randomBytes(32).toString('base64url')}`;
}

export async function createKey(db: Queryable, input: NewKey): Promise<CreatedApiKey> {
  const k = NewKey.parse(input);
  // throws DistrictResolveError for an unknown, ambiguous or non-district entry
  const areas = await resolveDistricts(db, k.districts);
  const districts = areas.map((a) => String(a.id));
  const key = generateSecret();
  const r = await db.query<{ id: number; created_at: Date }>(
    `INSERT INTO api_keys (name, role, districts, key_hash) VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
    [k.name, k.role, districts, hashSecret(key)]);
  return { id: Number(r.rows[0].id), name: k.name, role: k.role, districts, districtAreas: areas.map(keyDistrict), createdAt: r.rows[0].created_at.toISOString(), revokedAt: null, key };
}

export async function listKeys(db: Queryable): Promise<ApiKeyInfo[]> {
  const r = await db.query<{ id: number; name: string; role: KeyRole; districts: string[]; created_at: Date; revoked_at: Date | null }>(
    `SELECT id, name, role, districts, created_at, revoked_at FROM api_keys ORDER BY id`);
  const areas = new Map((await districtAreas(db, staffDistrictIds({ districts: r.rows.flatMap((k) => k.districts ?? []) }))).map((a) => [a.id, keyDistrict(a)]));
  return r.rows.map((k) => ({
    id: Number(k.id), name: k.name, role: k.role, districts: k.districts ?? [],
    districtAreas: staffDistrictIds({ districts: k.districts ?? [] }).map((id) => areas.get(id)).filter((a): a is KeyDistrict => Boolean(a)),
    createdAt: k.created_at.toISOString(), revokedAt: k.revoked_at?.toISOString() ?? null,
  }));
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
