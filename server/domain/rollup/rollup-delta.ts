// Changes area_day_counts by exactly what an incident write changed, inside the writer's transaction:
//   +1 in every area (of every set) of each row being inserted or changed — placed when it was staged;
//   −1 in every area of the stored version of each row being changed or removed — placed here, by the same
//      AreaLocator, so a count can never be taken from an area it was not added to.
// Rows known only to an area go through containmentSql instead. Cost grows with the rows written, not with the days
// they touch or the data already stored.
import type { Queryable } from '../../db/index.js';
import type { AreaLocator } from './area-locator.js';
import { eachIncidentPage } from './incident-pages.js';
import { containmentSql, LOCAL_TZ } from './refresh-area-day-counts.js';

const DAY = (col: string) => `(${col} AT TIME ZONE '${LOCAL_TZ}')::date`;

/** Creates (once per transaction) and empties the delta tables. */
export async function openRollupDelta(tx: Queryable): Promise<void> {
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _rollup_sum (source text, area_id bigint, category text, day date, n integer) ON COMMIT DROP`);
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _rollup_old (area_ids bigint[], location_area_id bigint, source text, category text, occurred_from timestamptz) ON COMMIT DROP`);
  await tx.query('TRUNCATE _rollup_sum, _rollup_old');
}

/** A PostgreSQL array literal of area ids (COPY text), or null for an incident without a point. */
export function areaIdsLiteral(locator: AreaLocator, x: number | null | undefined, y: number | null | undefined): string | null {
  if (x === null || x === undefined || y === null || y === undefined) return null;
  return `{${locator.areasAt(x, y).join(',')}}`;
}

/**
 * Records −1 for the stored version of every incident of `from` (incidents, or a temp table of the same columns)
 * matching `where`: call before those rows are changed or deleted.
 */
export async function subtractIncidents(tx: Queryable, locator: AreaLocator, where: string, params: unknown[], from = 'incidents'): Promise<number> {
  let n = 0;
  await eachIncidentPage(tx, where, params, async (rows) => {
    n += rows.length;
    await tx.copyRows('_rollup_old', ['area_ids', 'location_area_id', 'source', 'category', 'occurred_from'],
      rows.map((r) => [areaIdsLiteral(locator, r.x, r.y), r.location_area_id, r.source, r.category, r.occurred_from]));
  }, from);
  if (!n) return 0;
  await tx.query(
    `INSERT INTO _rollup_sum (source, area_id, category, day, n)
     SELECT source, area_id, category, day, -count(*)::int FROM (
       SELECT o.source, unnest(o.area_ids) AS area_id, o.category, ${DAY('o.occurred_from')} AS day FROM _rollup_old o WHERE o.area_ids IS NOT NULL
       UNION ALL
       SELECT o.source, c.area_id, o.category, ${DAY('o.occurred_from')} FROM _rollup_old o
       JOIN (${containmentSql('SELECT DISTINCT location_area_id FROM _rollup_old WHERE area_ids IS NULL AND location_area_id IS NOT NULL')}) c
         ON c.location_area_id = o.location_area_id
       WHERE o.area_ids IS NULL
     ) t GROUP BY source, area_id, category, day`);
  await tx.query('TRUNCATE _rollup_old');
  return n;
}

/**
 * Records +1 for every staged row (_incident_stage, area_ids placed when staged) that is not stored with the same
 * content yet — the rows the coming upsert inserts or changes. Call before the upsert.
 */
export async function addChangedStagedRows(tx: Queryable, source: string, provider: string): Promise<void> {
  const changed = `NOT EXISTS (SELECT 1 FROM incidents i WHERE i.source = $1 AND i.provider = $2 AND i.external_id = s.external_id AND i.row_hash = s.row_hash)`;
  await tx.query(
    `INSERT INTO _rollup_sum (source, area_id, category, day, n)
     SELECT $1, area_id, category, day, count(*)::int FROM (
       SELECT unnest(s.area_ids) AS area_id, s.category, ${DAY('s.occurred_from')} AS day FROM _incident_stage s
       WHERE s.area_ids IS NOT NULL AND ${changed}
       UNION ALL
       SELECT c.area_id, s.category, ${DAY('s.occurred_from')} FROM _incident_stage s
       JOIN (${containmentSql('SELECT DISTINCT location_area_id FROM _incident_stage WHERE area_ids IS NULL AND location_area_id IS NOT NULL')}) c
         ON c.location_area_id = s.location_area_id
       WHERE s.area_ids IS NULL AND ${changed}
     ) t GROUP BY area_id, category, day`, [source, provider]);
}

/** Applies the recorded changes to area_day_counts (rows that reach 0 are removed). */
export async function applyRollupDelta(tx: Queryable): Promise<void> {
  await tx.query(
    `INSERT INTO area_day_counts (area_set_id, area_id, source, category, day, n)
     SELECT a.area_set_id, r.area_id, r.source, r.category, r.day, sum(r.n)::int
     FROM _rollup_sum r JOIN areas a ON a.id = r.area_id
     GROUP BY a.area_set_id, r.area_id, r.source, r.category, r.day HAVING sum(r.n) <> 0
     ORDER BY 1, 3, 5, 4, 2 -- in the unique index's order: its pages fill one after another
     ON CONFLICT (area_set_id, source, day, category, area_id) DO UPDATE SET n = area_day_counts.n + EXCLUDED.n`);
  await tx.query(
    `DELETE FROM area_day_counts c USING (
       SELECT DISTINCT a.area_set_id, r.area_id, r.source, r.category, r.day FROM _rollup_sum r JOIN areas a ON a.id = r.area_id WHERE r.n < 0) z
     WHERE c.area_set_id = z.area_set_id AND c.source = z.source AND c.day = z.day AND c.category = z.category AND c.area_id = z.area_id AND c.n <= 0`);
  await tx.query('TRUNCATE _rollup_sum');
}
