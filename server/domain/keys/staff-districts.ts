// A staff key's districts are AREA IDS (rows of `areas`, stored as decimal strings in api_keys.districts), never
// names: six stadsdelar share their name with a stadsdelsområde (Farsta, Kungsholmen, Norrmalm, Skärholmen,
// Södermalm, Östermalm), so a name cannot say which of the two a key was meant for.
//
// A district is an area of a stadsdel or stadsdelsområde set. Authority runs downwards: a key's territory is its
// areas plus, for a stadsdelsområde, every stadsdel whose interior point lies inside it (the two sources' borders
// differ by up to a few hundred metres, so "inside" cannot be read off the polygons alone). A stadsdel key never
// covers its stadsdelsområde. What lies within the territory is decided by geometry in EPSG:3006 with 1 m tolerance
// (ST_CoveredBy of the union of the territory buffered by 1 m).
//
// Key management accepts, per entry: an area id (57), `<areaSetId>:<code>` (stadsdelar:HUSBY,
// stadsdelsomraden-2023:Järva; case-insensitive; the name when no code matches), or — as before — a bare stadsdel
// code (HUSBY), which means the stadsdel only.
import type { Queryable } from '../../db/index.js';
import type { Principal } from '../access/principal.js';
import { REFERENCE_SETS } from '../bundled-files.js';

/** The area-set levels a staff district may be taken from. */
export const DISTRICT_LEVELS = ['stadsdel', 'stadsdelsomrade'] as const;

export type DistrictArea = { id: number; areaSetId: string; code: string; name: string; level: string; vintage: number | null };

/** The key's district area ids (entries that are not ids are ignored: they cover nothing). */
export function staffDistrictIds(p: Pick<Principal, 'districts'>): number[] {
  return [...new Set(p.districts.filter((d) => /^\d{1,18}$/.test(d)).map(Number).filter(Number.isSafeInteger))];
}

/**
 * SQL for two CTEs over a bigint[] parameter of district area ids: `k` (the key's district areas) and `m` (its
 * territory: those areas plus the stadsdelar whose interior point lies in one of its stadsdelsområden), each row
 * (id, geom). Append further CTEs after it with ", name AS (...)".
 */
export function territoryCtes(idsParam: string): string {
  return `k AS (
      SELECT a.id, a.geom, s.level FROM areas a JOIN area_sets s ON s.id = a.area_set_id
      WHERE a.id = ANY(${idsParam}::bigint[]) AND s.level IN ('stadsdel', 'stadsdelsomrade')),
    m AS (
      SELECT id, geom FROM k
      UNION
      SELECT d.id, d.geom FROM k JOIN areas d ON d.area_set_id = '${REFERENCE_SETS.stadsdelar}' AND k.level = 'stadsdelsomrade'
        AND d.geom && k.geom AND ST_Contains(k.geom, ST_PointOnSurface(d.geom)))`;
}

/**
 * SQL for a boolean: the area with id `areaParam` is one of the territory's areas or lies within the territory
 * (1 m tolerance). Needs the CTEs of territoryCtes.
 */
export function areaWithinTerritorySql(areaParam: string): string {
  return `(CASE WHEN ${areaParam}::bigint IN (SELECT id FROM m) THEN true
      WHEN NOT EXISTS (SELECT 1 FROM m)
        OR NOT ((SELECT geom FROM areas WHERE id = ${areaParam}::bigint) @ (SELECT ST_Expand(ST_Extent(geom)::geometry, 1) FROM m)) THEN false
      ELSE COALESCE((SELECT ST_CoveredBy((SELECT geom FROM areas WHERE id = ${areaParam}::bigint), ST_Buffer(ST_Union(m.geom), 1)) FROM m), false) END)`;
}

function label(a: DistrictArea): string {
  const kind = a.level === 'stadsdel' ? 'stadsdel' : a.level === 'stadsdelsomrade' ? `stadsdelsområde${a.vintage ? ` ${a.vintage}` : ''}` : a.level;
  return `${a.name} (${kind}, id ${a.id})`;
}

/** The district areas of these ids, in the given order (missing ids left out). */
export async function districtAreas(db: Queryable, ids: number[]): Promise<DistrictArea[]> {
  if (!ids.length) return [];
  const r = await db.query<{ id: number; area_set_id: string; code: string; name: string; level: string; vintage: number | null }>(
    `SELECT a.id, a.area_set_id, a.code, a.name, s.level, s.vintage FROM areas a JOIN area_sets s ON s.id = a.area_set_id WHERE a.id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(r.rows.map((x) => [Number(x.id), {
    id: Number(x.id), areaSetId: x.area_set_id, code: x.code, name: x.name, level: x.level, vintage: x.vintage === null ? null : Number(x.vintage),
  }]));
  return ids.map((id) => byId.get(id)).filter((a): a is DistrictArea => Boolean(a));
}

/** "Husby (stadsdel, id 88), Järva (stadsdelsområde 2023, id 46)" — the key's districts by name, for messages. */
export async function describeDistricts(db: Queryable, p: Pick<Principal, 'districts'>): Promise<string> {
  const ids = staffDistrictIds(p);
  const areas = await districtAreas(db, ids);
  const missing = ids.filter((id) => !areas.some((a) => a.id === id)).map((id) => `area ${id} (no longer exists)`);
  const all = [...areas.map(label), ...missing];
  return all.length ? all.join(', ') : 'no district';
}

/** An area's name for messages: "Hökarängen (stadsdel, id 96)". */
export async function describeArea(db: Queryable, id: number): Promise<string> {
  const [a] = await districtAreas(db, [id]);
  return a ? label(a) : `area ${id}`;
}

export type DistrictProblem = { entry: string; reason: string };

export class DistrictResolveError extends Error {
  constructor(public readonly problems: DistrictProblem[]) {
    super(`Cannot use these districts: ${problems.map((x) => `${x.entry}: ${x.reason}`).join('; ')}. A district is an area id, ` +
      `<areaSetId>:<code> (e.g. stadsdelar:HUSBY, stadsdelsomraden-2023:Järva) or a stadsdel code (HUSBY); ` +
      `GET /api/area-sets/{id}/areas lists them.`);
    this.name = 'DistrictResolveError';
  }
}

const fold = (s: string) => s.trim().toLocaleUpperCase('sv-SE');

type AreaRow = { id: number; area_set_id: string; code: string; name: string; level: string; vintage: number | null };
const AREA_SQL = `SELECT a.id, a.area_set_id, a.code, a.name, s.level, s.vintage FROM areas a JOIN area_sets s ON s.id = a.area_set_id`;
const toArea = (x: AreaRow): DistrictArea => ({
  id: Number(x.id), areaSetId: x.area_set_id, code: x.code, name: x.name, level: x.level, vintage: x.vintage === null ? null : Number(x.vintage),
});

/** Matches by code (case-insensitive), else by name, within one area set's rows. */
function pick(rows: AreaRow[], wanted: string): AreaRow[] {
  const w = fold(wanted);
  const byCode = rows.filter((r) => fold(r.code) === w);
  return byCode.length ? byCode : rows.filter((r) => fold(r.name) === w);
}

/**
 * Turns key-management entries into district areas (duplicates removed, order kept). Throws DistrictResolveError
 * naming every entry that is unknown, ambiguous, or not a stadsdel or stadsdelsområde.
 */
export async function resolveDistricts(db: Queryable, entries: (string | number)[]): Promise<DistrictArea[]> {
  const problems: DistrictProblem[] = [];
  const out = new Map<number, DistrictArea>();
  const setRows = new Map<string, AreaRow[]>();
  const rowsOf = async (setId: string) => {
    if (!setRows.has(setId)) setRows.set(setId, (await db.query<AreaRow>(`${AREA_SQL} WHERE a.area_set_id = $1 ORDER BY a.id`, [setId])).rows);
    return setRows.get(setId)!;
  };
  for (const raw of entries) {
    const entry = String(raw).trim();
    let found: AreaRow[];
    if (/^\d{1,18}$/.test(entry)) {
      found = (await db.query<AreaRow>(`${AREA_SQL} WHERE a.id = $1`, [entry])).rows;
      if (!found.length) { problems.push({ entry, reason: `no area has id ${entry}` }); continue; }
    } else if (entry.includes(':')) {
      const i = entry.indexOf(':');
      const setId = entry.slice(0, i).trim(), code = entry.slice(i + 1).trim();
      const exists = (await db.query('SELECT 1 FROM area_sets WHERE id = $1', [setId])).rows.length > 0;
      if (!exists) { problems.push({ entry, reason: `no area set "${setId}" (e.g. ${REFERENCE_SETS.stadsdelar}, ${REFERENCE_SETS.stadsdelsomraden2023})` }); continue; }
      found = pick(await rowsOf(setId), code);
      if (!found.length) { problems.push({ entry, reason: `no area "${code}" in the area set ${setId}` }); continue; }
    } else {
      // the old form: a stadsdel code, meaning the stadsdel only
      found = pick(await rowsOf(REFERENCE_SETS.stadsdelar), entry);
      if (!found.length) {
        const other: AreaRow[] = [];
        for (const s of [REFERENCE_SETS.stadsdelsomraden2023, REFERENCE_SETS.stadsdelsomraden2020]) other.push(...pick(await rowsOf(s), entry));
        problems.push({
          entry, reason: other.length
            ? `not a stadsdel; for a stadsdelsområde write ${other.map((o) => `${o.area_set_id}:${o.code} (id ${o.id})`).join(' or ')}`
            : 'no stadsdel has this code',
        });
        continue;
      }
    }
    if (found.length > 1) { problems.push({ entry, reason: `ambiguous: ${found.map((f) => `${f.area_set_id}:${f.code} (id ${f.id})`).join(', ')}; give the id` }); continue; }
    const a = toArea(found[0]);
    if (!(DISTRICT_LEVELS as readonly string[]).includes(a.level)) {
      problems.push({ entry, reason: `${a.name} (id ${a.id}) is a ${a.level} of the set ${a.areaSetId}; a staff district must be a stadsdel or stadsdelsområde` });
      continue;
    }
    out.set(a.id, a);
  }
  if (problems.length) throw new DistrictResolveError(problems);
  return [...out.values()];
}
