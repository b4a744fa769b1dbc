// The preview of an import (issue 19): what the file is (format, header), the mapping suggested for it (or the one
// given, or a saved profile's), the first rows as they would be stored, every rejected row with its line and reason,
// and what a commit would insert / update / leave unchanged. It runs the real import — the same mapping, validator
// and writer — as a dry run in a transaction that is rolled back, so it writes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../db/index.js';
import type { ColumnMapping } from './column-mapping.js';
import { ImportFileError, type RowError } from './errors.js';
import type { ImportKind, ImportOptions } from './import-options.js';
import { profileByName, profilesMatching } from './import-profiles.js';
import { INTERVENTIONS, OUTCOMES } from './kinds/incident-csv.js';
import { AREA_MAP_LIMITS, previewAreaMap, type AreaMapPreview } from './preview-area-map.js';
import { runImport } from './run-import.js';
import { suggestMapping, type MappingSuggestion } from './suggest-mapping.js';
import { readTable, sniffFormat } from './table-reader.js';

export const PREVIEW_ROWS = 20;
const SAMPLE_ROWS = 200;
const SAMPLE_BYTES = 256 * 1024;
const TABULAR = new Set<ImportKind>(['crimes', 'shootings', 'guard-reports', 'citizen-reports', 'population', 'categories', 'survey', 'indicators', 'area-counts']);

export type ImportPreview = {
  kind: ImportKind;
  fileName: string | null;
  format: 'csv' | 'xlsx' | 'json';
  delimiter: string | null;
  decimalMark: '.' | ',' | null;
  headers: string[];
  suggestion: MappingSuggestion | null;
  mapping: ColumnMapping | null;
  mappingFrom: 'given' | 'profile' | 'suggested' | null;
  /** the profile whose mapping was used (named, or the newest saved for these columns) */
  profile: string | null;
  /** saved profiles of this kind made for a file with the same columns */
  matchingProfiles: { id: number; name: string; createdBy: string; createdAt: string }[];
  /** a whole-file problem (a required column not mapped …): then no rows were checked */
  problem: string | null;
  rows: { line: number; row: Record<string, unknown> }[];
  rowsRead: number;
  valid: number;
  rejected: number;
  errors: (RowError & { message: string; sourceColumn?: string })[];
  wouldInsert: number;
  wouldUpdate: number;
  wouldLeaveUnchanged: number;
  notes: string[];
  /** kind areas: the polygons as a commit would store them (WGS84, simplified), each within the region or not; else null */
  areaMap: AreaMapPreview | null;
};

export type PreviewRequest = { kind: ImportKind; input: string | Readable; fileName?: string | null; options: ImportOptions; maxBytes?: number };

/** Copies the upload to a temporary file (it is read twice: for the header and for the dry run), refusing more than maxBytes. */
async function spool(input: Readable, file: string, maxBytes: number): Promise<void> {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _e, cb) {
      bytes += chunk.length;
      if (bytes > maxBytes) return cb(new ImportFileError(`the file is larger than the limit of ${maxBytes} bytes (IMPORT_MAX_BYTES)`));
      cb(null, chunk);
    },
  });
  await pipeline(input, limit, fs.createWriteStream(file));
}

async function knownCodes(db: Db, kind: ImportKind, source?: string): Promise<string[]> {
  if (kind === 'shootings') return [...OUTCOMES];
  if (kind === 'guard-reports') return [...INTERVENTIONS];
  if (kind === 'area-counts') {
    // an aggregated table may name its categories by code or by label (Misshandel, Assault)
    const r = await db.query<{ code: string; label_sv: string; label_en: string }>('SELECT code, label_sv, label_en FROM categories WHERE source = $1', [source ?? 'crimes']);
    return r.rows.flatMap((x) => [x.code, x.label_sv, x.label_en]);
  }
  if (kind !== 'crimes' && kind !== 'citizen-reports') return [];
  const r = await db.query<{ code: string }>('SELECT code FROM categories WHERE source = $1', [kind]);
  return r.rows.map((x) => x.code);
}

/** The header and the first rows of a table file (an XLSX whole, a CSV's first 256 KB). */
async function sampleOf(file: string, format: 'csv' | 'xlsx') {
  let buf = format === 'xlsx' ? fs.readFileSync(file) : Buffer.alloc(0);
  if (format === 'csv') {
    const fd = fs.openSync(file, 'r');
    try { buf = Buffer.alloc(SAMPLE_BYTES); buf = buf.subarray(0, fs.readSync(fd, buf, 0, SAMPLE_BYTES, 0)); } finally { fs.closeSync(fd); }
    if (buf.length === SAMPLE_BYTES) buf = buf.subarray(0, buf.lastIndexOf(10) + 1);
  }
  let headers: string[] = [];
  let delimiter: string | null = null;
  const rows: string[][] = [];
  try {
    await readTable(Readable.from([buf]), (h) => { headers = h.raw; delimiter = h.delimiter || null; }, (r) => { if (rows.length < SAMPLE_ROWS) rows.push(r.fields); });
  } catch (e) {
    if (!(e instanceof ImportFileError) || !headers.length) throw e; // a cut-off quoted field at the end of the sample: keep what was read
  }
  return { headers, rows, delimiter };
}

export async function previewImport(db: Db, req: PreviewRequest): Promise<ImportPreview> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-preview-'));
  const file = path.join(dir, 'upload');
  try {
    if (typeof req.input === 'string') {
      if (!fs.existsSync(req.input)) throw new ImportFileError(`no such file: ${req.input}`);
      fs.copyFileSync(req.input, file);
    } else await spool(req.input, file, req.maxBytes ?? Number.MAX_SAFE_INTEGER);
    const fileName = req.fileName ?? (typeof req.input === 'string' ? path.basename(req.input) : null);
    const kind = req.kind;
    const out: ImportPreview = {
      kind, fileName, format: 'json', delimiter: null, decimalMark: null, headers: [], suggestion: null, mapping: null, mappingFrom: null,
      profile: null, matchingProfiles: [], problem: null, rows: [], rowsRead: 0, valid: 0, rejected: 0, errors: [],
      wouldInsert: 0, wouldUpdate: 0, wouldLeaveUnchanged: 0, notes: [], areaMap: null,
    };
    let options: ImportOptions = { ...req.options, dryRun: true, skipInvalid: true, onInvalid: 'skip' };
    if (TABULAR.has(kind)) {
      const head = Buffer.alloc(4096);
      const fd = fs.openSync(file, 'r');
      const n = (() => { try { return fs.readSync(fd, head, 0, head.length, 0); } finally { fs.closeSync(fd); } })();
      if (n === 0) throw new ImportFileError('the file is empty');
      out.format = sniffFormat(head.subarray(0, n));
      const s = await sampleOf(file, out.format);
      out.headers = s.headers;
      out.delimiter = s.delimiter;
      out.suggestion = suggestMapping(s.headers, s.rows, kind, await knownCodes(db, kind, req.options.source));
      out.matchingProfiles = (await profilesMatching(db, kind, s.headers)).map((p) => ({ id: p.id, name: p.name, createdBy: p.createdBy, createdAt: p.createdAt }));
      if (options.mapping) out.mappingFrom = 'given';
      else if (options.profile) { options.mapping = (await profileByName(db, kind, options.profile)).mapping; out.mappingFrom = 'profile'; out.profile = options.profile; }
      else if (out.matchingProfiles.length) {
        options.mapping = (await profileByName(db, kind, out.matchingProfiles[0].name)).mapping;
        out.mappingFrom = 'profile'; out.profile = out.matchingProfiles[0].name;
      } else { options.mapping = out.suggestion.mapping; out.mappingFrom = 'suggested'; }
      out.mapping = options.mapping ?? null;
      out.decimalMark = options.mapping?.decimalMark ?? (out.format === 'xlsx' || s.delimiter === ';' ? ',' : '.');
      options = { ...options, profile: undefined };
    }
    try {
      const summary = await runImport(db, {
        kind, input: file, fileName, options,
        sample: (line, row) => { if (out.rows.length < PREVIEW_ROWS) out.rows.push({ line, row }); },
        // read inside the dry run, before its rollback: exactly what a commit would store
        beforeRollback: kind === 'areas' && options.areaSet ? async (tx) => { out.areaMap = await previewAreaMap(tx, options.areaSet!); } : undefined,
      });
      const source = out.mapping?.columns ?? {};
      Object.assign(out, {
        rowsRead: summary.rowsRead, rejected: summary.rejected, valid: summary.rowsRead - summary.rejected - summary.skipped,
        errors: summary.errors.map((e) => (e.column && source[e.column] ? { ...e, sourceColumn: source[e.column] } : e)),
        wouldInsert: summary.inserted, wouldUpdate: summary.updated, wouldLeaveUnchanged: summary.unchanged, notes: [...(summary.notes ?? [])],
      });
      const m = out.areaMap;
      if (m?.truncated) out.notes.push(`the map shows ${m.geojson.features.length} of the ${m.total} areas (at most ${AREA_MAP_LIMITS.maxFeatures}, or fewer when their outlines pass ${AREA_MAP_LIMITS.maxBytes / 1024} KB)`);
      if (m?.outside) out.notes.push(`${m.outside} of the ${m.total} areas lie outside ${m.region}: check the CRS`);
    } catch (e) {
      if (!(e instanceof ImportFileError) || !TABULAR.has(kind)) throw e;
      out.problem = e.message; // e.g. a required column the mapping leaves out: the header and the suggestion still help
      out.rows = [];
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
