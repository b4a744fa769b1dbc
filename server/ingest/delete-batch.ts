// Removes one import batch's rows (DELETE /api/imports/:id): the incidents it last wrote (with the rollup
// reduced by exactly those rows), its population, survey results, places and aggregated counts (cascade), an area set it created, and
// the batch record. Bundled reference data cannot be removed.
import type { Db } from '../db/index.js';
import { lockIncidentWriters } from '../db/write-locks.js';
import { AreaLocator } from '../domain/rollups/area-locator.js';
import { bumpDataVersion } from '../domain/data-version/data-version.js';
import { applyRollupDelta, openRollupDelta, placeIncidents } from '../domain/rollups/rollup-delta.js';
import { ImportFileError } from './errors.js';

export type DeleteResult = { batchId: number; kind: string; incidents: number; population: number; surveyResults: number; places: number; areaCounts: number; areaSets: string[] } | null;

export async function deleteImportBatch(db: Db, id: number): Promise<DeleteResult> {
  return db.transaction(async (tx) => {
    const b = (await tx.query<{ kind: string; provider: string }>('SELECT kind, provider FROM import_batches WHERE id = $1 FOR UPDATE', [id])).rows[0];
    if (!b) return null;
    if (b.provider === 'bundled') throw new ImportFileError(`batch ${id} is bundled reference data and cannot be removed`);
    const counts = async (table: string) => (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE batch_id = $1`, [id])).rows[0].n;
    const population = await counts('population');
    const surveyResults = await counts('survey_results');
    const places = await counts('places');
    const areaCounts = await counts('area_counts');
    const sets = (await tx.query<{ id: string }>('SELECT id FROM area_sets WHERE batch_id = $1 AND NOT is_reference', [id])).rows.map((r) => r.id);
    await lockIncidentWriters(tx);
    await openRollupDelta(tx);
    const incidents = await placeIncidents(tx, await AreaLocator.forTransaction(tx), -1, 'i.batch_id = $1', [id]);
    await tx.query('DELETE FROM incidents WHERE batch_id = $1', [id]);
    await applyRollupDelta(tx);
    if (sets.length) await tx.query('DELETE FROM area_sets WHERE id = ANY($1::text[])', [sets]);
    await tx.query('DELETE FROM import_batches WHERE id = $1', [id]);
    await bumpDataVersion(tx, `import batch ${id} (${b.kind}) removed`);
    return { batchId: id, kind: b.kind, incidents, population, surveyResults, places, areaCounts, areaSets: sets };
  });
}
