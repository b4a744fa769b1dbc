// One collection per area set: its polygons with code, name, parent code, area and the latest population
// (the same figures /api/area-sets/{id}/areas gives, from listAreas). Feature id = areas.id (stable while the area
// exists); /items/{code} finds an area by its code too (e.g. /items/HUSBY).
import type { Queryable } from '../../../db/index.js';
import { listAreas } from '../../areas/list-areas.js';
import { memo } from '../../data-version/memo.js';
import { CRS84, type OgcCrs } from '../crs.js';
import { addEquals, buildWhere, pagedRows, spatialExtent, SWEDEN_BBOX, type WhereBuilder } from '../paged-query.js';
import type { ItemsQuery, OgcCollection, OgcFeature } from '../types.js';

export type AreaSetMeta = { id: string; name: string; level: string; vintage: number | null; areaCount: number };

export const AREA_QUERYABLES = {
  code: { type: 'string', title: 'Area code (stadsdelar: upper-case name, kommuner: kommunkod)' },
  name: { type: 'string', title: 'Area name' },
  parentCode: { type: 'string', title: 'Code of the enclosing area in the parent set' },
} as const;
const COLUMN: Record<string, string> = { code: 'a.code', name: 'a.name', parentCode: 'a.parent_code' };

async function queryAreas(db: Queryable, setId: string, w: WhereBuilder, crs: OgcCrs, limit: number, offset: number) {
  const [page, pop] = await Promise.all([
    pagedRows<{ id: number; code: string; name: string; parent_code: string | null; area_m2: number }>(db, {
      from: 'areas a', where: w, select: 'a.id, a.code, a.name, a.parent_code, a.area_m2', geomColumn: 'a.geom', crs,
      orderBy: 'a.id', limit, offset,
    }),
    listAreas(db, setId, false).then((rows) => new Map(rows.map((r) => [r.id, r]))),
  ]);
  return {
    numberMatched: page.numberMatched,
    features: page.rows.map((r): OgcFeature => {
      const p = pop.get(Number(r.id));
      return {
        type: 'Feature', id: Number(r.id), geometry: r.geometry,
        properties: {
          code: r.code, name: r.name, parentCode: r.parent_code, areaSetId: setId, areaKm2: Math.round(r.area_m2 / 1e4) / 100,
          population: p?.population ?? null, populationYear: p?.populationYear ?? null,
        },
      };
    }),
  };
}

/** A page of the areas of a set as features (bbox and code/name/parentCode filters); the stats collections add figures. */
export function areaFeatures(db: Queryable, setId: string, q: ItemsQuery) {
  const w = buildWhere(['a.area_set_id = $1'], [setId], q, 'a.geom');
  for (const [k, v] of Object.entries(q.filters)) if (COLUMN[k]) addEquals(w, COLUMN[k], v);
  return queryAreas(db, setId, w, q.crs, q.limit, q.offset);
}

/** One area as a feature, found by areas.id or else by code; null when the set has no such area. */
export async function areaFeature(db: Queryable, setId: string, featureId: string, crs: OgcCrs): Promise<OgcFeature | null> {
  let id: number | null = null;
  if (/^\d{1,15}$/.test(featureId)) {
    const r = await db.query<{ id: number }>('SELECT id FROM areas WHERE area_set_id = $1 AND id = $2', [setId, Number(featureId)]);
    if (r.rows.length) id = Number(r.rows[0].id);
  }
  if (id === null) {
    const r = await db.query<{ id: number }>('SELECT id FROM areas WHERE area_set_id = $1 AND code = $2', [setId, featureId]);
    if (!r.rows.length) return null;
    id = Number(r.rows[0].id);
  }
  const page = await queryAreas(db, setId, buildWhere(['a.area_set_id = $1', 'a.id = $2'], [setId, id], { bbox: null }, 'a.geom'), crs, 1, 0);
  return page.features[0] ?? null;
}

/** The set's CRS84 bbox, computed once per data version (every stats collection of the set shares it). */
export async function areaSetSpatialExtent(db: Queryable, setId: string) {
  const bbox = await memo(db, `ogc-extent|${setId}`, () => spatialExtent(db, 'geom', 'areas', 'area_set_id = $1', [setId]));
  return { bbox: [bbox ?? SWEDEN_BBOX], crs: CRS84 };
}

export function areaSetCollection(db: Queryable, set: AreaSetMeta): OgcCollection {
  return {
    id: set.id,
    title: set.name,
    description: `The ${set.areaCount} areas of "${set.name}" (level ${set.level}${set.vintage ? `, boundaries of ${set.vintage}` : ''}) with the latest population (all sexes and ages).`,
    access: 'public',
    geometryType: 'polygon',
    queryables: { ...AREA_QUERYABLES },
    datetimeMeaning: null,
    extent: async () => ({ spatial: await areaSetSpatialExtent(db, set.id) }),
    items: (q) => areaFeatures(db, set.id, q),
    item: (featureId, crs) => areaFeature(db, set.id, featureId, crs),
  };
}
