// Who is asking, in the domain's terms: a role and, for staff, the district areas their key covers. How a request
// proves it (API key, session cookie) is the HTTP edge's business (the auth plugin); what a principal may see and do
// is decided here and in the domain modules that take a Principal.

import { z } from 'zod';

export const ROLES = ['public', 'analyst', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * districts: a staff key's district AREA IDS (decimal strings, as stored in api_keys.districts), never names; what
 * they cover is decided by geometry in domain/keys/staff-districts.ts (places: domain/places/place-access.ts).
 * The one schema of a principal (GET /api/session answers with it); the type is derived from it.
 */
export const principalSchema = z.object({
  role: z.enum(ROLES), keyId: z.number().nullable(), districts: z.array(z.string()), via: z.enum(['none', 'api-key', 'session']),
});
export type Principal = z.infer<typeof principalSchema>;

export const PUBLIC: Principal = { role: 'public', keyId: null, districts: [], via: 'none' };

/** Analysts and admins see exact counts and points; the public and staff see disclosure-controlled aggregates. */
export function seesExactData(p: Principal): boolean {
  return p.role === 'analyst' || p.role === 'admin';
}
