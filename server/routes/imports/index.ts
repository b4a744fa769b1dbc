// Imports over HTTP (admin): POST /api/imports/:kind with the file as the raw body or as multipart/form-data
// (field "file"), options as query parameters → the same summary as the CLI; 422 problem+json with the error
// list when rows are rejected (nothing written). GET /api/imports lists batches (admin, analyst);
// DELETE /api/imports/:id removes one batch's rows (admin). Every import and removal is audited.
// With `Accept: text/event-stream` the import answers server-sent progress and then its result (issue 19).
// POST /api/imports/:kind/preview (analyst, admin) answers what the same file and options would do, writing nothing
// (for areas with the polygons as a commit would store them, for the wizard's map).
// A column mapping (issue 19) comes as the query parameter `mapping` or as a multipart field "mapping" sent before the file.
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../domain/audit/record-audit.js';
import { deleteImportBatch } from '../../ingest/delete-batch.js';
import { ImportFileError, ImportRejectedError, formatRowError } from '../../ingest/errors.js';
import { IMPORT_KINDS, importOptionsSchema, type ImportOptions } from '../../ingest/import-options.js';
import { previewImport } from '../../ingest/preview-import.js';
import { runImport } from '../../ingest/run-import.js';
import { HttpProblem, badRequest, notFound, sendProblem } from '../../plugins/errors.js';
import { numericId } from '../shared-schemas.js';

/** An import's refusal as the problem+json body both the plain answer (422) and the event stream's last event carry. */
function problemOf(e: unknown, instance: string): Record<string, unknown> & { title: string; detail: string } {
  if (e instanceof ImportRejectedError) {
    return { type: 'about:blank', title: 'Import rejected', status: 422, instance,
      detail: `${e.total} row(s) are invalid, so nothing was written. Fix them, or send skipInvalid=true to import the rest.`,
      errors: e.errors.map((x) => ({ ...x, message: formatRowError(x) })), rejected: e.total, summary: e.summary ?? null };
  }
  if (e instanceof ImportFileError) return { type: 'about:blank', title: 'Import rejected', status: 422, instance, detail: e.message };
  if (e instanceof HttpProblem) return { type: 'about:blank', title: e.title, status: e.status, instance, detail: e.message, ...e.extra };
  return { type: 'about:blank', title: 'Internal Server Error', status: 500, instance, detail: 'The import failed on the server; nothing was written.' };
}

/**
 * Server-sent progress for long files (issue 19): `progress` events (rows read, rows per second; at most four a
 * second) while the import runs, then one `result` (the summary) or `problem` (problem+json, nothing written).
 */
function importEvents(run: (onProgress: (rowsDone: number, elapsedMs: number) => void) => Promise<unknown>, problem: (e: unknown) => object): PassThrough {
  const out = new PassThrough();
  const send = (event: string, data: unknown) => { if (!out.writableEnded) out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`); };
  let last = -Infinity;
  send('progress', { rowsRead: 0, rowsPerSecond: 0 });
  run((rowsDone, elapsedMs) => {
    const now = performance.now();
    if (now - last < 250) return;
    last = now;
    send('progress', { rowsRead: rowsDone, rowsPerSecond: elapsedMs > 0 ? Math.round((rowsDone * 1000) / elapsedMs) : 0 });
  }).then((s) => send('result', s), (e) => send('problem', problem(e))).finally(() => out.end());
  return out;
}

/** The preview's answer; the fields named here are documented (and checked), the rest pass as they are. */
const areaMapSchema = z.object({
  geojson: z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({
      type: z.literal('Feature'),
      properties: z.object({ code: z.string(), name: z.string(), inRegion: z.boolean().describe('within the deployment\'s region (the box the importers check points against)') }),
      geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) }),
    })),
  }).describe('the polygons a commit would store, in WGS84, simplified; the first by code, at most 200 and 512 KB'),
  total: z.number().int().describe('areas the set would hold'),
  outside: z.number().int().describe('of them, lying (partly) outside the region'),
  truncated: z.boolean().describe('fewer features shown than total (a note says so too)'),
  toleranceMetres: z.number().describe('the simplification\'s tolerance in EPSG:3006 (a thousandth of the set\'s extent)'),
  region: z.string().describe('what the areas were checked against: the region, or Sweden'),
});
const previewResponseSchema = z.object({
  kind: z.enum(IMPORT_KINDS),
  fileName: z.string().nullable(),
  format: z.enum(['csv', 'xlsx', 'json']),
  headers: z.array(z.string()),
  problem: z.string().nullable().describe('a whole-file problem (a required column not mapped …): then no rows were checked'),
  rowsRead: z.number().int(),
  valid: z.number().int(),
  rejected: z.number().int(),
  wouldInsert: z.number().int(),
  wouldUpdate: z.number().int(),
  wouldLeaveUnchanged: z.number().int(),
  notes: z.array(z.string()),
  areaMap: areaMapSchema.nullable().describe('kind areas: the boundaries as a commit would store them, read inside the rolled-back dry run, for a map; null for other kinds'),
}).passthrough();

const querySchema = importOptionsSchema.extend({ fileName: z.string().max(255).regex(/^[^/\\]+$/, 'a file name without a path').optional() });
const previewQuerySchema = querySchema.omit({ dryRun: true, skipInvalid: true, onInvalid: true });

/** The upload (raw body or multipart field "file") and the options, with a multipart "mapping" field sent before the file. */
async function upload(req: FastifyRequest, options: ImportOptions, fileName: string | null): Promise<{ input: Readable; name: string | null; options: ImportOptions }> {
  if (req.isMultipart()) {
    const file = await req.file();
    if (!file) throw badRequest('The multipart body has no file field.');
    const field = file.fields.mapping as { value?: unknown } | undefined;
    if (field && typeof field.value === 'string' && !options.mapping) {
      const m = importOptionsSchema.shape.mapping.safeParse(field.value);
      if (!m.success) throw badRequest(`The multipart field "mapping" ${m.error.issues[0].message}`);
      options = { ...options, mapping: m.data };
    }
    return { input: file.file, name: fileName ?? file.filename ?? null, options };
  }
  if (!req.body) throw badRequest('Send the file as the request body (or as multipart/form-data field "file").');
  return { input: req.body as Readable, name: fileName, options };
}

const route: FastifyPluginAsyncZod = async (app) => {
  // the file arrives as a stream, never parsed or buffered by Fastify (this plugin's scope only)
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  await app.register(multipart, { limits: { fileSize: app.config.importMaxBytes, files: 1, fields: 20 } });

  app.post('/api/imports/:kind', {
    // the analyst at the central unit brings in the providers' files (issue 19); removing a batch stays with admins
    preHandler: app.requireRole('admin', 'analyst'),
    // the one route whose body may be large (streamed, limited to IMPORT_MAX_BYTES by runImport); the rest: BODY_LIMIT_BYTES
    bodyLimit: app.config.importMaxBytes,
    schema: {
      tags: ['imports'], summary: 'Import one file (raw body or multipart field "file"); all rows or none',
      description: 'Kinds: areas (GeoJSON), population, categories, crimes, shootings, guard-reports, citizen-reports, survey, indicators (CSV), places (GeoJSON), polisen-events (JSON/JSONL), area-counts (aggregated counts per area and period: area_code,period,category,count with areaSet and source; CSV or XLSX). 422 with errors[] (line, column, reason) when rows are rejected and nothing was written.',
      params: z.object({ kind: z.enum(IMPORT_KINDS) }),
      querystring: querySchema,
    },
  }, async (req, reply) => {
    const { fileName, ...query } = req.query;
    const { input, name, options } = await upload(req, query, fileName ?? null);
    const who = req.principal;
    const kind = req.params.kind;
    const run = async (onProgress?: (rowsDone: number, elapsedMs: number) => void) => {
      try {
        const s = await runImport(app.db, { kind, input, fileName: name, options, importedBy: who.keyId === null ? 'anonymous' : `key:${who.keyId}`, maxBytes: app.config.importMaxBytes, onProgress });
        await recordAudit(app.db, who, s.dryRun ? 'import.dry-run' : 'import', kind,
          { batchId: s.batchId, fileName: s.fileName, sha256: s.sha256, rowsRead: s.rowsRead, inserted: s.inserted, updated: s.updated, rejected: s.rejected });
        return s;
      } catch (e) {
        if (e instanceof ImportRejectedError) await recordAudit(app.db, who, 'import.rejected', kind, { fileName: name, rejected: e.total });
        throw e;
      }
    };
    if (/text\/event-stream/.test(String(req.headers.accept ?? ''))) {
      return reply.code(200).type('text/event-stream; charset=utf-8').header('cache-control', 'no-store').header('x-accel-buffering', 'no')
        .send(importEvents(run, (e) => problemOf(e, req.url.split('?')[0])));
    }
    try {
      const s = await run();
      return reply.code(s.committed ? 201 : 200).send(s);
    } catch (e) {
      if (e instanceof ImportRejectedError) {
        const p = problemOf(e, req.url);
        return sendProblem(reply, 422, p.title, p.detail, { errors: p.errors, rejected: p.rejected, summary: p.summary });
      }
      throw e;
    }
  });

  app.post('/api/imports/:kind/preview', {
    preHandler: app.requireRole('admin', 'analyst'),
    bodyLimit: app.config.importMaxBytes,
    schema: {
      tags: ['imports'], summary: 'Preview an import: format, header, suggested mapping, the first rows as stored, every rejected row, what a commit would insert / update / leave unchanged; writes nothing',
      description: 'The same file and options as POST /api/imports/{kind}. Without mapping or profile, a saved profile made for the same columns is used, else the suggested mapping. The commit is POST /api/imports/{kind} with the same mapping (and onInvalid=skip to write only the valid rows).',
      params: z.object({ kind: z.enum(IMPORT_KINDS) }),
      querystring: previewQuerySchema,
      response: { 200: previewResponseSchema },
    },
  }, async (req) => {
    const { fileName, ...query } = req.query;
    const { input, name, options } = await upload(req, { ...query, dryRun: true, skipInvalid: true }, fileName ?? null);
    return previewImport(app.db, { kind: req.params.kind, input, fileName: name, options, maxBytes: app.config.importMaxBytes });
  });

  app.get('/api/imports', {
    preHandler: app.requireRole('admin', 'analyst'),
    schema: {
      tags: ['imports'], summary: 'Import batches with their provenance (kind, file, SHA-256, counts, profile, when, by whom — the key\'s name)',
      querystring: z.object({ kind: z.enum(IMPORT_KINDS).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0) }),
    },
  }, async (req) => {
    const r = await app.db.query<Record<string, unknown>>(
      `SELECT b.id, b.kind, b.provider, b.file_name, b.sha256, b.options, b.rows_read, b.inserted, b.updated, b.unchanged, b.rejected,
              b.imported_by, k.name AS imported_by_name, b.created_at, b.summary->'precision' AS precision, b.summary->'skipped' AS skipped
       FROM import_batches b LEFT JOIN api_keys k ON b.imported_by = 'key:' || k.id
       WHERE ($1::text IS NULL OR b.kind = $1) ORDER BY b.id DESC LIMIT $2 OFFSET $3`,
      [req.query.kind ?? null, req.query.limit, req.query.offset]);
    return r.rows.map((b) => ({
      id: Number(b.id), kind: b.kind, provider: b.provider, fileName: b.file_name, sha256: b.sha256, options: b.options,
      rowsRead: b.rows_read, inserted: b.inserted, updated: b.updated, unchanged: b.unchanged, rejected: b.rejected,
      skipped: b.skipped ?? 0, precision: b.precision ?? null, importedBy: b.imported_by, importedByName: b.imported_by_name ?? null,
      profile: (b.options as { profile?: string } | null)?.profile ?? null, createdAt: (b.created_at as Date).toISOString(),
    }));
  });

  app.delete('/api/imports/:id', {
    preHandler: app.requireRole('admin'),
    schema: { tags: ['imports'], summary: "Remove one import batch's rows (and refresh the rollup)", params: z.object({ id: numericId }) },
  }, async (req) => {
    const res = await deleteImportBatch(app.db, req.params.id);
    if (!res) throw notFound(`No import batch ${req.params.id}. GET /api/imports lists them.`);
    await recordAudit(app.db, req.principal, 'import.delete', String(req.params.id), res);
    return { deleted: res };
  });
};
export default route;
