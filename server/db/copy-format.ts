// Encodes rows as PostgreSQL COPY text format (shared by both backends' bulk loaders).
const SPECIAL = /[\\\n\r\t]/;

function encodeValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  // numbers, booleans and ISO dates never hold a character COPY escapes: no scan for them (the bulk of an import)
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return v.toISOString();
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (!SPECIAL.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

export function copyLine(row: unknown[]): string {
  return row.map(encodeValue).join('\t') + '\n';
}

const IDENT = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;
/** Identifiers in COPY statements come from code, never from input; this guards that promise. */
export function assertIdentifiers(table: string, columns: string[]): void {
  for (const id of [table, ...columns]) if (!IDENT.test(id)) throw new Error(`invalid identifier ${id}`);
}
