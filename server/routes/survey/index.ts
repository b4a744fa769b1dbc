// GET /api/survey (per-area survey figures), /api/survey/waves, /api/survey/indicators, /api/survey/groups.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listGroups, listIndicators, listWaves, surveyResults } from '../../domain/survey/survey-results.js';
import { indicatorSchema, surveyGroupsSchema, surveyResultSchema, waveSummarySchema } from '../../domain/survey/survey-schema.js';
import { seesExactData } from '../../domain/access/principal.js';
import { areaSetId, problemSchema } from '../shared-schemas.js';
import { csvLang, csvSep, outputFormat } from '../stats/schemas.js';
import { sendAreaRows } from '../send-area-rows.js';

const SURVEY_CSV_COLUMNS = ['areaId', 'code', 'name', 'value', 'ciLow', 'ciHigh', 'respondents', 'previousWaveValue', 'differenceSignificant', 'suppressed', 'suppression',
  'basisKind', 'basisArea', 'basisStrata', 'strataOmitted'];
const group = z.string().regex(/^(all|female|male|\d{1,3}-\d{1,3}|\d{1,3}\+)$/, 'all, female, male or an age band such as 16-29 or 80+').default('all');

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/survey/indicators', {
    schema: { tags: ['survey'], summary: 'The survey indicators (trygghetsmätningen questions): share (percent) or mean with its scale (1–5)', response: { 200: z.array(indicatorSchema) } },
  }, async () => listIndicators(app.db));

  app.get('/api/survey/waves', {
    schema: { tags: ['survey'], summary: 'The survey waves with their area set and indicators',
      response: { 200: z.array(waveSummarySchema) } },
  }, async () => listWaves(app.db));

  app.get('/api/survey/groups', {
    schema: { tags: ['survey'], summary: 'The respondent groups in the survey results, with Swedish and English labels and the suppression rule',
      description: 'The codes are the `group` values of /api/survey. meta.suppressionLabel ("< 30 svarande") and meta.suppressionRule say when a figure is hidden.',
      querystring: z.object({ wave: z.string().max(100).optional().describe('Only the groups of this wave (GET /api/survey/waves lists them)'),
        indicator: z.string().max(100).optional().describe('Only the groups with results for this indicator') }),
      response: { 200: surveyGroupsSchema, 400: problemSchema } },
  }, async (req) => listGroups(app.db, req.query, app.config.surveyMinRespondents));

  app.get('/api/survey', {
    schema: {
      tags: ['survey'],
      summary: 'Survey figures per area of any set: value, CI (Wilson when the file gave none), respondents, previous wave and a test of the difference',
      description: `Values from fewer than the configured minimum respondents (default 30) are hidden for the public, and so are further groups of ` +
        `the same sex or age partition until the hidden groups hold at least that many respondents together (complementary suppression). Omit wave for the latest. ` +
        `Any area set: each row's basis says how its figures were obtained — own; pooled over the survey areas it contains (population-weighted ` +
        `stratified estimate, strata listed); containing = the figures of the one survey area it lies in, by name, not its own; not-available.`,
      querystring: z.object({ areaSet: areaSetId, wave: z.string().max(100).optional(), indicator: z.string().min(1).max(100), group, f: outputFormat, sep: csvSep, lang: csvLang }),
      response: { 200: surveyResultSchema, 400: problemSchema, 404: problemSchema },
    },
  }, async (req, reply) => {
    const q = req.query;
    const res = await surveyResults(app.readDb, { areaSetId: q.areaSet, wave: q.wave, indicator: q.indicator, group: q.group },
      { exact: seesExactData(req.principal), minRespondents: app.config.surveyMinRespondents });
    // flat basis columns for spreadsheets and GIS (the JSON has the whole basis)
    const flat = res.rows.map((r) => ({ ...r, basisKind: r.basis.kind, basisArea: r.basis.surveyArea?.name ?? null,
      basisStrata: r.basis.strata.map((x) => x.name).join(', ') || null, strataOmitted: r.strataOmitted.map((x) => x.name).join(', ') || null }));
    if (await sendAreaRows(app, reply, { f: q.f, sep: q.sep, areaSetId: q.areaSet, rows: flat, csvColumns: SURVEY_CSV_COLUMNS,
      fileName: `survey-${q.areaSet}-${res.meta.wave.id}-${q.indicator}-${q.group}`, extra: { meta: res.meta } })) return reply;
    return res;
  });
};
export default route;
