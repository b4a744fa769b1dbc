// GET /api/areas/:id/profile — the area profile (the data of a lägesbild).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { areaProfile } from '../../domain/profile/area-profile.js';
import { areaProfileSchema } from '../../domain/profile/area-profile-schema.js';
import { seesExactData } from '../../domain/access/principal.js';
import { categoryList, comparisonQuery, isoDate, numericId, problemSchema } from '../shared-schemas.js';

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/areas/:id/profile', {
    schema: {
      tags: ['statistics'],
      summary: 'The area profile: every source per period with change and city reference, breakdowns, monthly series, weekday × hour (aoristic), survey, places, provenance',
      description: '`from` inclusive, `to` exclusive; `category` filters the crimes. The same suppression as /api/stats for the public. ' +
        'The comparison period as in /api/stats (meta.previousPeriod and its rule; `compare`, `compareFrom`/`compareTo`).',
      params: z.object({ id: numericId }),
      querystring: z.object({ from: isoDate.optional(), to: isoDate.optional(), category: categoryList.optional() }).merge(comparisonQuery),
      response: { 200: areaProfileSchema, 400: problemSchema, 404: problemSchema },
    },
  }, async (req, reply) => {
    reply.header('Cache-Control', seesExactData(req.principal) ? 'private, no-store' : 'public, max-age=60');
    const q = req.query;
    return areaProfile(app.readDb, req.params.id, { from: q.from, to: q.to, categories: q.category, comparison: { compare: q.compare, compareFrom: q.compareFrom, compareTo: q.compareTo } },
      { disclosure: await app.disclosureFor(req), surveyMinRespondents: app.config.surveyMinRespondents });
  });
};
export default route;
