// Who is asking, in the domain's terms: a role and, for staff, the district areas their key covers. How a request
// proves it (API key, session cookie) is the HTTP edge's business (the auth plugin); what a principal may see and do
// is decided here and in the domain modules that take a Principal.

export type Role = 'public' | 'analyst' | 'staff' | 'admin';
export const ROLES: Role[] = ['public', 'analyst', 'staff', 'admin'];

/**
 * districts: a staff key's district AREA IDS (decimal strings, as stored in api_keys.districts), never names; what
 * they cover is decided by geometry in domain/keys/staff-districts.ts (places: domain/places/place-access.ts).
 */
export type Principal = { role: Role; keyId: number | null; districts: string[]; via: 'none' | 'api-key' | 'session' };

export const PUBLIC: Principal = { role: 'public', keyId: null, districts: [], via: 'none' };

/** Analysts and admins see exact counts and points; the public and staff see disclosure-controlled aggregates. */
export function seesExactData(p: Principal): boolean {
  return p.role === 'analyst' || p.role === 'admin';
}
