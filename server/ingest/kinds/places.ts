// `places` — GeoJSON of platssamverkan sites: properties id (stable key; else the name), name, partners (an array
// of names or of { organisation, role }, or "a; b" text — stored as { organisation, role } like the places API's), start_date, end_date, status (planned|active|ended; default from the dates), district (a stadsdel
// name; else found by the site's position), description, synthetic. Polygon/MultiPolygon, or a Point taken as a
// 100 m circle. Upsert by id. Only the places table is written; the places API reads it.
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { sridOf } from '../crs.js';
import { ImportFileError } from '../errors.js';
import { checkPolygonGeometry } from '../geometry-checks.js';
import { assertNoRejections, type ImportContext, type KindResult } from '../import-context.js';
import { parseBool, parseInstant } from '../parse-values.js';
import { crsMismatch, readFeatureCollection } from './geojson-file.js';
import { REFERENCE_SETS } from '../../domain/bundled-files.js';
import { bumpDataVersion } from '../../domain/data-version/data-version.js';

const POINT_RADIUS_M = 100;

export async function importPlaces(ctx: ImportContext, input: Readable): Promise<KindResult> {
  const { tx } = ctx;
  const { features, crs, crsFrom } = await readFeatureCollection(input, ctx.options.crs);
  if (!features.length) throw new ImportFileError('the FeatureCollection has no features');
  const districts = new Map((await tx.query<{ id: number; code: string; name: string }>(
    'SELECT id, code, name FROM areas WHERE area_set_id = $1', [REFERENCE_SETS.stadsdelar])).rows.flatMap((r) => [[r.code.toUpperCase(), Number(r.id)], [r.name.toUpperCase(), Number(r.id)]] as [string, number][]));
  const rows: unknown[][] = [];
  const seen = new Map<string, number>();
  const today = new Date().toISOString().slice(0, 10);
  features.forEach((f, i) => {
    const n = i + 1;
    const err = (column: string, reason: string) => ctx.errors.add({ line: n, unit: 'feature', column, reason });
    const p = (f?.properties ?? {}) as Record<string, unknown>;
    const name = typeof p.name === 'string' ? p.name.trim() : '';
    if (!name) return err('name', 'name is missing');
    if (name.length > 200) return err('name', 'name is longer than 200 characters');
    const id = String(p.id ?? f?.id ?? name).trim().slice(0, 200);
    if (seen.has(id)) return err('id', `id ${JSON.stringify(id)} is a duplicate of feature ${seen.get(id)}`);
    seen.set(id, n);
    const date = (k: string) => {
      const v = p[k];
      if (v === undefined || v === null || v === '') return { ok: true as const, value: null };
      const r = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? parseInstant(v) : { ok: false as const, reason: `${JSON.stringify(v)} is not a date (YYYY-MM-DD)` };
      return r.ok ? { ok: true as const, value: String(v).trim() } : r;
    };
    const start = date('start_date'); if (!start.ok) return err('start_date', `start_date ${start.reason}`);
    const end = date('end_date'); if (!end.ok) return err('end_date', `end_date ${end.reason}`);
    if (start.value && end.value && end.value < start.value) return err('end_date', `end_date ${end.value} is before start_date ${start.value}`);
    let status = typeof p.status === 'string' ? p.status.trim().toLowerCase() : '';
    if (status && !['planned', 'active', 'ended'].includes(status)) return err('status', `status ${JSON.stringify(p.status)} is not one of planned|active|ended`);
    if (!status) status = end.value && end.value < today ? 'ended' : start.value && start.value <= today ? 'active' : 'planned';
    const partners = partnersOf(p.partners);
    let districtId: number | null = null;
    if (typeof p.district === 'string' && p.district.trim()) {
      districtId = districts.get(p.district.trim().toUpperCase()) ?? null;
      if (districtId === null) return err('district', `district ${JSON.stringify(p.district)} is not one of the ${REFERENCE_SETS.stadsdelar} names`);
    }
    const g = f?.geometry;
    let gj: string;
    if (g && g.type === 'Point') {
      if (!Array.isArray(g.coordinates) || !g.coordinates.every(Number.isFinite)) return err('geometry', 'geometry: the point is not a finite number pair');
      gj = JSON.stringify(g);
    } else {
      const chk = checkPolygonGeometry(g ?? null);
      if (!chk.ok) return err('geometry', `geometry: ${chk.reason}`);
      gj = JSON.stringify(chk.geometry);
    }
    const bad = crsMismatch(g!, crs);
    if (bad) return err('geometry', `geometry: ${bad}; CRS taken from ${crsFrom}`);
    let synthetic = false;
    if (p.synthetic !== undefined) { const b = parseBool(String(p.synthetic)); if (!b.ok) return err('synthetic', `synthetic ${b.reason}`); synthetic = b.value; }
    if (ctx.provider === 'synthetic') synthetic = true;
    const description = typeof p.description === 'string' ? p.description.slice(0, 5000) : '';
    const hash = crypto.createHash('sha1').update(JSON.stringify([name, gj, districtId, partners, status, start.value, end.value, description, synthetic])).digest('base64');
    rows.push([n, id, name, gj, districtId, partners, status, start.value, end.value, description, synthetic, hash]);
  });
  ctx.progress(features.length);
  assertNoRejections(ctx);
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _place_import (line int, external_id text, name text, gj text, district_area_id bigint, partners jsonb,
    status text, start_date date, end_date date, description text, synthetic boolean, row_hash text) ON COMMIT DROP`);
  await tx.query('TRUNCATE _place_import');
  await tx.copyRows('_place_import', ['line', 'external_id', 'name', 'gj', 'district_area_id', 'partners', 'status', 'start_date', 'end_date', 'description', 'synthetic', 'row_hash'], rows);
  // geometry in 3006; points become circles; invalid polygons repaired only when the area changes < 0.1 %
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _place_geom (line int, raw geometry, geom geometry) ON COMMIT DROP`);
  await tx.query('TRUNCATE _place_geom');
  await tx.query(`INSERT INTO _place_geom (line, raw) SELECT line, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(gj), $1::int), 3006) FROM _place_import`, [sridOf(crs)]);
  await tx.query(`UPDATE _place_geom SET geom = ST_Multi(ST_Buffer(raw, $1, 16)) WHERE GeometryType(raw) = 'POINT'`, [POINT_RADIUS_M]);
  await tx.query(`UPDATE _place_geom SET geom = ST_Multi(raw) WHERE geom IS NULL AND ST_IsValid(raw)`);
  await tx.query(`UPDATE _place_geom SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(raw), 3)) WHERE geom IS NULL`);
  const bad = await tx.query<{ line: number }>(
    `SELECT line FROM _place_geom WHERE GeometryType(raw) <> 'POINT' AND (ST_IsEmpty(geom) OR abs(ST_Area(geom) - ST_Area(raw)) > 0.001 * greatest(ST_Area(raw), 1e-9))`);
  for (const b of bad.rows) ctx.errors.add({ line: b.line, unit: 'feature', column: 'geometry', reason: 'geometry: the polygon is invalid and cannot be repaired without changing its area by more than 0.1 %' });
  if (bad.rows.length) { assertNoRejections(ctx); await tx.query('DELETE FROM _place_geom WHERE line = ANY($1::int[])', [bad.rows.map((b) => b.line)]); }
  const r = await tx.query<{ ins: boolean }>(
    `INSERT INTO places (external_id, name, geom, district_area_id, partners, status, start_date, end_date, description, synthetic, row_hash, batch_id)
     SELECT i.external_id, i.name, g.geom,
            COALESCE(i.district_area_id, (SELECT a.id FROM areas a WHERE a.area_set_id = $2 AND ST_Covers(a.geom, ST_PointOnSurface(g.geom)) LIMIT 1)),
            i.partners, i.status, i.start_date, i.end_date, i.description, i.synthetic, i.row_hash, $1
     FROM _place_import i JOIN _place_geom g ON g.line = i.line
     ON CONFLICT (external_id) DO UPDATE SET name = EXCLUDED.name, geom = EXCLUDED.geom, district_area_id = EXCLUDED.district_area_id,
       partners = EXCLUDED.partners, status = EXCLUDED.status, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
       description = EXCLUDED.description, synthetic = EXCLUDED.synthetic, row_hash = EXCLUDED.row_hash, batch_id = EXCLUDED.batch_id, updated_at = now()
     WHERE places.row_hash IS DISTINCT FROM EXCLUDED.row_hash
     RETURNING (xmax = 0) AS ins`, [ctx.batchId, REFERENCE_SETS.stadsdelar]);
  const inserted = r.rows.filter((x) => x.ins).length;
  if (r.rows.length) await bumpDataVersion(tx, 'places imported');
  const valid = features.length - ctx.errors.count;
  return { rowsRead: features.length, inserted, updated: r.rows.length - inserted, unchanged: Math.max(0, valid - r.rows.length), notes: [`CRS from ${crsFrom}: ${crs}`] };
}

/** The partners as the places API serves them: { organisation, role }, whichever of the documented forms the file used. */
function partnersOf(v: unknown): { organisation: string; role: string }[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[;,]/) : [];
  return list.map((x) => typeof x === 'object' && x !== null
    ? { organisation: String((x as Record<string, unknown>).organisation ?? '').trim(), role: String((x as Record<string, unknown>).role ?? '').trim() }
    : { organisation: String(x).trim(), role: '' }).filter((x) => x.organisation);
}
