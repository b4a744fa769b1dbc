// The options of an import, shared by the CLI flags and the HTTP query parameters (validated with zod).
import { z } from 'zod';
import { SOURCES } from '../../shared/sources.js';
import { columnMappingSchema } from './column-mapping.js';
import { SUPPORTED_CRS } from './crs.js';

export const IMPORT_KINDS = ['areas', 'population', 'categories', 'crimes', 'shootings', 'guard-reports', 'citizen-reports',
  'survey', 'indicators', 'places', 'polisen-events', 'area-counts'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const setId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'an area-set id: lower-case letters, digits, - and _');
const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', '']).transform((s) => s === 'true' || s === '1' || s === '')]);
const crs = z.string().transform((s, ctx) => {
  const u = s.trim().toUpperCase().replace(/^(\d+)$/, 'EPSG:$1');
  if (!(SUPPORTED_CRS as readonly string[]).includes(u)) { ctx.addIssue({ code: 'custom', message: `use one of ${SUPPORTED_CRS.join(', ')}` }); return z.NEVER; }
  return u as (typeof SUPPORTED_CRS)[number];
});

/** A column mapping given as JSON text (a query parameter, a CLI or multipart field). */
const mappingJson = z.string().max(20_000).transform((s, ctx) => {
  let v: unknown;
  try { v = JSON.parse(s); } catch { ctx.addIssue({ code: 'custom', message: 'is not JSON (a column mapping: {"columns":{"id":"Ärendenummer",…}})' }); return z.NEVER; }
  const r = columnMappingSchema.safeParse(v);
  if (!r.success) { ctx.addIssue({ code: 'custom', message: r.error.issues.map((i) => `${i.path.join('.') || 'mapping'}: ${i.message}`).join('; ') }); return z.NEVER; }
  return r.data;
});

export const importOptionsSchema = z.object({
  areaSet: setId.optional(),
  crs: crs.optional(),
  dryRun: flag.default(false),
  skipInvalid: flag.default(false),
  provider: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,40}$/, 'lower-case letters, digits, . _ -').optional(),
  // areas
  level: z.enum(['county', 'kommun', 'stadsdelsomrade', 'stadsdel', 'basomrade', 'valdistrikt', 'custom']).optional(),
  vintage: z.coerce.number().int().min(1800).max(2200).optional(),
  codeProperty: z.string().min(1).max(100).optional(),
  nameProperty: z.string().min(1).max(100).optional(),
  parentCodeProperty: z.string().min(1).max(100).optional(),
  parentSet: setId.optional(),
  name: z.string().min(1).max(200).optional(),
  // survey
  wave: z.string().regex(/^[\p{L}\p{N}_.-]{1,40}$/u, 'letters, digits, . _ -').optional(),
  waveName: z.string().min(1).max(200).optional(),
  year: z.coerce.number().int().min(1900).max(2200).optional(),
  // categories, area-counts: the source the categories or counts belong to (default crimes)
  source: z.enum(SOURCES).optional(),
  // polisen-events: store crime-type events as source crimes instead of police-events
  asCrimes: flag.default(false),
  // tables in a provider's own layout (CSV, XLSX): issue 19
  mapping: mappingJson.optional().meta({
    description: 'A column mapping as JSON: target field → the file\'s column, and optionally crs, dateFormat (iso, YYYY-MM-DD HH:MM, DD/MM/YYYY, excel-serial), decimalMark and values (the file\'s category values → our codes). Omitted: the file is in the project\'s own layout (or a profile gives the mapping)',
    example: '{"columns":{"id":"Ärendenummer","occurred_from":"Brottsdatum","category":"Brottskod","x":"X-koordinat","y":"Y-koordinat"},"crs":"EPSG:3006","values":{"Skadegörelse på bil":"skadegorelse"}}',
  }),
  profile: z.string().min(1).max(100).optional().meta({ description: 'The name of a saved mapping profile (GET /api/import-profiles) whose mapping the file is read with', example: 'Polisen månadsuttag' }),
  onInvalid: z.enum(['reject', 'skip']).optional().meta({ description: 'reject (the default): any invalid row and nothing is written; skip: write exactly the valid rows in one transaction and report the skipped lines (same as skipInvalid=true)', example: 'skip' }),
});
export type ImportOptions = z.infer<typeof importOptionsSchema>;
