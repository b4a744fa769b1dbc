// Creates or replaces one area set inside the caller's transaction: validates and (only when safe) repairs
// each polygon, upserts areas by code (so re-importing the same file changes nothing), removes areas no longer
// present, rebuilds the subdivided pieces of changed areas and the rollup for the set.
import type { Polygon, MultiPolygon } from 'geojson';
import type { Queryable } from '../db/index.js';
import { AreaLocator } from '../domain/rollups/area-locator.js';
import { bumpDataVersion } from '../domain/data-version/data-version.js';
import { refreshAreaSetCounts } from '../domain/rollups/rollup-delta.js';
import { ImportRejectedError, type RowError } from './errors.js';
import { SWEDEN_3006 } from './geometry-checks.js';

export type AreaLevel = 'county' | 'kommun' | 'stadsdelsomrade' | 'stadsdel' | 'basomrade' | 'valdistrikt' | 'custom';

export type AreaFeatureInput = { line: number; code: string; name: string; parentCode?: string | null; geometry: Polygon | MultiPolygon };

export type AreaSetInput = {
  id: string;
  name: string;
  level: AreaLevel;
  vintage?: number | null;
  parentSetId?: string | null;
  source?: string | null;
  isReference?: boolean;
  batchId?: number | null;
  srid: number;
  features: AreaFeatureInput[];
  skipInvalid?: boolean;
};

export type AreaSetResult = { read: number; inserted: number; updated: number; unchanged: number; deleted: number; rejected: RowError[] };

/** Repair is safe when it keeps the area within 0.1 %. */
const MAX_REPAIR_AREA_CHANGE = 0.001;

export async function writeAreaSet(tx: Queryable, input: AreaSetInput): Promise<AreaSetResult> {
  const rejected: RowError[] = [];
  const seen = new Map<string, number>();
  for (const f of input.features) {
    const prev = seen.get(f.code);
    if (prev !== undefined) rejected.push({ line: f.line, unit: 'feature', column: 'code', reason: `code "${f.code}" is a duplicate (first on feature ${prev})` });
    else seen.set(f.code, f.line);
  }
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _area_stage (line int, code text, name text, parent_code text, gj text) ON COMMIT DROP`);
  await tx.query(`TRUNCATE _area_stage`);
  await tx.copyRows('_area_stage', ['line', 'code', 'name', 'parent_code', 'gj'],
    input.features.map((f) => [f.line, f.code, f.name, f.parentCode ?? null, JSON.stringify(f.geometry)]));
  // Transform and measure without GEOS first; then repair only the invalid ones.
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _area_geom (line int, code text, name text, parent_code text, raw geometry, ok boolean, reason text, geom geometry) ON COMMIT DROP`);
  await tx.query(`TRUNCATE _area_geom`);
  await tx.query(
    `INSERT INTO _area_geom (line, code, name, parent_code, raw)
     SELECT line, code, name, parent_code, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(gj), $1::int), 3006) FROM _area_stage`,
    [input.srid],
  );
  const ext = SWEDEN_3006;
  await tx.query(
    `UPDATE _area_geom SET ok = false, reason = 'coordinates fall outside Sweden after transforming from EPSG:' || $5 || ' (wrong --crs?)'
     WHERE ST_XMin(raw) < $1 OR ST_XMax(raw) > $2 OR ST_YMin(raw) < $3 OR ST_YMax(raw) > $4`,
    [ext.minX, ext.maxX, ext.minY, ext.maxY, String(input.srid)],
  );
  await tx.query(`UPDATE _area_geom SET ok = ST_IsValid(raw) WHERE ok IS NULL`);
  await tx.query(`UPDATE _area_geom SET geom = ST_Multi(raw) WHERE ok`);
  await tx.query(
    `UPDATE _area_geom SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(raw), 3)) WHERE ok = false AND reason IS NULL`,
  );
  await tx.query(
    `UPDATE _area_geom SET reason = 'invalid polygon (' || ST_IsValidReason(raw) || ') and repairing it would change its area by '
        || round((100 * abs(ST_Area(geom) - abs(ST_Area(raw))) / greatest(abs(ST_Area(raw)), 1e-9))::numeric, 2) || ' %'
     WHERE ok = false AND reason IS NULL AND (ST_IsEmpty(geom) OR abs(ST_Area(geom) - ST_Area(raw)) > $1 * greatest(ST_Area(raw), 1e-9))`,
    [MAX_REPAIR_AREA_CHANGE],
  );
  await tx.query(`UPDATE _area_geom SET reason = 'polygon has no area' WHERE reason IS NULL AND (geom IS NULL OR ST_IsEmpty(geom) OR ST_Area(geom) <= 0)`);
  const bad = await tx.query<{ line: number; reason: string }>(`SELECT line, reason FROM _area_geom WHERE reason IS NOT NULL ORDER BY line`);
  for (const b of bad.rows) rejected.push({ line: b.line, unit: 'feature', column: 'geometry', reason: `geometry: ${b.reason}` });
  rejected.sort((a, b) => a.line - b.line);
  if (rejected.length && !input.skipInvalid) throw new ImportRejectedError(rejected);

  await tx.query(
    `INSERT INTO area_sets (id, name, level, vintage, parent_set_id, source, is_reference, batch_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, vintage = EXCLUDED.vintage,
       parent_set_id = EXCLUDED.parent_set_id, source = EXCLUDED.source`,
    [input.id, input.name, input.level, input.vintage ?? null, input.parentSetId ?? null, input.source ?? null, input.isReference ?? false, input.batchId ?? null],
  );
  const badLines = rejected.map((r) => r.line);
  const up = await tx.query<{ id: number; inserted: boolean }>(
    `INSERT INTO areas (area_set_id, code, name, parent_code, geom, area_m2)
     SELECT DISTINCT ON (code) $1, code, name, parent_code, geom, ST_Area(geom) FROM _area_geom
     WHERE reason IS NULL AND NOT (line = ANY($2::int[])) ORDER BY code, line
     ON CONFLICT (area_set_id, code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
       geom = EXCLUDED.geom, area_m2 = EXCLUDED.area_m2
     WHERE areas.name IS DISTINCT FROM EXCLUDED.name OR areas.parent_code IS DISTINCT FROM EXCLUDED.parent_code
        OR NOT ST_OrderingEquals(areas.geom, EXCLUDED.geom)
     RETURNING id, (xmax = 0) AS inserted`,
    [input.id, badLines],
  );
  const del = await tx.query(
    `DELETE FROM areas WHERE area_set_id = $1 AND code NOT IN (SELECT code FROM _area_geom WHERE reason IS NULL)`,
    [input.id],
  );
  const inserted = up.rows.filter((r) => r.inserted).length;
  const updated = up.rows.length - inserted;
  const valid = input.features.length - rejected.length;
  if (up.rows.length) {
    const ids = up.rows.map((r) => Number(r.id));
    await tx.query(`DELETE FROM area_pieces WHERE area_id = ANY($1::bigint[])`, [ids]);
    await tx.query(
      `INSERT INTO area_pieces (area_id, geom) SELECT id, ST_Subdivide(geom, 96) FROM areas WHERE id = ANY($1::bigint[])`,
      [ids],
    );
  }
  if (up.rows.length || del.rowCount) {
    AreaLocator.forget(tx); // its pieces changed
    await refreshAreaSetCounts(tx, input.id);
    await bumpDataVersion(tx, `areas of set ${input.id} changed`);
  }
  return { read: input.features.length, inserted, updated, unchanged: valid - up.rows.length, deleted: del.rowCount, rejected };
}
