// The kept versions of a saved lägesbild's staff text (who saved, when, which fields changed), and any one of them
// with its text. Read by those who read saved reports: staff, analysts, admins. Saving is PATCH /api/reports/:id.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getStaffTextVersion, listStaffTextVersions, StaffTextVersionDetailSchema, StaffTextVersionListSchema,
} from '../../domain/reports/report-versions.js';
import { numericId, problemSchema } from '../shared-schemas.js';

const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const route: FastifyPluginAsyncZod = async (app) => {
  const readers = app.requireRole('staff', 'analyst', 'admin');

  app.get('/api/reports/:id/versions', {
    preHandler: readers,
    schema: {
      tags: ['reports'], summary: 'The versions of a saved lägesbild\'s staff text: who saved each, when, and which fields it changed',
      description: 'Newest first; the current one is marked. Every PATCH /api/reports/{id} that changes something adds one.',
      params: z.object({ id: numericId }), response: { 200: StaffTextVersionListSchema, ...problems },
    },
  }, async (req) => listStaffTextVersions(app.db, req.params.id));

  app.get('/api/reports/:id/versions/:version', {
    preHandler: readers,
    schema: {
      tags: ['reports'], summary: 'One version of a saved lägesbild\'s staff text, with the text as it was then',
      params: z.object({ id: numericId, version: numericId }), response: { 200: StaffTextVersionDetailSchema, ...problems },
    },
  }, async (req) => getStaffTextVersion(app.db, req.params.id, req.params.version));
};

export default route;
