// The import endpoints as the wizard and the history use them (issue 19): the preview (writes nothing), the commit (all
// rows or none; onInvalid=skip writes exactly the valid ones), mapping profiles and the batches with their provenance.
// The file goes as multipart/form-data with the column mapping as the field "mapping" before it.
import { ApiError, api, currentCsrfToken, qs } from '../api/client.js';

export type ColumnMapping = {
  columns: Record<string, string>;
  crs?: string;
  dateFormat?: string;
  decimalMark?: '.' | ',';
  values?: Record<string, string>;
};
export type RowError = { line: number; column?: string; reason: string; unit?: 'line' | 'feature'; message: string; sourceColumn?: string };
export type ImportPreview = {
  kind: string; fileName: string | null; format: 'csv' | 'xlsx' | 'json'; delimiter: string | null; decimalMark: '.' | ',' | null;
  headers: string[];
  suggestion: { mapping: ColumnMapping; columns: { source: string; target: string | null; by: 'name' | 'values' | null }[]; missing: string[]; unknownCategories: string[]; notes: string[] } | null;
  mapping: ColumnMapping | null; mappingFrom: 'given' | 'profile' | 'suggested' | null; profile: string | null;
  matchingProfiles: { id: number; name: string; createdBy: string; createdAt: string }[];
  problem: string | null;
  rows: { line: number; row: Record<string, unknown> }[];
  rowsRead: number; valid: number; rejected: number; errors: RowError[];
  wouldInsert: number; wouldUpdate: number; wouldLeaveUnchanged: number; notes: string[];
  /** kind areas: the polygons as a commit would store them (WGS84, simplified), each within the region or not */
  areaMap?: AreaMapPreview | null;
};
export type AreaMapPreview = {
  geojson: GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, { code: string; name: string; inRegion: boolean }>;
  total: number; outside: number; truncated: boolean; toleranceMetres: number; region: string;
};
export type ImportSummary = {
  batchId: number | null; committed: boolean; fileName: string | null; sha256: string; rowsRead: number;
  inserted: number; updated: number; unchanged: number; rejected: number; skipped?: number; errors: RowError[];
};
export type ImportBatch = {
  id: number; kind: string; provider: string | null; fileName: string | null; sha256: string; options: Record<string, unknown> | null;
  rowsRead: number; inserted: number; updated: number; unchanged: number; rejected: number; skipped: number; importedBy: string;
  /** the key's name (newer servers) and the mapping profile used */
  importedByName?: string | null; profile?: string | null; createdAt: string;
};
export type ImportProfile = { id: number; name: string; kind: string; headers: string[]; mapping: ColumnMapping; createdBy: string; createdAt: string };

/** Options beside the file (the area set's id, name, level … for areas; a profile's name). */
export type ImportParams = Record<string, string | undefined>;

function body(file: File, mapping: ColumnMapping | null): FormData {
  const fd = new FormData();
  if (mapping) fd.append('mapping', JSON.stringify(mapping)); // before the file: the server reads fields up to the file
  fd.append('file', file, file.name);
  return fd;
}

export const previewImport = (kind: string, file: File, mapping: ColumnMapping | null, params: ImportParams = {}) =>
  api<ImportPreview>(`/api/imports/${encodeURIComponent(kind)}/preview${qs({ ...params, fileName: file.name })}`, { method: 'POST', body: body(file, mapping) });

export const commitImport = (kind: string, file: File, mapping: ColumnMapping | null, skipInvalid: boolean, params: ImportParams = {}) =>
  api<ImportSummary>(`/api/imports/${encodeURIComponent(kind)}${qs({ ...params, fileName: file.name, onInvalid: skipInvalid ? 'skip' : undefined })}`, { method: 'POST', body: body(file, mapping) });

export type ImportProgress = { rowsRead: number; rowsPerSecond: number };

/** The commit with server-sent progress (Accept: text/event-stream): `progress` events while it runs, then the
 * summary, or the problem (422 with every bad row; nothing written) as an ApiError. */
export async function commitImportWithProgress(kind: string, file: File, mapping: ColumnMapping | null, skipInvalid: boolean, params: ImportParams, onProgress: (p: ImportProgress) => void): Promise<ImportSummary> {
  const headers = new Headers({ Accept: 'text/event-stream' });
  const tok = currentCsrfToken();
  if (tok) headers.set('X-CSRF-Token', tok);
  let res: Response;
  try {
    res = await fetch(`/api/imports/${encodeURIComponent(kind)}${qs({ ...params, fileName: file.name, onInvalid: skipInvalid ? 'skip' : undefined })}`, { method: 'POST', body: body(file, mapping), headers, credentials: 'same-origin' });
  } catch (e) { throw new ApiError(0, (e as Error).message || 'network error'); }
  if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').includes('event-stream')) {
    // refused before the import ran (400 options, 403 role …): a plain problem+json
    const p = await res.json().catch(() => ({})) as { detail?: string; title?: string };
    throw new ApiError(res.status, p.detail ?? p.title ?? `HTTP ${res.status}`, p);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buf += value;
    let end: number;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (!event || !data) continue;
      const payload = JSON.parse(data) as Record<string, unknown>;
      if (event === 'progress') onProgress(payload as ImportProgress);
      else if (event === 'result') { void reader.cancel().catch(() => undefined); return payload as ImportSummary; }
      else if (event === 'problem') { void reader.cancel().catch(() => undefined); throw new ApiError(Number(payload.status ?? 422), String(payload.detail ?? payload.title ?? 'import rejected'), payload); }
    }
    if (done) throw new ApiError(0, 'the import ended without a result');
  }
}

export const saveProfile = (p: { name: string; kind: string; headers: string[]; mapping: ColumnMapping }) =>
  api<ImportProfile>('/api/import-profiles', { method: 'POST', json: p });

export const listBatches = () => api<ImportBatch[]>('/api/imports?limit=200');
export const undoBatch = (id: number) => api<{ deleted: Record<string, unknown> }>(`/api/imports/${id}`, { method: 'DELETE' });
