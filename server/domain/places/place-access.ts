// Who may change a place. Admins: every place. Staff: places whose district is one of theirs. A staff key's
// `districts` holds stadsdel codes ("HUSBY"; the key management accepts those), and — for keys made some other
// way — names of a stadsdel or of a stadsdelsområde of 2020 or 2023 ("Husby", "Rinkeby-Kista", "Järva"); all are
// compared case-insensitively. A place's district (an area: normally a stadsdel, possibly a stadsdelsområde when
// overridden) is covered by: its own code or name, its parent code, and the code or name of every
// stadsdelsområde (2020, 2023) containing its point-on-surface — authority runs downwards only: staff of Husby do
// not get a place whose district is all of Rinkeby-Kista. A place without a district (outside the bundled
// districts) can only be changed by an admin.
import type { Queryable } from '../../db/index.js';
import type { Principal } from '../../plugins/auth.js';
import { forbidden, unauthorized } from '../../plugins/errors.js';

export const DISTRICT_PARENT_SETS = ['stadsdelsomraden-2020', 'stadsdelsomraden-2023'];

const norm = (s: string) => s.trim().toLocaleLowerCase('sv-SE');

/** Every name (lower case) under which the district area may appear in a staff key's districts. */
export async function districtScopeNames(db: Queryable, districtAreaId: number): Promise<Set<string>> {
  const r = await db.query<{ code: string; name: string; parent_code: string | null }>(
    `SELECT a.code, a.name, a.parent_code FROM areas a WHERE a.id = $1
     UNION ALL
     SELECT c.code, c.name, NULL FROM areas a JOIN areas c
       ON c.area_set_id = ANY($2::text[]) AND c.id <> a.id AND ST_Contains(c.geom, ST_PointOnSurface(a.geom))
     WHERE a.id = $1`, [districtAreaId, DISTRICT_PARENT_SETS]);
  const out = new Set<string>();
  for (const x of r.rows) for (const v of [x.code, x.name, x.parent_code]) if (v) out.add(norm(v));
  return out;
}

export async function mayEditPlaceDistrict(db: Queryable, p: Principal, districtAreaId: number | null): Promise<boolean> {
  if (p.role === 'admin') return true;
  if (p.role !== 'staff' || districtAreaId === null || !p.districts.length) return false;
  const names = await districtScopeNames(db, districtAreaId);
  return p.districts.some((d) => names.has(norm(d)));
}

/** Throws 401/403 unless the principal may change places in this district. */
export async function assertMayEditPlaceDistrict(db: Queryable, p: Principal, districtAreaId: number | null, what: string): Promise<void> {
  if (await mayEditPlaceDistrict(db, p, districtAreaId)) return;
  if (p.role === 'public') throw unauthorized('Changing places needs the staff role of the place\'s district or the admin role: send an API key or log in.');
  let name = 'no district (outside the bundled districts; only an admin may change it)';
  if (districtAreaId !== null) {
    const r = await db.query<{ code: string; name: string }>('SELECT code, name FROM areas WHERE id = $1', [districtAreaId]);
    if (r.rows.length) name = `${r.rows[0].name} (${r.rows[0].code})`;
  }
  throw forbidden(p.role === 'staff'
    ? `Your staff key covers ${p.districts.join(', ') || 'no district'}; ${what} is in ${name}.`
    : `Your role (${p.role}) may not change places; it needs staff of the place's district or admin.`);
}
