// Measures taken at a place (the things the partners did), each with a type, a date and a description.
import type { Queryable } from '../../db/index.js';
import { notFound } from '../problems.js';
import type { Measure, MeasureInput, MeasurePatch, MeasureType } from './measure-schema.js';

// what is sent and what is served: one zod schema each (measure-schema.ts), the types derived from them
export { MEASURE_TYPES } from './measure-schema.js';
export type { Measure, MeasureInput, MeasurePatch, MeasureType };

type Row = { id: number; place_id: number; type: MeasureType; date: string; description: string; created_at: Date };
const toMeasure = (x: Row): Measure => ({ id: Number(x.id), placeId: Number(x.place_id), type: x.type, date: x.date, description: x.description, createdAt: new Date(x.created_at).toISOString() });
const COLS = 'id, place_id, type, date::text AS date, description, created_at';

export async function listMeasures(db: Queryable, placeId: number): Promise<Measure[]> {
  const r = await db.query<Row>(`SELECT ${COLS} FROM place_measures WHERE place_id = $1 ORDER BY date, id`, [placeId]);
  return r.rows.map(toMeasure);
}

export async function getMeasure(db: Queryable, placeId: number, id: number): Promise<Measure> {
  const r = await db.query<Row>(`SELECT ${COLS} FROM place_measures WHERE place_id = $1 AND id = $2`, [placeId, id]);
  if (!r.rows.length) throw notFound(`Place ${placeId} has no measure ${id}.`);
  return toMeasure(r.rows[0]);
}

export async function insertMeasure(db: Queryable, placeId: number, m: MeasureInput): Promise<number> {
  const r = await db.query<{ id: number }>(`INSERT INTO place_measures (place_id, type, date, description) VALUES ($1, $2, $3, $4) RETURNING id`,
    [placeId, m.type, m.date, m.description ?? '']);
  return Number(r.rows[0].id);
}

export async function updateMeasure(db: Queryable, placeId: number, id: number, patch: MeasurePatch): Promise<string[]> {
  await getMeasure(db, placeId, id);
  const fields = (['type', 'date', 'description'] as const).filter((k) => patch[k] !== undefined);
  if (!fields.length) return [];
  const params: unknown[] = [placeId, id, ...fields.map((k) => patch[k])];
  await db.query(`UPDATE place_measures SET ${fields.map((k, i) => `${k} = $${i + 3}`).join(', ')} WHERE place_id = $1 AND id = $2`, params);
  return [...fields];
}

export async function deleteMeasure(db: Queryable, placeId: number, id: number): Promise<void> {
  const r = await db.query('DELETE FROM place_measures WHERE place_id = $1 AND id = $2', [placeId, id]);
  if (!r.rowCount) throw notFound(`Place ${placeId} has no measure ${id}.`);
}
