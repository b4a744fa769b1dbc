import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { areaSetExists, listAreaSets } from '../../domain/areas/list-area-sets.js';
import { listAreas } from '../../domain/areas/list-areas.js';
import { notFound } from '../../plugins/errors.js';
import { areaSetId } from '../shared-schemas.js';

const AreaSet = z.object({ id: z.string(), name: z.string(), level: z.string(), vintage: z.number().nullable(), parentSetId: z.string().nullable(), areaCount: z.number(), isReference: z.boolean(), hasPopulation: z.boolean() });
const Area = z.object({ id: z.number(), code: z.string(), name: z.string(), parentCode: z.string().nullable(), areaKm2: z.number(), population: z.number().nullable(), populationYear: z.number().nullable() });

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/area-sets', {
    schema: { tags: ['areas'], summary: 'The area sets (boundary sets and vintages)', response: { 200: z.array(AreaSet) } },
  }, async () => listAreaSets(app.db));

  app.get('/api/area-sets/:id/areas', {
    schema: {
      tags: ['areas'], summary: 'The areas of one set: JSON rows, or GeoJSON in WGS84',
      params: z.object({ id: areaSetId }),
      querystring: z.object({ f: z.enum(['json', 'geojson']).default('json') }),
    },
  }, async (req, reply) => {
    if (!(await areaSetExists(app.db, req.params.id))) throw notFound(`No area set "${req.params.id}". GET /api/area-sets lists them.`);
    if (req.query.f === 'geojson') {
      const rows = await listAreas(app.db, req.params.id, true);
      reply.type('application/geo+json; charset=utf-8');
      return { type: 'FeatureCollection', features: rows.map(({ geometry, ...p }) => ({ type: 'Feature', id: p.id, properties: { ...p, areaSetId: req.params.id }, geometry })) };
    }
    return listAreas(app.db, req.params.id, false);
  });
};
export default route;
