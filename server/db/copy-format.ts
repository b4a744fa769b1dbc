// Encodes rows as PostgreSQL COPY text format (shared by both backends' bulk loaders).
function encodeValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (v instanceof Date) s = v.toISOString();
  else if (typeof v === 'object') s = JSON.stringify(v);
  else if (typeof v === 'boolean') s = v ? 't' : 'f';
  else s = String(v);
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
