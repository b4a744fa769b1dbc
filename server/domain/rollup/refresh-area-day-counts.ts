// Maintains area_day_counts: incidents per area × local day × source × category for every area set.
// Called inside the import transaction: after incidents change (for the touched days) and after an area set
// is (re)imported (for that set, all days). Point incidents are placed by point-in-polygon against the
// subdivided area pieces; incidents known only to an area (precision district/municipality…) are placed in a
// set's area only when that area contains the known area (≥ 95 % of it) — never spread over sub-areas.
import type { Queryable } from '../../db/index.js';

export const LOCAL_TZ = 'Europe/Stockholm';

export type RollupScope = {
  areaSetIds?: string[];
  sources?: string[];
  /** Inclusive local-day range; omit for all days. */
  dayFrom?: string;
  dayTo?: string;
};

/** The containment of imprecise incidents' known areas in the areas of a set (shared with the stats domain). */
export const CONTAINMENT_SQL = `
  SELECT loc.id AS location_area_id, a.id AS area_id, a.area_set_id
  FROM (SELECT id, geom, area_m2 FROM areas
        WHERE id IN (SELECT DISTINCT location_area_id FROM incidents WHERE geom IS NULL AND location_area_id IS NOT NULL) OFFSET 0) loc
  JOIN areas a ON a.geom && loc.geom AND ST_Covers(a.geom, ST_PointOnSurface(loc.geom))
  WHERE ST_Area(ST_Intersection(a.geom, loc.geom)) >= 0.95 * loc.area_m2`;
// (the OFFSET 0 keeps the planner from computing intersections for every pair of areas before the filter)

export async function refreshAreaDayCounts(tx: Queryable, scope: RollupScope = {}): Promise<void> {
  const sets = scope.areaSetIds ?? (await tx.query<{ id: string }>('SELECT id FROM area_sets')).rows.map((r) => r.id);
  if (!sets.length) return;
  const params: unknown[] = [sets];
  const cond: string[] = [];
  const delCond: string[] = ['area_set_id = ANY($1)'];
  if (scope.sources?.length) {
    params.push(scope.sources);
    cond.push(`i.source = ANY($${params.length})`);
    delCond.push(`source = ANY($${params.length})`);
  }
  if (scope.dayFrom) {
    params.push(scope.dayFrom);
    cond.push(`i.occurred_from >= ($${params.length}::date)::timestamp AT TIME ZONE '${LOCAL_TZ}'`);
    delCond.push(`day >= $${params.length}::date`);
  }
  if (scope.dayTo) {
    params.push(scope.dayTo);
    cond.push(`i.occurred_from < ($${params.length}::date + 1)::timestamp AT TIME ZONE '${LOCAL_TZ}'`);
    delCond.push(`day <= $${params.length}::date`);
  }
  const where = cond.length ? ' AND ' + cond.join(' AND ') : '';
  await tx.query(`DELETE FROM area_day_counts WHERE ${delCond.join(' AND ')}`, params);
  // Many points: loop over the area pieces (each piece tested against all its points in a row, so PostGIS reuses
  // the piece's prepared geometry: ~7x faster). Few points: loop over the points (index on source, time).
  const many = (await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM incidents i WHERE i.geom IS NOT NULL AND cardinality($1::text[]) > 0${where} LIMIT 5001) t`, params)).rows[0].n > 5000;
  const pointsSql = many
    ? `SELECT a.area_set_id, p.area_id, i.source, i.category, (i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date AS day
       FROM area_pieces p
       JOIN areas a ON a.id = p.area_id
       CROSS JOIN LATERAL (SELECT i.source, i.category, i.occurred_from FROM incidents i
         WHERE i.geom && p.geom AND ST_Intersects(p.geom, i.geom)${where} OFFSET 0) i
       WHERE a.area_set_id = ANY($1)`
    : `SELECT a.area_set_id, p.area_id, i.source, i.category, (i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date AS day
       FROM incidents i
       JOIN area_pieces p ON p.geom && i.geom AND ST_Intersects(p.geom, i.geom)
       JOIN areas a ON a.id = p.area_id
       WHERE i.geom IS NOT NULL AND a.area_set_id = ANY($1)${where}`;
  await tx.query(
    `INSERT INTO area_day_counts (area_set_id, area_id, source, category, day, n)
     SELECT area_set_id, area_id, source, category, day, count(*)::int FROM (
       ${pointsSql}
       UNION ALL
       SELECT c.area_set_id, c.area_id, i.source, i.category, (i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date
       FROM incidents i
       JOIN (${CONTAINMENT_SQL}) c ON c.location_area_id = i.location_area_id
       WHERE i.geom IS NULL AND c.area_set_id = ANY($1)${where}
     ) placed
     GROUP BY area_set_id, area_id, source, category, day`,
    params,
  );
}

export async function bumpDataVersion(tx: Queryable): Promise<number> {
  const r = await tx.query<{ value: string }>(
    `UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'data_version' RETURNING value`,
  );
  return Number(r.rows[0]?.value ?? 0);
}

export async function dataVersion(db: Queryable): Promise<number> {
  const r = await db.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'data_version'`);
  return Number(r.rows[0]?.value ?? 0);
}
