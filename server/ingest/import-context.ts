// What every kind's importer gets: the open transaction, the batch id, the options, an error sink and a progress
// callback; and what it returns.
import type { Queryable } from '../db/index.js';
import { ErrorSink, ImportRejectedError } from './errors.js';
import type { ImportOptions } from './import-options.js';

export type ImportContext = {
  tx: Queryable;
  backend: 'embedded' | 'postgres';
  batchId: number;
  provider: string;
  options: ImportOptions;
  errors: ErrorSink;
  progress: (rowsDone: number) => void;
  /** each valid row as it will be stored (the preview shows the first ones); absent on a real import */
  sample?: (line: number, row: Record<string, unknown>) => void;
};

export type KindResult = {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** rows deliberately not imported (e.g. police events that are not crimes), by reason */
  skipped?: number;
  skippedBy?: Record<string, number>;
  deleted?: number;
  /** rows per location precision (polisen-events, incident files) */
  precision?: Record<string, number>;
  notes?: string[];
};

/** Stop before writing anything when rows were rejected (unless --skip-invalid). */
export function assertNoRejections(ctx: ImportContext): void {
  if (ctx.errors.count > 0 && !ctx.options.skipInvalid) throw new ImportRejectedError(ctx.errors.sorted(), undefined, ctx.errors.count);
}
