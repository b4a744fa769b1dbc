import type { Queryable } from '../../db/index.js';
import type { AreaSetSummary } from './area-schema.js';

export type { AreaSetSummary };

export async function listAreaSets(db: Queryable): Promise<AreaSetSummary[]> {
  const r = await db.query<{ id: string; name: string; level: string; vintage: number | null; parent_set_id: string | null; area_count: number; is_reference: boolean; has_pop: boolean }>(
    `SELECT s.id, s.name, s.level, s.vintage, s.parent_set_id, s.is_reference,
            (SELECT count(*) FROM areas a WHERE a.area_set_id = s.id)::int AS area_count,
            EXISTS (SELECT 1 FROM population p JOIN areas a ON a.id = p.area_id WHERE a.area_set_id = s.id) AS has_pop
     FROM area_sets s ORDER BY s.is_reference DESC, s.level, s.id`);
  return r.rows.map((x) => ({ id: x.id, name: x.name, level: x.level, vintage: x.vintage, parentSetId: x.parent_set_id, areaCount: x.area_count, isReference: x.is_reference, hasPopulation: x.has_pop }));
}

export async function areaSetExists(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM area_sets WHERE id = $1', [id])).rows.length > 0;
}
