// Population per area of a set for the year nearest to a target year.
// A set with population of its own (e.g. basområden) uses it. A set without (stadsdelar, district areas, an imported
// custom set) gets it DERIVED from the basområden population by area-weighted overlap: each basområde's population
// is split over the areas it intersects in proportion to the intersected share of its surface
// (pop(A) = Σ_b pop(b) · |A ∩ b| / |b|). An area that basområden cover less than half of (outside Stockholm city)
// gets null — an unknown population, never a made-up rate. Responses say which: populationSource.
// The total of a year is the sum over sex × age band rows (or the 'all' row when that is all a file gave).
import type { Queryable } from '../../db/index.js';
import { memo } from '../data-version/memo.js';

export const BASOMRADEN_SET = 'basomraden';

export const POPULATION_SOURCES = ['own', 'derived-from-basomraden', 'none'] as const;
export type PopulationSource = (typeof POPULATION_SOURCES)[number];
export type AreaPopulation = { byArea: Map<number, number | null>; year: number | null; source: PopulationSource; batchIds: number[] };

const TOTAL_EXPR = `CASE WHEN bool_or(p.sex <> 'all') THEN sum(p.population) FILTER (WHERE p.sex <> 'all')
  WHEN bool_or(p.age_band IN ('all','total')) THEN sum(p.population) FILTER (WHERE p.age_band IN ('all','total'))
  ELSE sum(p.population) END`;

async function yearsOf(db: Queryable, setId: string): Promise<number[]> {
  const r = await db.query<{ year: number }>(
    `SELECT DISTINCT p.year FROM population p JOIN areas a ON a.id = p.area_id WHERE a.area_set_id = $1 ORDER BY 1`, [setId]);
  return r.rows.map((x) => Number(x.year));
}

function nearest(years: number[], target: number): number | null {
  let best: number | null = null;
  for (const y of years) if (best === null || Math.abs(y - target) < Math.abs(best - target) || (Math.abs(y - target) === Math.abs(best - target) && y > best)) best = y;
  return best;
}

export async function areaPopulation(db: Queryable, setId: string, targetYear: number, version?: number): Promise<AreaPopulation> {
  return memo(db, `population|${setId}|${targetYear}`, async () => {
    const own = await yearsOf(db, setId);
    if (own.length) {
      const year = nearest(own, targetYear)!;
      const r = await db.query<{ area_id: number; pop: number; batch: number | null }>(
        `SELECT p.area_id, ${TOTAL_EXPR}::float8 AS pop, max(p.batch_id) AS batch FROM population p JOIN areas a ON a.id = p.area_id
         WHERE a.area_set_id = $1 AND p.year = $2 GROUP BY p.area_id`, [setId, year]);
      const byArea = new Map<number, number | null>();
      const areas = await db.query<{ id: number }>('SELECT id FROM areas WHERE area_set_id = $1', [setId]);
      for (const a of areas.rows) byArea.set(Number(a.id), null);
      for (const x of r.rows) byArea.set(Number(x.area_id), Number(x.pop));
      return { byArea, year, source: 'own' as const, batchIds: [...new Set(r.rows.map((x) => x.batch).filter((b): b is number => b !== null).map(Number))] };
    }
    const baseYears = await yearsOf(db, BASOMRADEN_SET);
    if (!baseYears.length) return { byArea: new Map(), year: null, source: 'none' as const, batchIds: [] };
    const year = nearest(baseYears, targetYear)!;
    const r = await db.query<{ id: number; pop: number | null; covered: number | null; area_m2: number; batch: number | null }>(
      `WITH bp AS (
         SELECT p.area_id, ${TOTAL_EXPR}::float8 AS pop, max(p.batch_id) AS batch FROM population p JOIN areas b ON b.id = p.area_id
         WHERE b.area_set_id = $2 AND p.year = $3 GROUP BY p.area_id),
       ov AS (
         SELECT a.id, bp.pop, bp.batch, b.area_m2 AS b_m2,
                CASE WHEN ST_Covers(a.geom, b.geom) THEN b.area_m2
                     ELSE ST_Area(ST_Intersection(ST_MakeValid(a.geom), ST_MakeValid(b.geom))) END AS inter_m2
         FROM areas a JOIN areas b ON b.area_set_id = $2 AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
         JOIN bp ON bp.area_id = b.id
         WHERE a.area_set_id = $1)
       SELECT a.id, a.area_m2, sum(ov.pop * ov.inter_m2 / NULLIF(ov.b_m2, 0)) AS pop, sum(ov.inter_m2) AS covered, max(ov.batch) AS batch
       FROM areas a LEFT JOIN ov ON ov.id = a.id WHERE a.area_set_id = $1 GROUP BY a.id, a.area_m2`, [setId, BASOMRADEN_SET, year]);
    const byArea = new Map<number, number | null>();
    for (const x of r.rows) {
      const ok = x.pop !== null && x.covered !== null && Number(x.covered) >= 0.5 * Number(x.area_m2);
      byArea.set(Number(x.id), ok ? Math.round(Number(x.pop)) : null);
    }
    const batchIds = [...new Set(r.rows.map((x) => x.batch).filter((b): b is number => b !== null).map(Number))];
    return { byArea, year, source: 'derived-from-basomraden' as const, batchIds };
  }, version);
}
