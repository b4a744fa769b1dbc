// Imports over HTTP (admin): POST /api/imports/:kind with the file as the raw body or as multipart/form-data
// (field "file"), options as query parameters → the same summary as the CLI; 422 problem+json with the error
// list when rows are rejected (nothing written). GET /api/imports lists batches (admin, analyst);
// DELETE /api/imports/:id removes one batch's rows (admin). Every import and removal is audited.
import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../domain/audit/record-audit.js';
import { deleteImportBatch } from '../../ingest/delete-batch.js';
import { ImportRejectedError, formatRowError } from '../../ingest/errors.js';
import { IMPORT_KINDS, importOptionsSchema } from '../../ingest/import-options.js';
import { runImport } from '../../ingest/run-import.js';
import { badRequest, notFound, sendProblem } from '../../plugins/errors.js';
import { numericId } from '../shared-schemas.js';

const querySchema = importOptionsSchema.extend({ fileName: z.string().max(255).regex(/^[^/\\]+$/, 'a file name without a path').optional() });

const route: FastifyPluginAsyncZod = async (app) => {
  // the file arrives as a stream, never parsed or buffered by Fastify (this plugin's scope only)
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  await app.register(multipart, { limits: { fileSize: app.config.importMaxBytes, files: 1, fields: 20 } });

  app.post('/api/imports/:kind', {
    preHandler: app.requireRole('admin'),
    // the one route whose body may be large (streamed, limited to IMPORT_MAX_BYTES by runImport); the rest: BODY_LIMIT_BYTES
    bodyLimit: app.config.importMaxBytes,
    schema: {
      tags: ['imports'], summary: 'Import one file (raw body or multipart field "file"); all rows or none',
      description: 'Kinds: areas (GeoJSON), population, categories, crimes, shootings, guard-reports, citizen-reports, survey, indicators (CSV), places (GeoJSON), polisen-events (JSON/JSONL). 422 with errors[] (line, column, reason) when rows are rejected and nothing was written.',
      params: z.object({ kind: z.enum(IMPORT_KINDS) }),
      querystring: querySchema,
    },
  }, async (req, reply) => {
    const { fileName, ...options } = req.query;
    let input: Readable;
    let name: string | null = fileName ?? null;
    if (req.isMultipart()) {
      const file = await req.file();
      if (!file) throw badRequest('The multipart body has no file field.');
      input = file.file;
      name = name ?? file.filename ?? null;
    } else {
      if (!req.body) throw badRequest('Send the file as the request body (or as multipart/form-data field "file").');
      input = req.body as Readable;
    }
    const who = req.principal;
    try {
      const s = await runImport(app.db, { kind: req.params.kind, input, fileName: name, options, importedBy: who.keyId === null ? 'anonymous' : `key:${who.keyId}`, maxBytes: app.config.importMaxBytes });
      await recordAudit(app.db, who, s.dryRun ? 'import.dry-run' : 'import', req.params.kind,
        { batchId: s.batchId, fileName: s.fileName, sha256: s.sha256, rowsRead: s.rowsRead, inserted: s.inserted, updated: s.updated, rejected: s.rejected });
      return reply.code(s.committed ? 201 : 200).send(s);
    } catch (e) {
      if (e instanceof ImportRejectedError) {
        await recordAudit(app.db, who, 'import.rejected', req.params.kind, { fileName: name, rejected: e.total });
        return sendProblem(reply, 422, 'Import rejected', `${e.total} row(s) are invalid, so nothing was written. Fix them, or send skipInvalid=true to import the rest.`,
          { errors: e.errors.map((x) => ({ ...x, message: formatRowError(x) })), rejected: e.total, summary: e.summary ?? null });
      }
      throw e;
    }
  });

  app.get('/api/imports', {
    preHandler: app.requireRole('admin', 'analyst'),
    schema: {
      tags: ['imports'], summary: 'Import batches with their provenance (kind, file, SHA-256, counts, when, by whom)',
      querystring: z.object({ kind: z.enum(IMPORT_KINDS).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0) }),
    },
  }, async (req) => {
    const r = await app.db.query<Record<string, unknown>>(
      `SELECT id, kind, provider, file_name, sha256, options, rows_read, inserted, updated, unchanged, rejected, imported_by, created_at,
              summary->'precision' AS precision, summary->'skipped' AS skipped
       FROM import_batches WHERE ($1::text IS NULL OR kind = $1) ORDER BY id DESC LIMIT $2 OFFSET $3`,
      [req.query.kind ?? null, req.query.limit, req.query.offset]);
    return r.rows.map((b) => ({
      id: Number(b.id), kind: b.kind, provider: b.provider, fileName: b.file_name, sha256: b.sha256, options: b.options,
      rowsRead: b.rows_read, inserted: b.inserted, updated: b.updated, unchanged: b.unchanged, rejected: b.rejected,
      skipped: b.skipped ?? 0, precision: b.precision ?? null, importedBy: b.imported_by, createdAt: (b.created_at as Date).toISOString(),
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
