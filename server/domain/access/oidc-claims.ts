// Municipal sign-in (OpenID Connect): which principal an identity provider's verified claims give. The HTTP edge
// runs the authorization-code flow and hands the claims of the ID token (and, when the groups are not in it, of the
// userinfo answer) to principalFromClaims; the answer is the same { role, districts } an API key carries, or null:
// no configured group, no elevation (the public view).
//
// Groups: the claim named by groupsClaim (a dotted path for nested claims, e.g. realm_access.roles of Keycloak),
// an array of strings or one string. One role per sign-in, the first that matches in this order:
//   admin    – a group in adminGroups
//   analyst  – a group in analystGroups
//   staff    – groups that name districts: staffGroupPrefix + a district entry (trygghet-staff-HUSBY,
//              trygghet-staff-stadsdelsomraden-2023:Järva, trygghet-staff-88) and/or staffGroups, a map from a
//              group (Entra ID sends object ids) to district entries. Entries are read as key management reads them
//              (domain/keys/staff-districts.ts) and stored as area ids; an entry that names no district is ignored,
//              and staff without any district that exists get no role.
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { DistrictResolveError, resolveDistricts } from '../keys/staff-districts.js';
import type { Role } from './principal.js';

export type ClaimMapping = {
  /** the claim holding the groups; a dotted path reaches into objects */
  groupsClaim: string;
  adminGroups: string[];
  analystGroups: string[];
  /** a group starting with this names a staff district after it (null: not used) */
  staffGroupPrefix: string | null;
  /** group → district entries (area id, <areaSetId>:<code>, stadsdel code) */
  staffGroups: Record<string, string[]>;
};

export type Claims = Record<string, unknown>;

/** What the groups alone say, before districts are looked up. */
export type ClaimRole =
  | { role: 'admin' | 'analyst' }
  | { role: 'staff'; districtEntries: string[] }
  | { role: null; reason: 'no-groups' | 'no-match' };

/** The groups in the claims: the strings of the claim at the dotted path (one string: itself). */
export function groupsOf(claims: Claims, groupsClaim: string): string[] {
  let v: unknown = claims;
  for (const part of groupsClaim.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, part)) return [];
    v = (v as Record<string, unknown>)[part];
  }
  const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return [...new Set(list.filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= 256))];
}

/** Whether the claims carry the groups claim at all (else the edge asks the userinfo endpoint for it). */
export function hasGroupsClaim(claims: Claims, groupsClaim: string): boolean {
  let v: unknown = claims;
  for (const part of groupsClaim.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, part)) return false;
    v = (v as Record<string, unknown>)[part];
  }
  return v !== undefined && v !== null;
}

/** The role the groups give (admin, then analyst, then staff with the district entries of every staff group). */
export function roleFromClaims(claims: Claims, m: ClaimMapping): ClaimRole {
  const groups = groupsOf(claims, m.groupsClaim);
  if (!groups.length) return { role: null, reason: 'no-groups' };
  if (groups.some((g) => m.adminGroups.includes(g))) return { role: 'admin' };
  if (groups.some((g) => m.analystGroups.includes(g))) return { role: 'analyst' };
  const entries: string[] = [];
  for (const g of groups) {
    if (Object.hasOwn(m.staffGroups, g)) entries.push(...m.staffGroups[g]);
    if (m.staffGroupPrefix && g.startsWith(m.staffGroupPrefix) && g.length > m.staffGroupPrefix.length) entries.push(g.slice(m.staffGroupPrefix.length));
  }
  const unique = [...new Set(entries.map((e) => e.trim()).filter(Boolean))];
  return unique.length ? { role: 'staff', districtEntries: unique } : { role: null, reason: 'no-match' };
}

export type ClaimPrincipal =
  | { role: Exclude<Role, 'public'>; districts: string[]; ignoredDistricts: number }
  | { role: null; reason: 'no-groups' | 'no-match' | 'no-district' };

/**
 * The principal the claims give: role and, for staff, the district area ids (decimal strings, as api_keys stores
 * them). Entries that name no district are left out and counted (ignoredDistricts); staff left with none: null.
 */
export async function principalFromClaims(db: Queryable, claims: Claims, m: ClaimMapping): Promise<ClaimPrincipal> {
  const r = roleFromClaims(claims, m);
  if (r.role === null) return r;
  if (r.role !== 'staff') return { role: r.role, districts: [], ignoredDistricts: 0 };
  const ids: string[] = [];
  let ignored = 0;
  for (const entry of r.districtEntries) {
    try {
      for (const a of await resolveDistricts(db, [entry])) if (!ids.includes(String(a.id))) ids.push(String(a.id));
    } catch (e) {
      if (!(e instanceof DistrictResolveError)) throw e;
      ignored++;
    }
  }
  return ids.length ? { role: 'staff', districts: ids, ignoredDistricts: ignored } : { role: null, reason: 'no-district' };
}

/**
 * Who signed in, without saying who: a hash of the issuer and the subject (the IdP's stable, opaque user id).
 * Names the identity's row in api_keys and appears in the audit trail; no name, e-mail or token is kept.
 */
export function subjectHash(issuer: string, subject: string): string {
  return createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 32);
}
