// Reads the first worksheet of an XLSX workbook (exceljs' streaming reader) as rows of text, each with its sheet row
// number (the header is the first non-empty row). The compressed workbook is held in memory, its rows are not; its
// size, ZIP entry count and expanded size (declared, then counted while inflating into nothing) are checked before
// exceljs sees it. Dates (Excel has no time zones) become ISO local wall time, numbers their plain decimal form,
// formulas their cached result, rich text its text.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ImportFileError } from './errors.js';
import { checkZip, verifyExpandedSizes } from './zip-limits.js';

export const XLSX_LIMITS = { maxBytes: 64 * 1024 * 1024, maxEntries: 5000, maxExpandedBytes: 512 * 1024 * 1024, what: 'the workbook', format: 'XLSX workbook' };

/** The text of one cell value as a CSV file would hold it. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 19);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('error' in v) return String(v.error);
  if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in v) return String((v as { text: unknown }).text);
  return '';
}

/**
 * Streams the first worksheet's rows (exceljs' streaming reader: memory does not grow with the rows): onHeader with
 * the first non-empty row, then onRow for each further non-empty row with its sheet row number. Returns the row count.
 */
export async function readXlsx(buf: Buffer, onHeader: (header: string[]) => void | Promise<void>,
  onRow: (r: { line: number; fields: string[] }) => void | Promise<void>): Promise<number> {
  if (buf.length > XLSX_LIMITS.maxBytes) throw new ImportFileError(`the workbook is larger than ${XLSX_LIMITS.maxBytes / 1024 / 1024} MB, the limit for XLSX (save it as CSV for larger files)`);
  const entries = checkZip(buf, XLSX_LIMITS);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw new ImportFileError('the file is a ZIP archive but not an XLSX workbook (only XLSX, CSV and GeoJSON are accepted)');
  await verifyExpandedSizes(buf, entries, XLSX_LIMITS.what);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
  let header: string[] | null = null;
  let rows = 0;
  let sheets = 0;
  let caller: unknown = null; // an error of the callbacks passes through as it is; the reader's own become ImportFileError
  try {
    for await (const ws of reader) {
      if (sheets++ > 0) break;
      for await (const row of ws) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map((v) => cellText(v).trim());
        if (values.every((s) => s === '')) continue;
        try {
          if (!header) { header = values; await onHeader(header); continue; }
          while (values.length < header.length) values.push('');
          rows++;
          await onRow({ line: row.number, fields: values });
        } catch (e) { caller = e; throw e; }
      }
    }
  } catch (e) {
    if (e === caller || e instanceof ImportFileError) throw e;
    throw new ImportFileError(`the workbook cannot be read (${(e as Error).message})`);
  }
  if (!header) throw new ImportFileError(sheets ? 'the worksheet is empty' : 'the workbook has no worksheet');
  return rows;
}
