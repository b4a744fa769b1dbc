// GET /api/region: the part of Sweden this deployment covers (REGION) — what the web map starts on (its box, the
// area set to show first, the county set whose latest data dates the period) and what an API consumer may send.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const RegionAnswer = z.object({
  spec: z.string().describe('the canonical REGION, e.g. "lan:01" or "kommun:1480"'),
  label: z.string().describe('its Swedish name, e.g. "Stockholms län", "Göteborg"'),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).describe('WGS84 west, south, east, north of its municipalities'),
  countySetId: z.string(),
  kommunSetId: z.string(),
  defaultAreaSet: z.string().describe('the finest bundled area set: a map or request without one starts there'),
  municipalities: z.array(z.object({ code: z.string(), name: z.string() })),
});

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/region', {
    schema: { tags: ['meta'], summary: 'The region this deployment covers (REGION): its box, label and reference area sets', response: { 200: RegionAnswer } },
  }, async (_req, reply) => {
    reply.header('Cache-Control', 'public, max-age=3600');
    const r = app.region;
    return { spec: r.spec, label: r.label, bbox: r.bbox, countySetId: r.countySetId, kommunSetId: r.kommunSetId, defaultAreaSet: r.defaultAreaSet,
      municipalities: r.kommuner.map((k) => ({ code: k.code, name: k.name })) };
  });
};
export default route;
