// The WHERE clause for the point incidents of a filter, shared by hotspots and tiles so both count the same rows.
// Only exact points: an incident known only to an area (geom NULL, precision ≠ exact) never lands in a cell or a tile.
// from inclusive, to exclusive, as local days (Europe/Stockholm) on occurred_from, like the day rollup.
import { LOCAL_TZ } from '../rollups/area-day-counts.js';

export type PointFilter = { source: string; categories?: string[] | null; from: string; to: string };

/**
 * Appends the filter's values to params and returns the SQL condition (alias `i` for incidents).
 * Categories are always bound (an empty array means all), so the SQL text is the same for every filter.
 */
export function pointFilterSql(f: PointFilter, params: unknown[]): string {
  params.push(f.source, f.from, f.to, f.categories?.length ? f.categories : null);
  const n = params.length;
  return `i.source = $${n - 3} AND i.precision = 'exact' AND i.geom IS NOT NULL
    AND i.occurred_from >= ($${n - 2}::date)::timestamp AT TIME ZONE '${LOCAL_TZ}'
    AND i.occurred_from < ($${n - 1}::date)::timestamp AT TIME ZONE '${LOCAL_TZ}'
    AND ($${n}::text[] IS NULL OR i.category = ANY($${n}::text[]))`;
}
