// The common path of the tabular kinds (population, categories, survey, indicators): header check, column count,
// a zod schema per row (each issue reported as `line N: column "value" reason`), valid rows handed on.
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { RowView, type CsvHeader } from '../csv-reader.js';
import { ImportFileError } from '../errors.js';
import type { ImportContext } from '../import-context.js';
import { readTable } from '../table-reader.js';

export async function readValidatedCsv<S extends z.ZodType>(ctx: ImportContext, input: Readable, kind: string,
  columns: { required: string[]; optional?: string[] }, schema: S,
  onRow: (row: z.infer<S>, line: number) => void | Promise<void>, header0?: (h: CsvHeader) => void): Promise<number> {
  let header!: CsvHeader;
  let checked = false;
  let rowsRead = 0;
  const check = () => {
    const missing = columns.required.filter((c) => !header.index.has(c));
    if (missing.length) throw new ImportFileError(`line 1: the header lacks ${missing.join(', ')} (a ${kind} file has ${[...columns.required, ...(columns.optional ?? []).map((c) => `[${c}]`)].join(',')}; found: ${header.columns.join(', ')})`);
    header0?.(header);
    checked = true;
  };
  await readTable(input, (h) => { header = h; }, async (rec) => {
    if (!checked) check();
    rowsRead++;
    if (rowsRead % 5000 === 0) ctx.progress(rowsRead);
    if (rec.fields.length !== header.columns.length) {
      ctx.errors.add({ line: rec.line, reason: `has ${rec.fields.length} fields but the header has ${header.columns.length}` });
      return;
    }
    const v = new RowView(header, rec.fields, rec.line);
    const obj: Record<string, string> = {};
    for (const c of [...columns.required, ...(columns.optional ?? [])]) obj[c] = v.get(c);
    const p = schema.safeParse(obj);
    if (!p.success) {
      const iss = p.error.issues[0];
      const col = String(iss.path[0] ?? '');
      const val = obj[col];
      const msg = iss.message.startsWith('"') || !col ? iss.message : `${JSON.stringify(val)} ${iss.message}`;
      ctx.errors.add({ line: rec.line, column: col || undefined, reason: col ? `${col} ${msg}` : msg });
      return;
    }
    ctx.sample?.(rec.line, p.data as Record<string, unknown>);
    await onRow(p.data, rec.line);
  }, ctx.options.mapping);
  if (!checked && header) check();
  ctx.progress(rowsRead);
  return rowsRead;
}
