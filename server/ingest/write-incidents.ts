// Upserts validated incident rows of one source inside the caller's transaction and keeps the rollup current.
// Rows are keyed by (source, provider, external_id): the same file imported twice changes nothing the second
// time (row_hash equal), a changed row is updated. Bulk path: COPY into a temp table, then one UPDATE of the changed
// rows and one INSERT of the new ones.
import crypto from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { lockIncidentWriters } from '../db/write-locks.js';
import { AreaLocator } from '../domain/rollups/area-locator.js';
import { bumpDataVersion } from '../domain/data-version/data-version.js';
import { addChangedStagedRows, applyRollupDelta, areaIdsLiteral, openRollupDelta, placeIncidents } from '../domain/rollups/rollup-delta.js';
import type { Source } from '../../shared/sources.js';

export type Precision = 'exact' | 'area' | 'basomrade' | 'district' | 'municipality' | 'county';

export type IncidentInput = {
  externalId: string;
  category: string;
  occurredFrom: Date;
  occurredTo?: Date | null;
  /** A point in EPSG:3006 (already transformed), or null when only an area is known. */
  x?: number | null;
  y?: number | null;
  /** The area the incident is only known to lie in (areas.id), when there is no point. */
  locationAreaId?: number | null;
  precision: Precision;
  confirmed?: boolean | null;
  status?: string | null;
  attrs?: Record<string, unknown> | null;
  /** The file line the row came from (for duplicate-id errors); not stored. */
  line?: number | null;
};

export type WriteResult = { inserted: number; updated: number; unchanged: number };

// one-shot hashing (crypto.hash, Node ≥ 20.12) is ~2× faster per row than createHash().update().digest()
const sha1Base64: (s: string) => string = typeof (crypto as { hash?: unknown }).hash === 'function'
  ? (s) => (crypto as unknown as { hash: (a: string, d: string, e: string) => string }).hash('sha1', s, 'base64')
  : (s) => crypto.createHash('sha1').update(s).digest('base64');

/**
 * The content hash a re-import compares (unchanged since the first release: stored rows keep matching). from and to
 * are the row's times as ISO strings, formatted once by the caller, which stages the same strings.
 */
function rowHash(r: IncidentInput, from: string, to: string | null): string {
  return sha1Base64(JSON.stringify([
    r.category, from, to, r.x ?? null, r.y ?? null,
    r.locationAreaId ?? null, r.precision, r.confirmed ?? null, r.status ?? null, r.attrs ?? null,
  ]));
}

/** The staged point as a geometry (x, y are EPSG:3006), or null for a row known only to an area. */
const STAGED_GEOM = 'CASE WHEN s.x IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(s.x, s.y), 3006) END';

const STAGE_COLUMNS = ['line', 'external_id', 'category', 'occurred_from', 'occurred_to', 'x', 'y', 'location_area_id', 'precision', 'confirmed', 'status', 'attrs', 'row_hash', 'area_ids'];

/** Creates (once per transaction) and empties the staging table; loads the transaction's area locator. */
export async function prepareIncidentStage(tx: Queryable): Promise<void> {
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _incident_stage (
    line integer, external_id text, category text, occurred_from timestamptz, occurred_to timestamptz, x double precision, y double precision,
    location_area_id bigint, precision text, confirmed boolean, status text, attrs jsonb, row_hash text, area_ids bigint[]) ON COMMIT DROP`);
  await tx.query('TRUNCATE _incident_stage');
  await AreaLocator.forTransaction(tx);
}

/**
 * Stages rows (call repeatedly for streaming input); returns how many were staged. Each point is placed in the
 * areas of every set here, while the file is still being read (area_ids, used by the rollup delta).
 */
export async function stageIncidents(tx: Queryable, rows: Iterable<IncidentInput>): Promise<number> {
  const locator = await AreaLocator.forTransaction(tx);
  function* lines() {
    for (const r of rows) {
      const from = r.occurredFrom.toISOString(), to = r.occurredTo ? r.occurredTo.toISOString() : null;
      yield [r.line ?? null, r.externalId, r.category, from, to, r.x ?? null, r.y ?? null, r.locationAreaId ?? null,
        r.precision, r.confirmed ?? null, r.status ?? null, r.attrs ?? null, rowHash(r, from, to), areaIdsLiteral(locator, r.x, r.y)];
    }
  }
  return tx.copyRows('_incident_stage', STAGE_COLUMNS, lines());
}

/**
 * Ids staged more than once (a file naming the same id on two lines): each later line with the first line of its id.
 * With `drop`, the later rows are removed from the stage (--skip-invalid keeps the first).
 */
export async function findStagedDuplicates(tx: Queryable, limit: number, drop = false): Promise<{ total: number; rows: { externalId: string; line: number; firstLine: number }[] }> {
  const r = await tx.query<{ external_id: string; lines: number[]; n: number }>(
    `SELECT external_id, (array_agg(line ORDER BY line))[1:50] AS lines, count(*)::int AS n
     FROM _incident_stage GROUP BY external_id HAVING count(*) > 1 ORDER BY min(line)`);
  let total = 0;
  const rows: { externalId: string; line: number; firstLine: number }[] = [];
  for (const d of r.rows) {
    total += d.n - 1;
    for (const l of d.lines.slice(1)) if (rows.length < limit) rows.push({ externalId: d.external_id, line: l, firstLine: d.lines[0] });
  }
  if (drop && total) {
    await tx.query(`DELETE FROM _incident_stage s USING (SELECT external_id, min(line) AS first FROM _incident_stage GROUP BY external_id HAVING count(*) > 1) d
                    WHERE s.external_id = d.external_id AND s.line > d.first`);
  }
  return { total, rows };
}

/** Moves the staged rows into incidents, changes the rollup by what changed and bumps the data version. */
export async function mergeStagedIncidents(tx: Queryable, source: Source, provider: string, batchId: number | null): Promise<WriteResult> {
  const staged = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM _incident_stage')).rows[0].n;
  if (staged === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  await lockIncidentWriters(tx);
  // the rollup: −1 for the stored versions of rows about to change, +1 for the rows about to be written
  await openRollupDelta(tx);
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _incident_old (id bigint, source text, category text, occurred_from timestamptz,
    location_area_id bigint, geom geometry) ON COMMIT DROP`);
  await tx.query('TRUNCATE _incident_old');
  const old = await tx.query(
    `INSERT INTO _incident_old SELECT i.id, i.source, i.category, i.occurred_from, i.location_area_id, i.geom
     FROM incidents i JOIN _incident_stage s ON i.source = $1 AND i.provider = $2 AND i.external_id = s.external_id AND i.row_hash <> s.row_hash`,
    [source, provider]);
  const locator = await AreaLocator.forTransaction(tx);
  if (old.rowCount) await placeIncidents(tx, locator, -1, 'true', [], '_incident_old');
  await addChangedStagedRows(tx, locator, source, provider);
  // changed rows in place, then the new ones (plain UPDATE + INSERT: no other writer runs, see write-locks.ts)
  const updated = old.rowCount ? (await tx.query(
    `UPDATE incidents i SET category = s.category, occurred_from = s.occurred_from, occurred_to = s.occurred_to, precision = s.precision,
       location_area_id = s.location_area_id, geom = ${STAGED_GEOM}, confirmed = s.confirmed, status = s.status, attrs = s.attrs,
       row_hash = s.row_hash, batch_id = $3
     FROM _incident_stage s WHERE i.source = $1 AND i.provider = $2 AND i.external_id = s.external_id AND i.row_hash <> s.row_hash`,
    [source, provider, batchId])).rowCount : 0;
  // in time order: the (source, occurred_from) index then grows at its end instead of splitting pages all over
  const inserted = (await tx.query(
    `INSERT INTO incidents (source, provider, external_id, category, occurred_from, occurred_to, precision, location_area_id,
                            geom, confirmed, status, attrs, row_hash, batch_id)
     SELECT $1, $2, s.external_id, s.category, s.occurred_from, s.occurred_to, s.precision, s.location_area_id,
            ${STAGED_GEOM}, s.confirmed, s.status, s.attrs, s.row_hash, $3
     FROM _incident_stage s
     WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.source = $1 AND i.provider = $2 AND i.external_id = s.external_id)
     ORDER BY s.occurred_from`,
    [source, provider, batchId])).rowCount;
  if (inserted + updated > 0) {
    await applyRollupDelta(tx);
    await bumpDataVersion(tx, `incidents of ${source} changed`);
  }
  await tx.query('TRUNCATE _incident_stage');
  return { inserted, updated, unchanged: staged - inserted - updated };
}

/** Convenience for small, in-memory sets (tests, the sample data): stage and merge in one call. */
export async function writeIncidents(tx: Queryable, source: Source, provider: string, rows: IncidentInput[], batchId: number | null = null): Promise<WriteResult> {
  await prepareIncidentStage(tx);
  await stageIncidents(tx, rows);
  return mergeStagedIncidents(tx, source, provider, batchId);
}
