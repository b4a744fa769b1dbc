// Reads the first worksheet of an XLSX workbook (exceljs) as rows of text, each with its sheet row number (the
// header is the first non-empty row). The workbook is held in memory: its size, ZIP entry count and expanded size
// (declared, then counted while inflating into nothing) are checked before exceljs sees it. Dates (Excel has no time zones) become ISO local wall time, numbers their
// plain decimal form, formulas their cached result, rich text its text.
import ExcelJS from 'exceljs';
import { ImportFileError } from './errors.js';
import { checkZip, verifyExpandedSizes } from './zip-limits.js';

export const XLSX_LIMITS = { maxBytes: 64 * 1024 * 1024, maxEntries: 5000, maxExpandedBytes: 512 * 1024 * 1024 };

export type SheetRows = { header: string[]; rows: { line: number; fields: string[] }[] };

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

export async function readXlsx(buf: Buffer): Promise<SheetRows> {
  if (buf.length > XLSX_LIMITS.maxBytes) throw new ImportFileError(`the workbook is larger than ${XLSX_LIMITS.maxBytes / 1024 / 1024} MB, the limit for XLSX (save it as CSV for larger files)`);
  const entries = checkZip(buf, XLSX_LIMITS);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw new ImportFileError('the file is a ZIP archive but not an XLSX workbook (only XLSX, CSV and GeoJSON are accepted)');
  await verifyExpandedSizes(buf, entries);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (e) {
    throw new ImportFileError(`the workbook cannot be read (${(e as Error).message})`);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ImportFileError('the workbook has no worksheet');
  let header: string[] | null = null;
  const rows: SheetRows['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
    if (values.every((s) => s.trim() === '')) return;
    if (!header) { header = values.map((s) => s.trim()); return; }
    while (values.length < header.length) values.push('');
    rows.push({ line, fields: values.slice(0, Math.max(header.length, values.length)).map((s) => s.trim()) });
  });
  if (!header) throw new ImportFileError('the worksheet is empty');
  return { header, rows };
}
