import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { areaSetExists, listAreaSets } from '../../domain/areas/list-area-sets.js';
import { listAreas } from '../../domain/areas/list-areas.js';
import { areaRowSchema, areaSetSummarySchema } from '../../domain/areas/area-schema.js';
import { notFound } from '../../plugins/errors.js';
import { areaSetId } from '../shared-schemas.js';

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/area-sets', {
    schema: { tags: ['areas'], summary: 'The area sets (boundary sets and vintages)', response: { 200: z.array(areaSetSummarySchema) } },
  }, async () => listAreaSets(app.db));

  app.get('/api/area-sets/:id/areas', {
    schema: {
      tags: ['areas'], summary: 'The areas of one set: JSON rows, or GeoJSON in WGS84',
      params: z.object({ id: areaSetId }),
      querystring: z.object({ f: z.enum(['json', 'geojson']).default('json') }),
      response: { 200: z.union([z.array(areaRowSchema), z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) })]) },
    },
  }, async (req, reply) => {
    if (!(await areaSetExists(app.db, req.params.id))) throw notFound(`No area set "${req.params.id}". GET /api/area-sets lists them.`);
    if (req.query.f === 'geojson') {
      const rows = await listAreas(app.db, req.params.id, true);
      reply.type('application/geo+json; charset=utf-8');
      return { type: 'FeatureCollection' as const, features: rows.map(({ geometry, ...p }) => ({ type: 'Feature', id: p.id, properties: { ...p, areaSetId: req.params.id }, geometry })) };
    }
    return listAreas(app.db, req.params.id, false);
  });
};
export default route;
