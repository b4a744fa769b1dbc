// Places: read and write the places table (geometry stored in EPSG:3006, served as WGS84 GeoJSON). Every write of a
// place bumps the data version: the places tile layer (and its ETag) is keyed by it. Touching updated_at (a goal or
// measure changed) does not: no cached answer shows it.
import type { Geometry } from 'geojson';
import type { Queryable } from '../../db/index.js';
import { bumpDataVersion } from '../data-version/data-version.js';
import { invalid, notFound } from '../problems.js';
import { districtForGeometry, preparePlaceGeometry } from './place-geometry.js';
import type { District, Partner, PlaceInput, PlacePatch, PlaceStatus, PlaceSummary, PlaceWithGeometry } from './place-schema.js';

// what is sent and what is served: one zod schema each (place-schema.ts), the types derived from them
export { PLACE_STATUSES } from './place-schema.js';
export type { District, Partner, PlaceInput, PlacePatch, PlaceStatus, PlaceSummary, PlaceWithGeometry };

type Row = {
  id: number; external_id: string | null; name: string; status: PlaceStatus; start_date: string | null; end_date: string | null;
  description: string; partners: Partner[]; synthetic: boolean; district_area_id: number | null; district_overridden: boolean;
  d_code: string | null; d_name: string | null; d_set: string | null; d_parent: string | null; area_m2: number;
  goal_count: number; measure_count: number; created_at: Date; updated_at: Date; gj?: string;
};

const SELECT = (withGeometry: boolean) => `
  SELECT p.id, p.external_id, p.name, p.status, p.start_date::text AS start_date, p.end_date::text AS end_date, p.description,
         p.partners, p.synthetic, p.district_area_id, p.district_overridden, d.code AS d_code, d.name AS d_name,
         d.area_set_id AS d_set, d.parent_code AS d_parent, ST_Area(p.geom) AS area_m2,
         (SELECT count(*) FROM place_goals g WHERE g.place_id = p.id)::int AS goal_count,
         (SELECT count(*) FROM place_measures m WHERE m.place_id = p.id)::int AS measure_count,
         p.created_at, p.updated_at
         ${withGeometry ? ', ST_AsGeoJSON(ST_Transform(p.geom, 4326), 6) AS gj' : ''}
  FROM places p LEFT JOIN areas d ON d.id = p.district_area_id`;

/** Partners as served; rows imported before partners were stored as { organisation, role } hold plain names. */
function partnersOf(v: unknown): Partner[] {
  return (Array.isArray(v) ? v : []).map((x) => (typeof x === 'string' ? { organisation: x, role: '' } : x as Partner));
}

function toPlace(x: Row): PlaceSummary & { geometry?: Geometry } {
  return {
    id: Number(x.id), externalId: x.external_id, name: x.name, status: x.status, startDate: x.start_date, endDate: x.end_date,
    description: x.description, partners: partnersOf(x.partners), synthetic: x.synthetic,
    district: x.district_area_id === null || x.d_code === null ? null : {
      id: Number(x.district_area_id), code: x.d_code, name: x.d_name ?? x.d_code, areaSetId: x.d_set ?? '', parentCode: x.d_parent, overridden: x.district_overridden,
    },
    areaM2: Math.round(Number(x.area_m2)), goalCount: x.goal_count, measureCount: x.measure_count,
    createdAt: new Date(x.created_at).toISOString(), updatedAt: new Date(x.updated_at).toISOString(),
    ...(x.gj ? { geometry: JSON.parse(x.gj) as Geometry } : {}),
  };
}

export type PlaceListFilter = { status?: PlaceStatus; districtAreaId?: number; synthetic?: boolean };

export async function listPlaces(db: Queryable, filter: PlaceListFilter = {}, withGeometry = false): Promise<(PlaceSummary & { geometry?: Geometry })[]> {
  const r = await db.query<Row>(`${SELECT(withGeometry)}
    WHERE ($1::text IS NULL OR p.status = $1) AND ($2::bigint IS NULL OR p.district_area_id = $2) AND ($3::boolean IS NULL OR p.synthetic = $3)
    ORDER BY p.name, p.id`, [filter.status ?? null, filter.districtAreaId ?? null, filter.synthetic ?? null]);
  return r.rows.map(toPlace);
}

export async function getPlace(db: Queryable, id: number): Promise<PlaceWithGeometry> {
  const r = await db.query<Row>(`${SELECT(true)} WHERE p.id = $1`, [id]);
  if (!r.rows.length) throw notFound(`No place ${id}. GET /api/places lists them.`);
  return toPlace(r.rows[0]) as PlaceWithGeometry;
}

/** The district a place would get: the given override (checked), else the stadsdel containing it. */
async function resolveDistrict(db: Queryable, hexEwkb: string, override: number | null | undefined): Promise<{ id: number | null; overridden: boolean }> {
  if (override === undefined) return { id: await districtForGeometry(db, hexEwkb), overridden: false };
  if (override === null) return { id: null, overridden: true };
  const r = await db.query<{ level: string }>(`SELECT s.level FROM areas a JOIN area_sets s ON s.id = a.area_set_id WHERE a.id = $1`, [override]);
  if (!r.rows.length) throw invalid(`districtAreaId: no area ${override}; GET /api/area-sets/stadsdelar/areas lists the districts.`, [{ field: 'districtAreaId', message: 'unknown area' }]);
  if (!['stadsdel', 'stadsdelsomrade'].includes(r.rows[0].level)) {
    throw invalid(`districtAreaId: area ${override} is a ${r.rows[0].level}; a place's district must be a stadsdel or stadsdelsområde.`, [{ field: 'districtAreaId', message: 'not a district' }]);
  }
  return { id: override, overridden: true };
}

function checkDates(start: string | null | undefined, end: string | null | undefined) {
  if (start && end && end < start) throw invalid(`endDate (${end}) is before startDate (${start}).`, [{ field: 'endDate', message: 'before startDate' }]);
}

/** Validates geometry and district; returns the district the place will have (for the access check) before writing. */
export async function planPlaceCreate(db: Queryable, input: PlaceInput) {
  checkDates(input.startDate, input.endDate);
  const geom = await preparePlaceGeometry(db, input.geometry);
  const district = await resolveDistrict(db, geom.hexEwkb, input.districtAreaId);
  return { geom, district };
}

export async function insertPlace(db: Queryable, input: PlaceInput, plan: Awaited<ReturnType<typeof planPlaceCreate>>): Promise<number> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO places (name, geom, district_area_id, district_overridden, partners, status, start_date, end_date, description, synthetic)
     VALUES ($1, $2::geometry, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [input.name, plan.geom.hexEwkb, plan.district.id, plan.district.overridden, JSON.stringify(input.partners ?? []),
      input.status ?? 'planned', input.startDate ?? null, input.endDate ?? null, input.description ?? '', input.synthetic ?? false]);
  await bumpDataVersion(db, 'place created');
  return Number(r.rows[0].id);
}

/** Works out what a patch changes (geometry checked, district recomputed when computed) without writing. */
export async function planPlacePatch(db: Queryable, current: PlaceWithGeometry, patch: PlacePatch) {
  const start = patch.startDate !== undefined ? patch.startDate : current.startDate;
  const end = patch.endDate !== undefined ? patch.endDate : current.endDate;
  checkDates(start, end);
  let geom: Awaited<ReturnType<typeof preparePlaceGeometry>> | null = null;
  let district: { id: number | null; overridden: boolean } | null = null;
  if (patch.geometry !== undefined) geom = await preparePlaceGeometry(db, patch.geometry);
  if (patch.districtAreaId !== undefined) {
    const hex = geom?.hexEwkb ?? (await db.query<{ hex: string }>('SELECT ST_AsHEXEWKB(geom) AS hex FROM places WHERE id = $1', [current.id])).rows[0].hex;
    district = await resolveDistrict(db, hex, patch.districtAreaId);
  } else if (geom && !current.district?.overridden) {
    district = { id: await districtForGeometry(db, geom.hexEwkb), overridden: false };
  }
  return { geom, district };
}

const COLUMN: Record<string, string> = {
  name: 'name', status: 'status', startDate: 'start_date', endDate: 'end_date', description: 'description', partners: 'partners', synthetic: 'synthetic',
};

/** Applies a planned patch; returns the names of the fields that changed. */
export async function applyPlacePatch(db: Queryable, id: number, patch: PlacePatch, plan: Awaited<ReturnType<typeof planPlacePatch>>): Promise<string[]> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  const changed: string[] = [];
  for (const [k, col] of Object.entries(COLUMN)) {
    const v = (patch as Record<string, unknown>)[k];
    if (v === undefined) continue;
    params.push(k === 'partners' ? JSON.stringify(v) : v);
    sets.push(`${col} = $${params.length}`);
    changed.push(k);
  }
  if (plan.geom) { params.push(plan.geom.hexEwkb); sets.push(`geom = $${params.length}::geometry`); changed.push('geometry'); }
  if (plan.district) {
    params.push(plan.district.id); sets.push(`district_area_id = $${params.length}`);
    params.push(plan.district.overridden); sets.push(`district_overridden = $${params.length}`);
    changed.push('districtAreaId');
  }
  if (!sets.length) return [];
  await db.query(`UPDATE places SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
  await bumpDataVersion(db, 'place edited');
  return changed;
}

export async function deletePlace(db: Queryable, id: number): Promise<void> {
  const r = await db.query('DELETE FROM places WHERE id = $1', [id]);
  if (!r.rowCount) throw notFound(`No place ${id}.`);
  await bumpDataVersion(db, 'place deleted');
}

export async function touchPlace(db: Queryable, id: number): Promise<void> {
  await db.query('UPDATE places SET updated_at = now() WHERE id = $1', [id]);
}
