// Reads a tabular import file — CSV (`,` `;` or tab, decimal commas in `;` files) or an XLSX workbook (told apart by
// its first bytes, checked before parsing) — as a header and records, and applies a column mapping if one is given:
// the records then carry the target fields (id, occurred_from, x …) in the project's formats, so every kind's
// validator and writer run unchanged on a provider's own layout.
import { Readable } from 'node:stream';
import { CATEGORY_TARGETS, DATE_TARGETS, NUMBER_TARGETS, mapCategory, toDecimalPoint, toIsoDate, type ColumnMapping } from './column-mapping.js';
import { normaliseColumn, readCsv, type CsvHeader, type CsvRecord } from './csv-reader.js';
import { ImportFileError } from './errors.js';
import { XLSX_LIMITS, readXlsx } from './xlsx-reader.js';

export type TableFormat = 'csv' | 'xlsx';
export type TableHeader = CsvHeader & { format: TableFormat; raw: string[] };

function indexOf(columns: string[]): Map<string, number> {
  const index = new Map<string, number>();
  columns.forEach((c, i) => { if (c && !index.has(c)) index.set(c, i); });
  return index;
}

/** The header and record transform of a mapping over a file's header. */
export function applyMapping(h: TableHeader, m: ColumnMapping): { header: TableHeader; map: (fields: string[]) => string[] } {
  const targets = Object.entries(m.columns);
  const src = targets.map(([target, source]) => {
    const i = h.index.get(normaliseColumn(source));
    if (i === undefined) throw new ImportFileError(`line 1: the mapping takes ${target} from column "${source}", which the file does not have (found: ${h.raw.join(', ')})`);
    return i;
  });
  const taken = new Set([...targets.map(([t]) => t), ...src.map((i) => h.columns[i])]);
  const rest = h.columns.map((c, i) => [c, i] as const).filter(([c]) => c && !taken.has(c));
  const columns = [...targets.map(([t]) => t), ...rest.map(([c]) => c)];
  const decimalComma = m.decimalMark ? m.decimalMark === ',' : (h.decimalComma ?? false);
  const convert = targets.map(([t]) =>
    DATE_TARGETS.has(t) ? (s: string) => toIsoDate(s, m.dateFormat)
      : NUMBER_TARGETS.has(t) ? (s: string) => (decimalComma ? toDecimalPoint(s) : s.trim())
        : CATEGORY_TARGETS.has(t) ? (s: string) => mapCategory(s, m.values)
          : (s: string) => s.trim());
  const header: TableHeader = { ...h, columns, index: indexOf(columns), raw: [...targets.map(([, s]) => s), ...rest.map(([, i]) => h.raw[i])], decimalComma };
  const map = (fields: string[]) => {
    // a row with the wrong number of fields is passed on as it is: the validator names it
    if (fields.length !== h.columns.length) return fields;
    return [...src.map((i, k) => convert[k](fields[i] ?? '')), ...rest.map(([, i]) => fields[i] ?? '')];
  };
  return { header, map };
}

/** What kind of file the first bytes say this is (before any parser sees it). */
export function sniffFormat(first: Buffer): TableFormat {
  if (first.length >= 4 && first.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  const head = first.subarray(0, 4096);
  if (head.includes(0)) throw new ImportFileError('the file is not text, CSV or an XLSX workbook (a UTF-16 CSV? save it as UTF-8)');
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{') || text.startsWith('[')) throw new ImportFileError('the file is JSON, but this kind takes a CSV or XLSX table');
  if (text.startsWith('%PDF')) throw new ImportFileError('the file is a PDF, but this kind takes a CSV or XLSX table');
  return 'csv';
}

/**
 * Reads a CSV or XLSX table: onHeader once (with the mapped header when a mapping is given), then each record with
 * its file line (the sheet's row number for XLSX). Returns the number of records.
 */
export async function readTable(input: Readable, onHeader: (h: TableHeader) => void | Promise<void>,
  onRecord: (r: CsvRecord) => void | Promise<void>, mapping?: ColumnMapping): Promise<number> {
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const first = await it.next();
  if (first.done) throw new ImportFileError('the file is empty');
  const chunk0 = Buffer.isBuffer(first.value) ? first.value : Buffer.from(first.value);
  const format = sniffFormat(chunk0);
  let map: (fields: string[]) => string[] = (f) => f;
  const header = async (h: TableHeader) => {
    if (mapping) {
      const a = applyMapping(h, mapping);
      map = a.map;
      await onHeader(a.header);
    } else await onHeader(h);
  };
  if (format === 'xlsx') {
    const parts = [chunk0];
    let size = chunk0.length;
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
      size += b.length;
      if (size > XLSX_LIMITS.maxBytes) throw new ImportFileError(`the workbook is larger than ${XLSX_LIMITS.maxBytes / 1024 / 1024} MB, the limit for XLSX (save it as CSV for larger files)`);
      parts.push(b);
    }
    return readXlsx(Buffer.concat(parts), async (raw) => {
      const columns = raw.map(normaliseColumn);
      await header({ columns, raw, delimiter: '', index: indexOf(columns), decimalComma: true, format });
    }, (r) => onRecord({ line: r.line, fields: map(r.fields) }));
  }
  const rest = (async function* () {
    yield chunk0;
    for (;;) { const r = await it.next(); if (r.done) return; yield r.value; }
  })();
  let pending: Promise<void> | null = null;
  let seen = false;
  return readCsv(Readable.from(rest), (h) => { pending = header({ ...h, raw: h.raw ?? h.columns, format }) as Promise<void>; }, async (rec) => {
    if (!seen) { seen = true; await pending; }
    await onRecord({ line: rec.line, fields: map(rec.fields) });
  }).then(async (n) => { if (!seen) await pending; return n; });
}
