// Mapping profiles: a column mapping saved under a name for one kind, with the header it was made for. A file whose
// normalised column names (in any order) are the same has the same header signature, so its profile is found again.
import crypto from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { columnMappingSchema, type ColumnMapping } from './column-mapping.js';
import { normaliseColumn } from './csv-reader.js';
import { ImportFileError } from './errors.js';

export type ImportProfile = { id: number; name: string; kind: string; headerSignature: string; headers: string[]; mapping: ColumnMapping; createdBy: string; createdAt: string };

export function headerSignature(headers: readonly string[]): string {
  const names = [...new Set(headers.map(normaliseColumn).filter(Boolean))].sort();
  return crypto.createHash('sha256').update(names.join('\u001f')).digest('hex');
}

type Row = { id: number; name: string; kind: string; header_signature: string; headers: string[]; mapping: unknown; created_by: string; created_at: Date };
const toProfile = (r: Row): ImportProfile => ({
  id: Number(r.id), name: r.name, kind: r.kind, headerSignature: r.header_signature, headers: r.headers,
  mapping: columnMappingSchema.parse(r.mapping), createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString(),
});
const COLS = 'id, name, kind, header_signature, headers, mapping, created_by, created_at';

export async function listProfiles(q: Queryable, kind?: string): Promise<ImportProfile[]> {
  const r = await q.query<Row>(`SELECT ${COLS} FROM import_profiles WHERE ($1::text IS NULL OR kind = $1) ORDER BY name`, [kind ?? null]);
  return r.rows.map(toProfile);
}

/** The profile of this name for this kind; an ImportFileError naming the saved ones when there is none. */
export async function profileByName(q: Queryable, kind: string, name: string): Promise<ImportProfile> {
  const r = await q.query<Row>(`SELECT ${COLS} FROM import_profiles WHERE name = $1`, [name]);
  const p = r.rows[0];
  if (!p) {
    const names = (await listProfiles(q, kind)).map((x) => JSON.stringify(x.name));
    throw new ImportFileError(`no mapping profile "${name}"${names.length ? ` (saved for ${kind}: ${names.join(', ')})` : ` (none is saved for ${kind})`}`);
  }
  if (p.kind !== kind) throw new ImportFileError(`the mapping profile "${name}" is for ${p.kind}, not ${kind}`);
  return toProfile(p);
}

/** The saved profiles of this kind made for a header with the same columns (newest first). */
export async function profilesMatching(q: Queryable, kind: string, headers: readonly string[]): Promise<ImportProfile[]> {
  const r = await q.query<Row>(`SELECT ${COLS} FROM import_profiles WHERE kind = $1 AND header_signature = $2 ORDER BY created_at DESC, id DESC`, [kind, headerSignature(headers)]);
  return r.rows.map(toProfile);
}

/** Saves a new profile; null when the name is taken. */
export async function saveProfile(q: Queryable, p: { name: string; kind: string; headers: string[]; mapping: ColumnMapping; createdBy: string }): Promise<ImportProfile | null> {
  const r = await q.query<Row>(
    `INSERT INTO import_profiles (name, kind, header_signature, headers, mapping, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (name) DO NOTHING RETURNING ${COLS}`,
    [p.name, p.kind, headerSignature(p.headers), p.headers, p.mapping, p.createdBy]);
  return r.rows[0] ? toProfile(r.rows[0]) : null;
}
