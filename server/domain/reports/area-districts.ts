// Who may save and edit a lägesbild for an area. Admins and analysts: every area. Staff: areas within their districts.
// A staff key's `districts` names stadsdelar (code "HUSBY" or name "Husby") or stadsdelsområden of 2020 or 2023
// ("Rinkeby-Kista", "Järva"), compared case-insensitively (the same names places use). The area is within the
// staff's districts when the key names the area itself, or when every stadsdel the area covers is named — directly,
// through its stadsdelsområde of 2020 (its parent code) or the 2023 area containing it. The stadsdelar an area covers
// are those whose interior point lies inside it, or — for an area smaller than a stadsdel, such as a basområde — the
// stadsdel containing the area's own interior point.
import type { Queryable } from '../../db/index.js';
import type { Principal } from '../../plugins/auth.js';
import { REFERENCE_SETS } from '../../reference/bundled-files.js';

const norm = (s: string) => s.trim().toLocaleLowerCase('sv-SE');

type Covered = { id: number; names: string[] };

/** The stadsdelar an area covers, each with every name a staff key may use for it. */
export async function coveredDistricts(db: Queryable, areaId: number): Promise<Covered[]> {
  const names = `ARRAY[d.code, d.name, d.parent_code] || ARRAY(SELECT o.name FROM areas o WHERE o.area_set_id = $3 AND ST_Intersects(o.geom, ST_PointOnSurface(d.geom)))`;
  let r = await db.query<{ id: number; names: (string | null)[] }>(
    `WITH a AS (SELECT geom, area_set_id, code FROM areas WHERE id = $1)
     SELECT d.id, ${names} AS names FROM areas d, a
     WHERE d.area_set_id = $2 AND ((a.area_set_id = $2 AND d.code = a.code)
       OR (a.area_set_id <> $2 AND a.geom && d.geom AND ST_Intersects(a.geom, ST_PointOnSurface(d.geom))))
     ORDER BY d.code`, [areaId, REFERENCE_SETS.stadsdelar, REFERENCE_SETS.stadsdelsomraden2023]);
  if (!r.rows.length) {
    r = await db.query<{ id: number; names: (string | null)[] }>(
      `SELECT d.id, ${names} AS names FROM areas d, (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE id = $1) a
       WHERE d.area_set_id = $2 AND d.geom && a.p AND ST_Intersects(d.geom, a.p) LIMIT 1`,
      [areaId, REFERENCE_SETS.stadsdelar, REFERENCE_SETS.stadsdelsomraden2023]);
  }
  return r.rows.map((x) => ({ id: Number(x.id), names: x.names.filter((n): n is string => Boolean(n)).map(norm) }));
}

export async function mayWriteReport(db: Queryable, p: Principal, areaId: number): Promise<boolean> {
  if (p.role === 'admin' || p.role === 'analyst') return true;
  if (p.role !== 'staff' || !p.districts.length) return false;
  const mine = new Set(p.districts.map(norm));
  const own = await db.query<{ code: string; name: string }>('SELECT code, name FROM areas WHERE id = $1', [areaId]);
  if (own.rows.some((a) => mine.has(norm(a.code)) || mine.has(norm(a.name)))) return true;
  const covered = await coveredDistricts(db, areaId);
  return covered.length > 0 && covered.every((d) => d.names.some((n) => mine.has(n)));
}
