// GET /api/hotspots — Getis-Ord Gi* hot spots on a hexagon grid with Benjamini–Hochberg FDR.
// GET /api/hotspots/compare — emerging-hotspot style comparison of two periods.
// The viewer's disclosure control decides the period and counts analysed (domain/hotspots/compute-hotspots.ts): for
// the public, grid periods and cell-key protected counts, and z, p and classes computed from those published counts.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/index.js';
import { compareHotspots, TRENDS } from '../../domain/hotspots/compare-hotspots.js';
import { hotspotTurn } from '../../domain/hotspots/analysis-pool.js';
import { computeHotspots } from '../../domain/hotspots/compute-hotspots.js';
import { compareCell, compareMeta, hotspotCell, hotspotsMeta, type HotspotAsk } from '../../domain/hotspots/hotspot-answer.js';
import { compareAnswerSchema, hotspotsAnswerSchema } from '../../domain/hotspots/hotspots-schema.js';
import { checkHotspotParams, checkHotspotWork, hotspotSettings } from '../../domain/hotspots/hotspot-limits.js';
import { HOTSPOT_CLASSES } from '../../domain/hotspots/classify.js';
import { addDays, daysBetween } from '../../../shared/dates.js';
import { resolvePeriod, type Period } from '../../domain/period/resolve-period.js';
import { seesExactData } from '../../domain/access/principal.js';
import { badRequest } from '../../plugins/errors.js';
import { comparisonFor } from '../../domain/period/comparison.js';
import { compareQuery, hotspotQuery, type HotspotQuery } from './schemas.js';

/** The analysis asked for, as the answer's meta states it. */
const ask = (q: HotspotQuery): HotspotAsk => ({ areaSet: q.areaSet, cellSize: q.cellSize, alpha: q.alpha, source: q.source, categories: q.category ?? null });

/**
 * The role's parameter menu (public and staff: HOTSPOT_CELL_SIZES, band absent or 2–5 × cellSize; analysts and
 * admins: any cell size, band up to 30 × cellSize) and everyone's work cap, before anything is counted.
 */
async function checkParams(db: Db, q: HotspotQuery, exact: boolean): Promise<void> {
  checkHotspotParams(q, exact, hotspotSettings(db));
  await checkHotspotWork(db, q);
}

/**
 * A GeoJSON FeatureCollection, streamed: the cell geometries are already GeoJSON text from PostGIS. Sent in pieces of
 * 500 features that yield to the event loop, so a county grid (tens of thousands of cells, megabytes) is never one
 * string in memory and never holds other requests.
 */
function featureCollection(meta: object, cells: { i: number; j: number; geometry: string; props: Record<string, unknown> }[]): Readable {
  const feature = (c: (typeof cells)[number]) => `{"type":"Feature","id":"${c.i}:${c.j}","properties":${JSON.stringify(c.props)},"geometry":${c.geometry}}`;
  async function* pieces() {
    yield `{"type":"FeatureCollection","meta":${JSON.stringify(meta)},"features":[`;
    for (let k = 0; k < cells.length; k += 500) {
      if (k) await new Promise((res) => setImmediate(res));
      yield (k ? ',' : '') + cells.slice(k, k + 500).map(feature).join(',');
    }
    yield ']}';
  }
  return Readable.from(pieces(), { objectMode: false });
}

/**
 * Both routes take a turn (domain/hotspots/analysis-pool.ts hotspotTurn) from before the handler until its answer
 * starts: only a few analyses count and compute at once; the others wait, or get 503. (Not until the answer is sent:
 * a client reading slowly would hold the turn.)
 */
function takeTurns(app: FastifyInstance): void {
  const ends = new WeakMap<object, () => void>();
  const end = (req: FastifyRequest) => { ends.get(req)?.(); ends.delete(req); };
  app.addHook('preHandler', async (req) => { ends.set(req, await hotspotTurn(app.db)); });
  app.addHook('onSend', async (req, _reply, payload) => { end(req); return payload; });
  app.addHook('onResponse', async (req) => end(req));
  app.addHook('onRequestAbort', async (req) => end(req));
}

const route: FastifyPluginAsyncZod = async (app) => {
  takeTurns(app);
  /** a request without areaSet analyses the region's default set (REGION: stadsdelar only where Stockholm city is) */
  const withRegionSet = <T extends { areaSet?: string }>(q: T): T & { areaSet: string } => ({ ...q, areaSet: q.areaSet ?? app.region.defaultAreaSet });

  app.get('/api/hotspots', {
    schema: {
      tags: ['hotspots'], summary: 'Hot spots: Getis-Ord Gi* on a hexagon grid, Benjamini–Hochberg FDR over all cells',
      description: 'Cells of an EPSG:3006 hexagon grid (served in WGS84) touching the study area, empty cells included. ' +
        'Each cell: count (exact points only), giZ, p (two-sided), pAdjusted (BH over all cells), class ' + HOTSPOT_CLASSES.join('|') + '. ' +
        'For the public (meta.disclosure): the period is widened to whole months, quarters, twelve months or calendar years, counts below k ' +
        'are null and not told apart from zero, larger counts are cell-key protected, and giZ, p and class are computed from the published counts.',
      querystring: hotspotQuery,
      response: { 200: hotspotsAnswerSchema },
    },
  }, async (req, reply) => {
    const q = withRegionSet(req.query);
    await checkParams(app.readDb, q, seesExactData(req.principal));
    const asked = await resolvePeriod(app.readDb, q.source, q.from, q.to);
    const d = await app.disclosureFor(req);
    const r = await computeHotspots(app.readDb, { areaSet: q.areaSet, cellSize: q.cellSize, alpha: q.alpha, distanceBand: q.distanceBand,
      filter: { source: q.source, categories: q.category, from: asked.from, to: asked.to }, disclosure: d });
    const meta = hotspotsMeta(r, { ...ask(q), from: q.from, to: q.to }, asked, d);
    if (q.f === 'json') return { meta, cells: r.cells.map(hotspotCell) };
    reply.type('application/geo+json; charset=utf-8');
    return reply.send(featureCollection(meta, r.cells.map((c) => ({ i: c.i, j: c.j, geometry: c.geometry, props: hotspotCell(c) }))) as never);
  });

  app.get('/api/hotspots/compare', {
    schema: {
      tags: ['hotspots'], summary: 'Emerging hot spots: compares the hot spots of a period with a baseline period',
      description: 'Per cell a trend: ' + TRENDS.join('|') + '. new = hot now, not in the baseline; gone = hot in the baseline, not now; ' +
        'hot in both: intensifying/diminishing when the count per day changed significantly (exact conditional Poisson test, ' +
        'Benjamini–Hochberg over the cells hot in both, at alpha), else persistent; none = hot in neither.',
      querystring: compareQuery,
      response: { 200: compareAnswerSchema },
    },
  }, async (req, reply) => {
    const q = withRegionSet(req.query);
    await checkParams(app.readDb, q, seesExactData(req.principal));
    const d = await app.disclosureFor(req);
    const asked = await resolvePeriod(app.readDb, q.source, q.from, q.to);
    const counted = d.period(asked.from, asked.to);
    const period = { ...counted, days: daysBetween(counted.from, counted.to) };
    let baseline: Period;
    if (q.baselineFrom || q.baselineTo) {
      const bTo = q.baselineTo ?? period.from;
      const bFrom = q.baselineFrom ?? addDays(bTo, -period.days);
      baseline = await resolvePeriod(app.readDb, q.source, bFrom, bTo).catch(() => {
        throw badRequest(`"baselineFrom" (${bFrom}) must be before "baselineTo" (${bTo}).`, { errors: [{ parameter: 'baselineTo', in: 'querystring', message: 'must be after baselineFrom' }] });
      });
    } else baseline = comparisonFor(d, period); // the same calendar month, quarter or year a year earlier, else the equally long period before
    const f = { source: q.source, categories: q.category };
    const r = await compareHotspots(app.readDb, { areaSet: q.areaSet, cellSize: q.cellSize, alpha: q.alpha, distanceBand: q.distanceBand,
      current: { ...f, from: period.from, to: period.to }, baseline: { ...f, from: baseline.from, to: baseline.to }, disclosure: d });
    const meta = compareMeta(r, ask(q), d);
    if (q.f === 'json') return { meta, cells: r.cells.map(compareCell) };
    reply.type('application/geo+json; charset=utf-8');
    return reply.send(featureCollection(meta, r.cells.map((c) => ({ i: c.i, j: c.j, geometry: c.geometry, props: compareCell(c) }))) as never);
  });
};
export default route;
