// Changes area_day_counts by exactly what an incident write changed, inside the writer's transaction:
//   +1 in every area (of every set) of each row being inserted or changed — placed when it was staged;
//   −1 in every area of the stored version of each row being changed or removed — placed here, by the same
//      AreaLocator, so a count can never be taken from an area it was not added to.
// An area-set import counts all stored rows into its one set the same way (+1, a locator of that set only).
// Rows known only to an area go through containmentSql instead. Cost grows with the rows written, not with the days
// they touch or the data already stored.
import type { Queryable } from '../../db/index.js';
import { lockRollupWriters } from '../../db/write-locks.js';
import { AreaLocator } from './area-locator.js';
import { eachIncidentPage } from './incident-pages.js';
import { containmentSql, LOCAL_TZ } from './area-day-counts.js';

const DAY = (col: string) => `(${col} AT TIME ZONE '${LOCAL_TZ}')::date`;

/** Creates (once per transaction) and empties the delta tables. */
export async function openRollupDelta(tx: Queryable): Promise<void> {
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _rollup_sum (source text, area_id bigint, category text, day date, n integer) ON COMMIT DROP`);
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _rollup_placed (area_ids bigint[], location_area_id bigint, source text, category text, occurred_from timestamptz) ON COMMIT DROP`);
  await tx.query('TRUNCATE _rollup_sum, _rollup_placed');
}

/** A PostgreSQL array literal of area ids (COPY text), or null for an incident without a point. */
export function areaIdsLiteral(locator: AreaLocator, x: number | null | undefined, y: number | null | undefined): string | null {
  if (x === null || x === undefined || y === null || y === undefined) return null;
  return `{${locator.areasAt(x, y).join(',')}}`;
}

/**
 * Adds sign × 1 per area to _rollup_sum for the rows of a table with (area_ids, location_area_id, category,
 * occurred_from): points by the area ids placed in Node, rows known only to an area by containment in the sets of
 * `sets`. `source` and `where` are SQL over alias t; params are numbered from $1, the sets are appended.
 */
async function sumPlacedRows(tx: Queryable, q: { from: string; source: string; where: string; params: unknown[]; sign: 1 | -1; sets: readonly string[] }): Promise<void> {
  const setsParam = `$${q.params.length + 1}::text[]`;
  const locations = `SELECT DISTINCT location_area_id FROM ${q.from} WHERE area_ids IS NULL AND location_area_id IS NOT NULL`;
  await tx.query(
    `INSERT INTO _rollup_sum (source, area_id, category, day, n)
     SELECT source, area_id, category, day, ${q.sign} * count(*)::int FROM (
       SELECT ${q.source} AS source, unnest(t.area_ids) AS area_id, t.category, ${DAY('t.occurred_from')} AS day
       FROM ${q.from} t WHERE t.area_ids IS NOT NULL AND ${q.where}
       UNION ALL
       SELECT ${q.source}, c.area_id, t.category, ${DAY('t.occurred_from')}
       FROM ${q.from} t JOIN (${containmentSql(locations)}) c ON c.location_area_id = t.location_area_id AND c.area_set_id = ANY(${setsParam})
       WHERE t.area_ids IS NULL AND ${q.where}
     ) s GROUP BY source, area_id, category, day`, [...q.params, q.sets]);
}

/**
 * Records sign × 1 in every area of the locator's sets for each incident of `from` (incidents, or a temp table of the
 * same columns) matching `where` (alias i). −1 before rows are changed or deleted; +1 to count stored rows into a set.
 */
export async function placeIncidents(tx: Queryable, locator: AreaLocator, sign: 1 | -1, where: string, params: unknown[], from = 'incidents'): Promise<number> {
  let n = 0;
  await eachIncidentPage(tx, where, params, async (rows) => {
    n += rows.length;
    await tx.copyRows('_rollup_placed', ['area_ids', 'location_area_id', 'source', 'category', 'occurred_from'],
      rows.map((r) => [areaIdsLiteral(locator, r.x, r.y), r.location_area_id, r.source, r.category, r.occurred_from]));
  }, from);
  if (!n) return 0;
  await sumPlacedRows(tx, { from: '_rollup_placed', source: 't.source', where: 'true', params: [], sign, sets: locator.setIds });
  await tx.query('TRUNCATE _rollup_placed');
  return n;
}

/**
 * Records +1 for every staged row (_incident_stage, area_ids placed when staged) that is not stored with the same
 * content yet — the rows the coming upsert inserts or changes. Call before the upsert.
 */
export async function addChangedStagedRows(tx: Queryable, locator: AreaLocator, source: string, provider: string): Promise<void> {
  await sumPlacedRows(tx, {
    from: '_incident_stage', source: '$1::text', sign: 1, sets: locator.setIds, params: [source, provider],
    where: 'NOT EXISTS (SELECT 1 FROM incidents i WHERE i.source = $1 AND i.provider = $2 AND i.external_id = t.external_id AND i.row_hash = t.row_hash)',
  });
}

/** Applies the recorded changes to area_day_counts (rows that reach 0 are removed). */
export async function applyRollupDelta(tx: Queryable): Promise<void> {
  await lockRollupWriters(tx);
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _rollup_delta (area_set_id text, area_id bigint, source text, category text, day date, n integer) ON COMMIT DROP`);
  await tx.query('TRUNCATE _rollup_delta');
  await tx.query(
    `INSERT INTO _rollup_delta (area_set_id, area_id, source, category, day, n)
     SELECT a.area_set_id, r.area_id, r.source, r.category, r.day, sum(r.n)::int
     FROM _rollup_sum r JOIN areas a ON a.id = r.area_id
     GROUP BY a.area_set_id, r.area_id, r.source, r.category, r.day HAVING sum(r.n) <> 0
     ORDER BY 1, 3, 5, 4, 2 -- in the unique index's order: the new rows then fill its pages one after another`);
  const KEY = 'c.area_set_id = d.area_set_id AND c.source = d.source AND c.day = d.day AND c.category = d.category AND c.area_id = d.area_id';
  // existing keys in place, then the new ones (plain UPDATE + INSERT: no other writer runs, see write-locks.ts)
  await tx.query(`UPDATE area_day_counts c SET n = c.n + d.n FROM _rollup_delta d WHERE ${KEY}`);
  await tx.query(
    `INSERT INTO area_day_counts (area_set_id, area_id, source, category, day, n)
     SELECT d.area_set_id, d.area_id, d.source, d.category, d.day, d.n FROM _rollup_delta d
     WHERE NOT EXISTS (SELECT 1 FROM area_day_counts c WHERE ${KEY})`);
  await tx.query(`DELETE FROM area_day_counts c USING _rollup_delta d WHERE d.n < 0 AND ${KEY} AND c.n <= 0`);
  await tx.query('TRUNCATE _rollup_sum, _rollup_delta');
}

/** Recounts one area set over all incidents (after the set was imported or changed), inside the caller's transaction. */
export async function refreshAreaSetCounts(tx: Queryable, setId: string): Promise<void> {
  // before the DELETE: an incident import still open may hold uncommitted rows of this set, which the DELETE would
  // not see and the recount would then add to; waiting for it means its rows are deleted and recounted too
  await lockRollupWriters(tx);
  await tx.query('DELETE FROM area_day_counts WHERE area_set_id = $1', [setId]);
  await openRollupDelta(tx);
  await placeIncidents(tx, await AreaLocator.load(tx, [setId]), 1, 'true', []);
  await applyRollupDelta(tx);
}
