// GET /api/stats — per-area counts, rates and change for one source, period and category set (JSON, CSV, GeoJSON).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { areaStats } from '../../domain/area-stats/area-stats.js';
import { areaStatsResultSchema } from '../../domain/area-stats/area-stats-schema.js';
import { seesExactData } from '../../domain/access/principal.js';
import { areaSetId, comparisonQuery, incidentFilterQuery, problemSchema } from '../shared-schemas.js';
import { STATS_CSV_COLUMNS, csvLang, csvSep, outputFormat } from './schemas.js';
import { sendAreaRows } from '../send-area-rows.js';

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/stats', {
    schema: {
      tags: ['statistics'],
      summary: 'Per-area counts, rates per 1,000 and change vs the previous period, with the set total',
      description: '`from` inclusive, `to` exclusive (local days); an incident counts in the period its occurred_from falls in. ' +
        'The previous period (meta.previousPeriod, with the rule that chose it) is, for one calendar month, quarter or year, the same ' +
        'period one year earlier (2025 against 2024), else the period of equal length just before `from`; `compare` names a rule, ' +
        '`compareFrom`/`compareTo` give a baseline of your own. meta.period.lastDay and .label state the last day inclusive. ' +
        'Change: rate ratio of the rates per person-day with an exact 95 % CI; ' +
        'changeSignificant only when the CI excludes 1. For the public (meta.disclosure): periods are widened to whole months, ' +
        'quarters, twelve months or calendar years (meta.period is what was counted), counts below k are null and not told apart ' +
        'from zero, larger counts carry a cell-key noise and are rounded to meta.roundingBase (within meta.disclosure.maxError). ' +
        '`f=csv` (with `sep=semicolon` for Swedish spreadsheets) and `f=geojson` carry the same rows; every CSV row ends with the ' +
        'period counted and its comparison period as first and last day, both inclusive, and the comparison rule. ' +
        'Aggregated counts: for an area set with counts imported per area and month, quarter or year (import kind area-counts) of ' +
        'the source, the figures are those counts, never added to the events\' counts; meta.aggregated says so (granularity, span, ' +
        'files), a period is widened to whole periods of the data (meta.requestedPeriod), and one outside the data is a 400.',
      querystring: incidentFilterQuery.merge(comparisonQuery).extend({ areaSet: areaSetId, f: outputFormat, sep: csvSep, lang: csvLang }),
      response: { 200: areaStatsResultSchema.describe('f=json; f=csv and f=geojson carry the same rows'), 400: problemSchema, 404: problemSchema },
    },
  }, async (req, reply) => {
    const q = req.query;
    const result = await areaStats(app.readDb, { areaSetId: q.areaSet, source: q.source, categories: q.category, from: q.from, to: q.to, aggregated: true,
      comparison: { compare: q.compare, compareFrom: q.compareFrom, compareTo: q.compareTo } },
      { disclosure: await app.disclosureFor(req) });
    reply.header('Cache-Control', seesExactData(req.principal) ? 'private, no-store' : 'public, max-age=60');
    const { period, previousPeriod: prev } = result.meta;
    if (await sendAreaRows(app, reply, { f: q.f, sep: q.sep, areaSetId: q.areaSet, rows: result.rows, csvColumns: STATS_CSV_COLUMNS,
      csvConstants: { periodFrom: period.from, periodLastDay: period.lastDay, previousPeriodFrom: prev.from, previousPeriodLastDay: prev.lastDay, comparisonRule: prev.rule },
      fileName: `stats-${q.areaSet}-${q.source}-${period.from}-${period.lastDay}`, extra: { meta: result.meta, total: result.total } })) return reply;
    return result;
  });
};
export default route;
