// Import errors: each bad row is named by its line (1-based file line, header = line 1), column and reason.
/** `unit` is 'line' for CSV/JSONL files and 'feature' (1-based index) for GeoJSON and JSON arrays. */
export type RowError = { line: number; column?: string; reason: string; unit?: 'line' | 'feature' };

/** `line 778: occurred_from "2025-13-01T10:00:00Z" is not a date` (the column is named once). */
export function formatRowError(e: RowError): string {
  const where = `${e.unit ?? 'line'} ${e.line}`;
  if (!e.column || e.reason.startsWith(e.column)) return `${where}: ${e.reason}`;
  return `${where}, ${e.column}: ${e.reason}`;
}

/** Thrown inside the import transaction so that nothing is written; carries the row errors found (capped) and their total. */
export class ImportRejectedError extends Error {
  public readonly total: number;
  public summary?: Record<string, unknown>;
  constructor(public readonly errors: RowError[], message?: string, total?: number) {
    const n = total ?? errors.length;
    super(message ?? `${n} row(s) rejected; nothing was written. ${errors.slice(0, 5).map(formatRowError).join('; ')}${n > 5 ? ' …' : ''}`);
    this.name = 'ImportRejectedError';
    this.total = n;
  }
}

/** A whole-file problem (unreadable, wrong columns, unknown area set …). */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** Collects row errors without letting memory grow with the file: keeps the first `cap`, counts the rest. */
export class ErrorSink {
  readonly list: RowError[] = [];
  count = 0;
  constructor(private readonly cap = 1000) {}
  add(e: RowError): void {
    this.count++;
    if (this.list.length < this.cap) this.list.push(e);
  }
  sorted(): RowError[] {
    return [...this.list].sort((a, b) => a.line - b.line);
  }
}
