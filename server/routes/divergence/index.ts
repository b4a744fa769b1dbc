// GET /api/divergence — survey insecurity vs register crime rate per area, as city-relative z-scores and a class.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { divergence } from '../../domain/divergence/divergence.js';
import { divergenceResultSchema } from '../../domain/divergence/divergence-schema.js';
import { seesExactData } from '../../domain/access/principal.js';
import { areaSetId, incidentFilterQuery, problemSchema } from '../shared-schemas.js';
import { csvLang, csvSep, outputFormat } from '../stats/schemas.js';
import { sendAreaRows } from '../send-area-rows.js';
import { addDays } from '../../../shared/dates.js';

const COLUMNS = ['areaId', 'code', 'name', 'surveyValue', 'respondents', 'ratePer1000', 'zFear', 'zCrime', 'gap', 'class'];

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/divergence', {
    schema: {
      tags: ['statistics', 'survey'],
      summary: 'Survey insecurity vs register crime per area (z-scores within the set; classes fear-above-crime, crime-above-fear, aligned)',
      description: 'gap = zFear − zCrime; |gap| > 1 (one standard deviation) classifies the area. Indicators where higher is better are negated first.',
      querystring: incidentFilterQuery.extend({ areaSet: areaSetId, wave: z.string().max(100).optional(), indicator: z.string().min(1).max(100), f: outputFormat, sep: csvSep, lang: csvLang }),
      response: { 200: divergenceResultSchema, 400: problemSchema, 404: problemSchema },
    },
  }, async (req, reply) => {
    const q = req.query;
    const res = await divergence(app.readDb, { areaSetId: q.areaSet, wave: q.wave, indicator: q.indicator, source: q.source, categories: q.category, from: q.from, to: q.to },
      { disclosure: await app.disclosureFor(req), surveyMinRespondents: app.config.surveyMinRespondents });
    // every CSV row states the period the crime rates count, first and last day inclusive
    const csvConstants = { periodFrom: res.meta.period.from, periodLastDay: addDays(res.meta.period.to, -1) };
    if (await sendAreaRows(app, reply, { f: q.f, sep: q.sep, areaSetId: q.areaSet, rows: res.rows, csvColumns: COLUMNS, csvConstants,
      fileName: `divergence-${q.areaSet}-${q.indicator}`, extra: { meta: res.meta } })) return reply;
    return res;
  });
};
export default route;
