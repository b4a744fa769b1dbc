// A column mapping: how a provider's file (Swedish headers, its own date format, decimal commas, its own category
// names) becomes the project's column layout before the per-kind validation runs — so the CLI, the HTTP API and the
// preview share one validator and one writer. `columns` maps each target field (id, occurred_from, x …) to a column
// of the file; `values` maps the file's category values to our codes; dates in `dateFormat` become ISO local time.
import { z } from 'zod';
import { SUPPORTED_CRS } from './crs.js';

export const DATE_FORMATS = ['iso', 'YYYY-MM-DD HH:MM', 'DD/MM/YYYY', 'excel-serial'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Target fields whose values are instants, numbers (coordinates) or category values. */
export const DATE_TARGETS = new Set(['occurred_from', 'occurred_to', 'occurred_at', 'reported_at', 'start_date']);
export const NUMBER_TARGETS = new Set(['x', 'y', 'lat', 'lon', 'lng']);
export const CATEGORY_TARGETS = new Set(['category', 'outcome', 'intervention']);

export const columnMappingSchema = z.object({
  columns: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, 'a target field such as id, occurred_from, x'), z.string().min(1).max(200)),
  crs: z.enum(SUPPORTED_CRS).optional(),
  dateFormat: z.enum(DATE_FORMATS).optional(),
  decimalMark: z.enum(['.', ',']).optional(),
  values: z.record(z.string().max(200), z.string().max(64)).optional(),
}).strict();
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

const DMY = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const SERIAL = /^\d{4,6}(?:\.\d+)?$/;
const pad = (n: number | string, w = 2) => String(n).padStart(w, '0');

/** An Excel serial day number (1900 date system) as ISO local wall time, e.g. 45717.5 → 2025-03-01T12:00:00. */
export function excelSerialToIso(serial: number): string {
  return new Date(Math.round((serial - 25569) * 86400_000)).toISOString().slice(0, 19);
}

/** A value in the given date format as ISO local time; a value that does not match is returned as it is (the validator names it). */
export function toIsoDate(raw: string, format: DateFormat | undefined): string {
  const s = raw.trim();
  if (format === 'DD/MM/YYYY') {
    const m = DMY.exec(s);
    if (m) return `${m[3]}-${pad(m[2])}-${pad(m[1])}${m[4] ? `T${pad(m[4])}:${m[5]}:${m[6] ?? '00'}` : ''}`;
  } else if (format === 'excel-serial' && SERIAL.test(s)) {
    return excelSerialToIso(Number(s));
  }
  return s;
}

/** "674032,5" → "674032.5" when the file writes decimal commas. */
export function toDecimalPoint(raw: string): string {
  const s = raw.trim();
  return /^[+-]?\d+,\d+$/.test(s) ? s.replace(',', '.') : s;
}

/** The file's category value as our code (mapping.values, matched exactly, then case-insensitively). */
export function mapCategory(raw: string, values: Record<string, string> | undefined): string {
  const s = raw.trim();
  if (!values) return s;
  if (Object.hasOwn(values, s)) return values[s];
  const lower = s.toLowerCase();
  for (const [k, v] of Object.entries(values)) if (k.trim().toLowerCase() === lower) return v;
  return s;
}
