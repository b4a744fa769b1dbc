// Runs one import: one transaction per file (the batch row is written inside it, so a killed process leaves no
// partial batch), every kind through its importer, provenance (kind, provider, file name, SHA-256, counts,
// options, who) in import_batches. Any rejected row → nothing written, unless --skip-invalid. --dry-run does all
// the work and rolls back. Used by the CLI and by POST /api/imports/:kind alike.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { aliasTransaction } from '../db/after-commit.js';
import type { Db, Queryable } from '../db/index.js';
import { reportOperation } from '../domain/operations/operation-events.js';
import { ErrorSink, ImportFileError, ImportRejectedError, formatRowError, type RowError } from './errors.js';
import type { ImportContext, KindResult } from './import-context.js';
import type { ImportKind, ImportOptions } from './import-options.js';
import { profileByName } from './import-profiles.js';
import { importAreaCounts } from './kinds/area-counts.js';
import { importAreas } from './kinds/areas.js';
import { importCategories } from './kinds/categories.js';
import { importIncidentCsv } from './kinds/incident-csv.js';
import { importPlaces } from './kinds/places.js';
import { importPolisenEvents } from './kinds/polisen-events.js';
import { importPopulation } from './kinds/population.js';
import { importIndicators, importSurvey } from './kinds/survey.js';

export type ImportSummary = {
  kind: ImportKind;
  fileName: string | null;
  sha256: string | null;
  bytes: number;
  provider: string;
  batchId: number | null;
  committed: boolean;
  dryRun: boolean;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
  skippedBy?: Record<string, number>;
  deleted?: number;
  precision?: Record<string, number>;
  notes?: string[];
  errors: (RowError & { message: string })[];
  durationMs: number;
  rowsPerSecond: number;
};

export type ImportRequest = {
  kind: ImportKind;
  /** a file path, or a stream of the file's bytes */
  input: string | Readable;
  fileName?: string | null;
  options: ImportOptions;
  importedBy?: string;
  onProgress?: (rowsDone: number, elapsedMs: number) => void;
  maxBytes?: number;
  /** each valid row as it will be stored (the preview's first rows) */
  sample?: (line: number, row: Record<string, unknown>) => void;
  /** a dry run's last look at its transaction before the rollback (the preview's map of an area set) */
  beforeRollback?: (tx: Queryable, summary: ImportSummary) => Promise<void>;
};

const HANDLERS: Record<ImportKind, (ctx: ImportContext, input: Readable) => Promise<KindResult>> = {
  areas: importAreas,
  population: importPopulation,
  categories: importCategories,
  crimes: (c, i) => importIncidentCsv(c, 'crimes', i),
  shootings: (c, i) => importIncidentCsv(c, 'shootings', i),
  'guard-reports': (c, i) => importIncidentCsv(c, 'guard-reports', i),
  'citizen-reports': (c, i) => importIncidentCsv(c, 'citizen-reports', i),
  survey: importSurvey,
  indicators: importIndicators,
  places: importPlaces,
  'polisen-events': importPolisenEvents,
  'area-counts': importAreaCounts,
};

/** IMPORT_DEBUG=1: prints each statement's time to stderr (for tuning the import path). */
function timed(tx: Queryable): Queryable {
  const show = (what: string, t: number) => process.stderr.write(`[import] ${(performance.now() - t).toFixed(0).padStart(6)} ms  ${what.replace(/\s+/g, ' ').slice(0, 110)}\n`);
  const wrapped = {
    async query(sql, params) { const t = performance.now(); try { return await tx.query(sql, params); } finally { show(sql, t); } },
    async copyRows(table, cols, rows) { const t = performance.now(); try { return await tx.copyRows(table, cols, rows); } finally { show(`COPY ${table}`, t); } },
  } as Queryable;
  aliasTransaction(wrapped, tx); // work after commit (the data version's) registered through the wrapper runs with tx's
  return wrapped;
}

/** Rows of one committed import after which the database is asked to checkpoint (Db.checkpoint). */
const CHECKPOINT_AFTER_ROWS = 10_000;

class DryRunRollback extends Error {
  constructor(public readonly summary: ImportSummary) { super('dry run'); }
}

/** Passes bytes through while hashing and counting them (and refusing more than maxBytes). */
function hashing(maxBytes: number) {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > maxBytes) return cb(new ImportFileError(`the file is larger than the limit of ${maxBytes} bytes (IMPORT_MAX_BYTES)`));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  return { stream: t, digest: () => hash.digest('hex'), bytes: () => bytes };
}

export async function runImport(db: Db, req: ImportRequest): Promise<ImportSummary> {
  const t0 = performance.now();
  const { kind } = req;
  // onInvalid=skip is skipInvalid; a mapping's CRS applies unless crs is given
  let options: ImportOptions = { ...req.options, skipInvalid: req.options.skipInvalid || req.options.onInvalid === 'skip' };
  const provider = options.provider ?? (kind === 'polisen-events' ? 'polisen' : 'file');
  const fileName = req.fileName ?? (typeof req.input === 'string' ? req.input.split('/').pop()! : null);
  if (typeof req.input === 'string' && !fs.existsSync(req.input)) throw new ImportFileError(`no such file: ${req.input}`);
  const errors = new ErrorSink(1000);
  let rowsDone = 0;
  const base = (): ImportSummary => ({
    kind, fileName, sha256: null, bytes: 0, provider, batchId: null, committed: false, dryRun: options.dryRun, rowsRead: rowsDone,
    inserted: 0, updated: 0, unchanged: 0, rejected: errors.count, skipped: 0,
    errors: errors.sorted().map((e) => ({ ...e, message: formatRowError(e) })), durationMs: 0, rowsPerSecond: 0,
  });
  const finish = (s: ImportSummary): ImportSummary => {
    s.durationMs = Math.round(performance.now() - t0);
    s.rowsPerSecond = s.durationMs > 0 ? Math.round((s.rowsRead * 1000) / s.durationMs) : 0;
    return s;
  };
  const source = typeof req.input === 'string' ? fs.createReadStream(req.input, { highWaterMark: 1 << 20 }) : req.input;
  const tap = hashing(req.maxBytes ?? Number.MAX_SAFE_INTEGER);
  source.on('error', (e: Error) => tap.stream.destroy(e));
  const input = source.pipe(tap.stream);
  const report = (outcome: 'committed' | 'dry-run' | 'rejected' | 'failed', s?: ImportSummary) =>
    reportOperation({ type: 'import', kind, outcome, rowsRead: s?.rowsRead ?? rowsDone, durationMs: s?.durationMs ?? Math.round(performance.now() - t0) });
  try {
    const s = await db.transaction(async (tx0) => {
      const tx = process.env.IMPORT_DEBUG ? timed(tx0) : tx0;
      // the rollup groups many rows: let it hash and sort in memory rather than on disk
      await tx.query(`SET LOCAL work_mem = '${db.kind === 'postgres' ? '256MB' : '64MB'}'`);
      // a big file's upsert and rollup legitimately take longer than an API request may
      await tx.query(`SET LOCAL statement_timeout = 0`);
      if (options.profile && !options.mapping) {
        const p = await profileByName(tx, kind, options.profile);
        options = { ...options, mapping: p.mapping };
      }
      if (options.mapping?.crs && !options.crs) options = { ...options, crs: options.mapping.crs };
      const b = await tx.query<{ id: number }>(
        `INSERT INTO import_batches (kind, provider, file_name, options, imported_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [kind, provider, fileName, options, req.importedBy ?? 'cli']);
      const batchId = Number(b.rows[0].id);
      const ctx: ImportContext = {
        tx, backend: db.kind, batchId, provider, options, errors, sample: req.sample,
        progress: (n) => { rowsDone = n; req.onProgress?.(n, performance.now() - t0); },
      };
      const res = await HANDLERS[kind](ctx, input);
      if (!input.readableEnded) input.resume(); // drain what an importer did not need
      if (errors.count > 0 && !options.skipInvalid) throw new ImportRejectedError(errors.sorted(), undefined, errors.count);
      rowsDone = res.rowsRead;
      const s: ImportSummary = {
        ...base(), sha256: tap.digest(), bytes: tap.bytes(), batchId: options.dryRun ? null : batchId, committed: !options.dryRun,
        rowsRead: res.rowsRead, inserted: res.inserted, updated: res.updated, unchanged: res.unchanged,
        skipped: res.skipped ?? 0, skippedBy: res.skippedBy, deleted: res.deleted, precision: res.precision, notes: res.notes,
      };
      const { errors: _e, ...stored } = s;
      await tx.query(
        `UPDATE import_batches SET sha256 = $2, rows_read = $3, inserted = $4, updated = $5, unchanged = $6, rejected = $7, summary = $8 WHERE id = $1`,
        [batchId, s.sha256, s.rowsRead, s.inserted, s.updated, s.unchanged, s.rejected, { ...stored, errors: s.errors.slice(0, 20) }]);
      if (options.dryRun) {
        await req.beforeRollback?.(tx, s);
        throw new DryRunRollback(finish(s));
      }
      return finish(s);
    });
    report('committed', s);
    // a big file's WAL is recycled at once on the embedded database (its data directory keeps no WAL it no longer needs)
    if (!s.dryRun && s.rowsRead >= CHECKPOINT_AFTER_ROWS) await db.checkpoint().catch(() => {});
    return s;
  } catch (e) {
    if (e instanceof DryRunRollback) { report('dry-run', e.summary); return e.summary; }
    if (e instanceof ImportRejectedError) {
      const s = finish(base());
      e.summary = s as unknown as Record<string, unknown>;
      report('rejected', s);
    } else report('failed');
    throw e;
  } finally {
    source.destroy();
  }
}

/** The summary as the CLI prints it. */
export function formatSummary(s: ImportSummary): string {
  const n = (v: number) => String(v);
  const lines = [
    `${s.dryRun ? 'Dry run (nothing written)' : s.committed ? `Imported (batch ${s.batchId})` : 'NOT imported (nothing written)'}: ${s.kind} from ${s.fileName ?? 'stdin'}, provider ${s.provider}`,
    `  rows read:  ${n(s.rowsRead)}`,
    `  inserted:   ${n(s.inserted)}`,
    `  updated:    ${n(s.updated)}`,
    `  unchanged:  ${n(s.unchanged)}`,
    `  rejected:   ${n(s.rejected)}`,
  ];
  if (s.skipped) lines.push(`  skipped:    ${n(s.skipped)}${s.skippedBy ? ` (${Object.entries(s.skippedBy).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v}`).join(', ')}${Object.keys(s.skippedBy).length > 8 ? ', …' : ''})` : ''}`);
  if (s.deleted) lines.push(`  deleted:    ${n(s.deleted)}`);
  if (s.precision) {
    const tot = Object.values(s.precision).reduce((a, b) => a + b, 0);
    lines.push(`  placed at:  ${Object.entries(s.precision).map(([k, v]) => `${k} ${v} (${tot ? ((100 * v) / tot).toFixed(1) : '0.0'} %)`).join(', ')}`);
  }
  for (const note of s.notes ?? []) lines.push(`  note: ${note}`);
  if (s.sha256) lines.push(`  sha256:     ${s.sha256}`);
  lines.push(`  time:       ${(s.durationMs / 1000).toFixed(1)} s (${s.rowsPerSecond} rows/s)`);
  return lines.join('\n');
}
