// GET /api/areas/:id/profile — the area profile (the data of a lägesbild).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { areaProfile } from '../../domain/profile/area-profile.js';
import { seesExactData } from '../../domain/access/principal.js';
import { categoryList, isoDate, numericId, problemSchema } from '../shared-schemas.js';
import { surveyFigureSchema } from '../../domain/survey/survey-schema.js';
import { areaStatsRowSchema as statsRowSchema, areaStatsTotalSchema as statsTotalSchema } from '../../domain/area-stats/area-stats-schema.js';
import { provenanceSchema } from '../../domain/provenance/provenance-schema.js';

const period = z.object({ from: z.string(), to: z.string(), days: z.number() });
const wave = z.object({ id: z.string(), name: z.string(), year: z.number(), areaSetId: z.string().nullable() });
const item = z.object({ code: z.string(), label: z.string(), group: z.string().nullable(), count: z.number().nullable(), previousCount: z.number().nullable(), suppressed: z.boolean() });
const sourceProfile = z.object({
  source: z.string(), area: statsRowSchema, city: statsTotalSchema,
  vsRestOfSet: z.object({ ratio: z.number().nullable(), ciLow: z.number().nullable(), ciHigh: z.number().nullable(), significant: z.boolean(), available: z.boolean() }),
  byCategory: z.array(item),
  monthly: z.array(z.object({ month: z.string(), count: z.number().nullable(), suppressed: z.boolean() })),
  weekdayHour: z.object({ matrix: z.array(z.array(z.number().nullable())).describe('[Monday..Sunday][hour 0..23], aoristic weights'), weekdays: z.array(z.string()), weighting: z.literal('aoristic'), total: z.number().nullable() }),
});
const profileSchema = z.object({
  meta: z.object({
    area: z.object({ id: z.number(), code: z.string(), name: z.string(), areaSetId: z.string(), areaSetName: z.string() }),
    period, previousPeriod: period, monthlyFrom: z.string(), k: z.number(), exact: z.boolean(), roundingBase: z.number().nullable(), suppression: z.string(),
    dataVersion: z.number(), generatedAt: z.string(), provenance: provenanceSchema.extend({ surveyWaves: z.array(wave) }),
  }),
  sources: z.array(sourceProfile),
  survey: z.object({ wave: wave.nullable(), previousWave: wave.nullable(), minRespondents: z.number(),
    items: z.array(z.object({ indicator: z.string(), text: z.string(), kind: z.string(), direction: z.string(), group: z.string() }).merge(surveyFigureSchema)) }),
  places: z.array(z.object({ id: z.number(), name: z.string(), status: z.string(), startDate: z.string().nullable(), endDate: z.string().nullable() })),
});

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/areas/:id/profile', {
    schema: {
      tags: ['statistics'],
      summary: 'The area profile: every source per period with change and city reference, breakdowns, monthly series, weekday × hour (aoristic), survey, places, provenance',
      description: '`from` inclusive, `to` exclusive; `category` filters the crimes. The same suppression as /api/stats for the public.',
      params: z.object({ id: numericId }),
      querystring: z.object({ from: isoDate.optional(), to: isoDate.optional(), category: categoryList.optional() }),
      response: { 200: profileSchema, 400: problemSchema, 404: problemSchema },
    },
  }, async (req, reply) => {
    reply.header('Cache-Control', seesExactData(req.principal) ? 'private, no-store' : 'public, max-age=60');
    return areaProfile(app.db, req.params.id, { from: req.query.from, to: req.query.to, categories: req.query.category },
      { disclosure: await app.disclosureFor(req), surveyMinRespondents: app.config.surveyMinRespondents });
  });
};
export default route;
