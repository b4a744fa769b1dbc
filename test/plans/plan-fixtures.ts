// Test fixtures of the action-plan tests: crimes placed inside a district with a seeded generator.
import type { Db } from '../../server/db/index.js';
import type { IncidentInput } from '../../server/ingest/write-incidents.js';

/** n crimes inside a district, spread over the days of [from, from + days), with a seeded generator. */
export async function crimes(db: Db, prefix: string, code: string, n: number, from: string, days: number, seed: number): Promise<IncidentInput[]> {
  const r = await db.query<{ x: number; y: number }>(
    `SELECT ST_X(d.geom) AS x, ST_Y(d.geom) AS y FROM areas a, ST_Dump(ST_GeneratePoints(a.geom, $2::int, $3::int)) d
     WHERE a.area_set_id = 'stadsdelar' AND a.code = $1`, [code, n, seed]);
  const t0 = Date.parse(`${from}T00:00:00Z`);
  return r.rows.map((p, i) => ({
    externalId: `${prefix}-${code}-${i}`, category: i % 2 ? 'stold' : 'misshandel',
    occurredFrom: new Date(t0 + ((i * 7919) % days) * 86_400_000 + ((i * 37) % 24) * 3_600_000), occurredTo: null,
    x: Number(p.x), y: Number(p.y), precision: 'exact' as const,
  }));
}
