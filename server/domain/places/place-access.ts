// Who may change a place. Admins: every place. Staff: a place inside their districts — a staff key's districts are
// area ids (domain/keys/staff-districts.ts), and a place is inside them when
//   1. its polygon lies within the union of the key's territory (its district areas plus, for a stadsdelsområde,
//      the stadsdelar inside it) buffered by 1 m, in EPSG:3006, and
//   2. its district (the override, else the stadsdel containing it) is one of the territory's areas or lies within it.
// Authority runs downwards only: a key for a stadsdelsområde covers the stadsdelar inside it; a stadsdel key never
// covers its stadsdelsområde (so staff of the stadsdel Farsta do not get Hökarängen, which lies in the
// stadsdelsområde Farsta), and a district override cannot carry a place out of its editor's districts. A place
// without a district (outside the bundled districts) can only be changed by an admin. The check applies to the
// place as it is (update, goals, measures, delete) and as it would be (create, a new polygon or district).
import type { Queryable } from '../../db/index.js';
import { areaWithinTerritorySql, describeArea, describeDistricts, staffDistrictIds, territoryCtes } from '../keys/staff-districts.js';
import type { Principal } from '../access/principal.js';
import { forbidden } from '../problems.js';

/** The place to check: its stored polygon (placeId) or a new one (hex EWKB in 3006), and its district area id. */
export type PlaceTarget = ({ placeId: number } | { geomHex: string }) & { districtAreaId: number | null };

export type PlaceAccess = { ok: true } | { ok: false; reason: 'role' | 'no-district' | 'district' | 'polygon' };

export async function checkPlaceAccess(db: Queryable, p: Principal, target: PlaceTarget): Promise<PlaceAccess> {
  if (p.role === 'admin') return { ok: true };
  if (p.role !== 'staff') return { ok: false, reason: 'role' };
  if (target.districtAreaId === null) return { ok: false, reason: 'no-district' };
  const ids = staffDistrictIds(p);
  if (!ids.length) return { ok: false, reason: 'district' };
  const geom = 'geomHex' in target ? '$2::geometry' : '(SELECT geom FROM places WHERE id = $2)';
  const r = await db.query<{ district_ok: boolean; polygon_ok: boolean }>(
    `WITH ${territoryCtes('$1')},
       g AS (SELECT ${geom} AS g),
       e AS (SELECT ST_Expand(ST_Envelope(g), 5) AS e FROM g)
     SELECT ${areaWithinTerritorySql('$3')} AS district_ok,
       -- only the territory near the place matters for a 1 m buffer: clip it to the place's box first
       COALESCE((SELECT ST_CoveredBy((SELECT g FROM g), ST_Buffer(ST_Union(ST_Intersection(m.geom, e.e)), 1))
                 FROM m, e WHERE m.geom && e.e), false) AS polygon_ok`,
    [ids, 'geomHex' in target ? target.geomHex : target.placeId, target.districtAreaId]);
  const x = r.rows[0];
  if (!x?.district_ok) return { ok: false, reason: 'district' };
  if (!x.polygon_ok) return { ok: false, reason: 'polygon' };
  return { ok: true };
}

export async function mayEditPlace(db: Queryable, p: Principal, target: PlaceTarget): Promise<boolean> {
  return (await checkPlaceAccess(db, p, target)).ok;
}

/** Throws 401/403 unless the principal may change this place (`what` names it in the message). */
export async function assertMayEditPlace(db: Queryable, p: Principal, target: PlaceTarget, what: string): Promise<void> {
  const a = await checkPlaceAccess(db, p, target);
  if (a.ok) return;
  if (p.role === 'public') throw forbidden('Changing places needs the staff role of the place\'s district or the admin role: send an API key or log in.', true);
  if (a.reason === 'role') throw forbidden(`Your role (${p.role}) may not change places; it needs staff of the place's district or admin.`);
  const mine = await describeDistricts(db, p);
  if (a.reason === 'no-district') {
    throw forbidden(`Your staff key covers ${mine}; ${what} has no district (it lies outside the bundled districts), so only an admin may change it.`);
  }
  const district = await describeArea(db, target.districtAreaId!);
  throw forbidden(a.reason === 'district'
    ? `Your staff key covers ${mine}; ${what} is in ${district}, which is not within them.`
    : `Your staff key covers ${mine}; ${what} (district ${district}) reaches outside them: its polygon must lie within your districts.`);
}
