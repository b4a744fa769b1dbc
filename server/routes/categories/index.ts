// GET /api/categories?source= — the category codes of a source with labels and groups, for filters (category=).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listCategories } from '../../domain/categories/list-categories.js';
import { categoryEntrySchema } from '../../domain/categories/category-schema.js';
import { seesExactData } from '../../domain/access/principal.js';
import { SOURCES } from '../../../shared/sources.js';
import { problemSchema } from '../shared-schemas.js';

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/categories', {
    schema: {
      tags: ['statistics'], summary: 'The category codes of a source, with Swedish and English labels and their group',
      description: 'Declared categories (the categories import) plus codes that occur in the data without a declaration ' +
        '(labelled by their code, labelled: false; for roles without exact data only when they have at least k incidents). ' +
        'Use the codes as `category=a,b` on /api/stats, /api/hotspots and the tiles.',
      querystring: z.object({ source: z.enum(SOURCES).default('crimes') }),
      response: { 200: z.array(categoryEntrySchema), 400: problemSchema },
    },
  }, async (req, reply) => {
    const exact = seesExactData(req.principal);
    reply.header('Cache-Control', exact ? 'private, no-store' : 'public, max-age=60');
    return listCategories(app.db, req.query.source, { exact, k: app.config.suppressionK });
  });
};
export default route;
