// Import errors: each bad row is named by its line (1-based file line, header = line 1), column and reason.
export type RowError = { line: number; column?: string; reason: string };

export function formatRowError(e: RowError): string {
  return `line ${e.line}${e.column ? `, ${e.column}` : ''}: ${e.reason}`;
}

/** Thrown inside the import transaction so that nothing is written; carries every row error found. */
export class ImportRejectedError extends Error {
  constructor(public readonly errors: RowError[], message?: string) {
    super(message ?? `${errors.length} row(s) rejected; nothing was written. ${errors.slice(0, 5).map(formatRowError).join('; ')}`);
    this.name = 'ImportRejectedError';
  }
}

/** A whole-file problem (unreadable, wrong columns, unknown area set …). */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}
