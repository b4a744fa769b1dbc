// Mapping profiles (issue 19, analyst and admin): GET lists the saved column mappings (of one kind), POST saves a
// confirmed mapping under a unique name with the header it was made for, so the preview offers it for the next file
// with the same columns and imports take it by name (?profile=, npm run import -- --profile). Saving is audited.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../domain/audit/record-audit.js';
import { columnMappingSchema } from '../../ingest/column-mapping.js';
import { IMPORT_KINDS } from '../../ingest/import-options.js';
import { listProfiles, saveProfile } from '../../ingest/import-profiles.js';
import { sendProblem } from '../../plugins/errors.js';

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/import-profiles', {
    preHandler: app.requireRole('admin', 'analyst'),
    schema: {
      tags: ['imports'], summary: 'Saved column-mapping profiles',
      querystring: z.object({ kind: z.enum(IMPORT_KINDS).optional().meta({ description: 'Only the profiles of this import kind', example: 'crimes' }) }),
    },
  }, async (req) => listProfiles(app.db, req.query.kind));

  app.post('/api/import-profiles', {
    preHandler: app.requireRole('admin', 'analyst'),
    schema: {
      tags: ['imports'], summary: 'Save a column mapping under a name (409 when the name is taken)',
      body: z.object({
        name: z.string().trim().min(1).max(100),
        kind: z.enum(IMPORT_KINDS),
        headers: z.array(z.string().max(200)).min(1).max(500),
        mapping: columnMappingSchema,
      }).strict(),
    },
  }, async (req, reply) => {
    const who = req.principal;
    const p = await saveProfile(app.db, { ...req.body, createdBy: who.keyId === null ? 'anonymous' : `key:${who.keyId}` });
    if (!p) return sendProblem(reply, 409, 'Conflict', `A mapping profile named "${req.body.name}" exists. GET /api/import-profiles lists them; choose another name.`);
    await recordAudit(app.db, who, 'import-profile.create', p.name, { id: p.id, kind: p.kind });
    return reply.code(201).send(p);
  });
};
export default route;
