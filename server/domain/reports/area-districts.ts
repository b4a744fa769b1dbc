// Who may save and edit a lägesbild for an area. Admins and analysts: every area. Staff: areas within their districts.
// A staff key's districts are area ids; its territory is those areas plus, for a stadsdelsområde, the stadsdelar
// inside it (domain/keys/staff-districts.ts). An area is within the territory when
//   - it is one of the territory's areas, or
//   - its polygon lies within the territory's union buffered by 1 m (EPSG:3006), or
//   - every stadsdel it covers belongs to the territory. The stadsdelar an area covers are those whose interior
//     point lies inside it, or — for an area smaller than a stadsdel, such as a basområde — the stadsdel containing
//     the area's own interior point. This is for area sets from other sources (basområden), whose borders do not
//     coincide with the stadsdelar's within a metre.
// Authority runs downwards: a stadsdel key never reaches its stadsdelsområde (the område covers other stadsdelar).
import type { Queryable } from '../../db/index.js';
import { areaWithinTerritorySql, staffDistrictIds, territoryCtes } from '../keys/staff-districts.js';
import type { Principal } from '../access/principal.js';
import { REFERENCE_SETS } from '../bundled-files.js';

/** The ids of the stadsdelar an area covers (see above). */
export async function coveredDistricts(db: Queryable, areaId: number): Promise<number[]> {
  let r = await db.query<{ id: number }>(
    `WITH a AS (SELECT geom, area_set_id, code FROM areas WHERE id = $1)
     SELECT d.id FROM areas d, a
     WHERE d.area_set_id = $2 AND ((a.area_set_id = $2 AND d.code = a.code)
       OR (a.area_set_id <> $2 AND a.geom && d.geom AND ST_Intersects(a.geom, ST_PointOnSurface(d.geom))))
     ORDER BY d.id`, [areaId, REFERENCE_SETS.stadsdelar]);
  if (!r.rows.length) {
    r = await db.query<{ id: number }>(
      `SELECT d.id FROM areas d, (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE id = $1) a
       WHERE d.area_set_id = $2 AND d.geom && a.p AND ST_Intersects(d.geom, a.p) ORDER BY d.id LIMIT 1`, [areaId, REFERENCE_SETS.stadsdelar]);
  }
  return r.rows.map((x) => Number(x.id));
}

export async function mayWriteReport(db: Queryable, p: Principal, areaId: number): Promise<boolean> {
  if (p.role === 'admin' || p.role === 'analyst') return true;
  if (p.role !== 'staff') return false;
  const ids = staffDistrictIds(p);
  if (!ids.length) return false;
  const r = await db.query<{ within: boolean; members: number[] }>(
    `WITH ${territoryCtes('$1')}
     SELECT ${areaWithinTerritorySql('$2')} AS within, ARRAY(SELECT id FROM m) AS members`, [ids, areaId]);
  if (r.rows[0]?.within) return true;
  const members = new Set((r.rows[0]?.members ?? []).map(Number));
  const covered = await coveredDistricts(db, areaId);
  return covered.length > 0 && covered.every((id) => members.has(id));
}
