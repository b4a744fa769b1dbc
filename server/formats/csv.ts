// CSV output shared by every export (stats, survey, divergence, OGC, reports).
//
// sep=comma (default): RFC 4180 — `,` between fields, `.` as the decimal mark, CRLF, no BOM.
// sep=semicolon: what a Swedish spreadsheet (Excel/LibreOffice with sv-SE locale) opens correctly on double-click —
//   `;` between fields, `,` as the decimal mark (3,25 not 3.25, otherwise Excel reads numbers as dates or text),
//   a UTF-8 byte-order mark (so å ä ö are not read as Windows-1252), CRLF.
// Every text cell that starts with = + - @ (or a tab/CR) is prefixed with an apostrophe so that a spreadsheet
// treats it as text, never as a formula (CSV/formula injection). Numbers are not touched: -3 stays a number.
// null/undefined → empty cell; booleans → true/false (lang=sv: ja/nej, and coded values such as a plan's status in words); objects/arrays → JSON text.
// lang=sv: Swedish column names (shared/csv-columns.ts). Never a comment line: the first line is the header.
import { stringify } from 'csv-stringify/sync';
import { csvBoolean, csvColumnName, csvValue, type CsvLang } from '../../shared/csv-columns.js';

export type CsvSeparator = 'comma' | 'semicolon';
export type CsvOptions = { sep?: CsvSeparator; lang?: CsvLang };

export const UTF8_BOM = '\uFEFF';

/** A text cell that a spreadsheet would evaluate as a formula, made inert. */
export function neutraliseFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function formatNumber(n: number, sep: CsvSeparator): string {
  if (!Number.isFinite(n)) return '';
  const s = String(n);
  return sep === 'semicolon' ? s.replace('.', ',') : s;
}

function cell(column: string, v: unknown, sep: CsvSeparator, lang: CsvLang): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v, sep);
  if (typeof v === 'boolean') return csvBoolean(v, lang);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return neutraliseFormula(JSON.stringify(v));
  return neutraliseFormula(typeof v === 'string' ? csvValue(column, v, lang) : String(v));
}

/** Rows as CSV with a header line of `columns` (in that order); see the file comment for the two dialects. */
export function toCsv(rows: Record<string, unknown>[], columns: string[], opts: CsvOptions = {}): string {
  const sep: CsvSeparator = opts.sep ?? 'comma';
  const lang: CsvLang = opts.lang ?? 'en';
  const data = rows.map((r) => columns.map((c) => cell(c, r[c], sep, lang)));
  const text = stringify([columns.map((c) => neutraliseFormula(csvColumnName(c, lang))), ...data], {
    delimiter: sep === 'semicolon' ? ';' : ',',
    record_delimiter: '\r\n',
    quoted_match: /^\s|\s$/,
  });
  return sep === 'semicolon' ? UTF8_BOM + text : text;
}

/** The Content-Type to send with toCsv output. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
