// Reads incidents in pages of ascending id (keyset paging: each page is an index range, memory stays bounded),
// for the rollup work that places points in Node.
import type { Queryable } from '../../db/index.js';

export type IncidentPoint = {
  id: number; source: string; category: string; occurred_from: Date; location_area_id: number | null; x: number | null; y: number | null;
};

const PAGE = 50_000;

/**
 * Calls fn with each page of incidents matching `where` (alias i; parameters from $1, the page cursor is appended).
 * `from`: the incidents table, or a temporary table of the same columns (id, source, category, occurred_from,
 * location_area_id, geom).
 */
export async function eachIncidentPage(tx: Queryable, where: string, params: unknown[], fn: (rows: IncidentPoint[]) => Promise<void>, from = 'incidents'): Promise<void> {
  let after = 0;
  for (;;) {
    const r = await tx.query<IncidentPoint>(
      `SELECT i.id, i.source, i.category, i.occurred_from, i.location_area_id, ST_X(i.geom) AS x, ST_Y(i.geom) AS y
       FROM ${from} i WHERE (${where}) AND i.id > $${params.length + 1} ORDER BY i.id LIMIT ${PAGE}`, [...params, after]);
    if (!r.rows.length) return;
    await fn(r.rows);
    after = Number(r.rows[r.rows.length - 1].id);
    if (r.rows.length < PAGE) return;
  }
}
