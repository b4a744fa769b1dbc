// Vector tiles: GET /tiles/:layer/:z/:x/:y.mvt (Mapbox Vector Tile 2.1) and GET /tiles/:layer.json (TileJSON 3.0).
// Filters as the APIs: source, category, from, to, areaSet (+ cellSize, alpha for hotspots). 204 for an empty
// tile; ETag (layer + filters + z/x/y + data version + role class) with If-None-Match → 304; Cache-Control.
// The incidents layer (points) is for analysts and admins only and every request of it is audited.
// Data-version URLs (issue 22, a cache in front): `v=<data version>` (the web map takes it from /api/stats'
// meta.dataVersion) makes a public tile of the current version `immutable` for a year — the URL changes when the
// data does, so a shared cache may keep it. Signed-in answers ignore `v` and stay private as without it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkHotspotParams, hotspotSettings } from '../../domain/hotspots/hotspot-limits.js';
import { seesExactData } from '../../domain/access/principal.js';
import { currentDataVersion, forgetDataVersion } from '../../domain/data-version/data-version.js';
import { badRequest, notFound } from '../../plugins/errors.js';
import { LAYER_NAMES, LAYERS, type LayerName } from '../../tiles/layers.js';
import { TileAbortedError, TileService } from '../../tiles/tile-service.js';
import { TileAudit } from '../../tiles/tile-audit.js';
import { tileJson } from '../../tiles/tilejson.js';
import { validTile } from '../../tiles/tile-math.js';
import { areaSetId, incidentFilterQuery } from '../shared-schemas.js';

const tileQuery = incidentFilterQuery.extend({
  areaSet: areaSetId.optional().describe('Area set of the areas layer, and the study area of the hotspots layer. Omitted: the region\'s default set (defaultAreaSet of GET /api/region: stadsdelar where REGION has Stockholm city, else its municipalities)'),
  cellSize: z.coerce.number().min(50).max(5000).default(250).describe('hotspots layer: hexagon edge in metres (public and staff: one of HOTSPOT_CELL_SIZES)'),
  alpha: z.coerce.number().gt(0).max(0.2).default(0.05).describe('hotspots layer: false-discovery rate'),
  v: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional()
    .describe('The data version the URL is for (meta.dataVersion of /api/stats): public tiles of the current version are immutable; another version is redirected to the current one'),
});

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=60, stale-while-revalidate=300';

/** The same request for data version `v`: path and query as asked, only `v` replaced (relative, so any host/proxy). */
function withVersion(url: string, v: number): string {
  const i = url.indexOf('?');
  const q = new URLSearchParams(i < 0 ? '' : url.slice(i + 1));
  q.set('v', String(v));
  return `${i < 0 ? url : url.slice(0, i)}?${q.toString()}`;
}

const MVT = 'application/vnd.mapbox-vector-tile';

function layerOf(name: string): LayerName {
  if (!(LAYER_NAMES as readonly string[]).includes(name)) throw notFound(`No tile layer "${name}". Layers: ${LAYER_NAMES.join(', ')}.`);
  return name as LayerName;
}

function intParam(name: string, v: string, max: number): number {
  const n = /^\d{1,8}$/.test(v) ? Number(v) : NaN;
  if (!(n >= 0 && n <= max)) {
    throw badRequest(`path parameter "${name}" must be an integer from 0 to ${max}${name === 'z' ? '' : ' (2^z − 1)'}; got "${v.slice(0, 20)}".`,
      { errors: [{ parameter: name, in: 'params', message: `an integer 0..${max}` }] });
  }
  return n;
}

const route: FastifyPluginAsyncZod = async (app) => {
  const tiles = new TileService(app.readDb, { cacheEntries: app.config.tileCacheEntries });
  const audit = new TileAudit(app.db, (e) => app.log.error({ err: { message: String(e) } }, 'tile audit write failed'));
  app.addHook('onClose', async () => audit.flush());

  app.get('/tiles/:layer/:z/:x/:y.mvt', {
    schema: {
      tags: ['tiles'], summary: 'A vector tile (MVT) of one layer: areas, hexbins, incidents (analyst/admin), hotspots, places',
      params: z.object({ layer: z.string(), z: z.string(), x: z.string(), y: z.string() }),
      querystring: tileQuery,
    },
  }, async (req, reply) => {
    const layer = layerOf(req.params.layer);
    const zz = intParam('z', req.params.z, 22);
    const x = intParam('x', req.params.x, 2 ** zz - 1);
    const y = intParam('y', req.params.y, 2 ** zz - 1);
    if (!validTile(zz, x, y)) throw badRequest('z/x/y is not a tile.');
    const d = await app.disclosureFor(req);
    const exact = d.exact;
    if (LAYERS[layer].access === 'exact') await app.requireRole('analyst', 'admin')(req);
    const q = req.query;
    // only an anonymous, public-data request may be answered for a shared cache (staff are signed in: private)
    const versioned = q.v !== undefined && req.principal.role === 'public' && !exact && LAYERS[layer].access !== 'exact';
    if (versioned) {
      let now = await currentDataVersion(app.db);
      // a newer version than this instance has seen may be another instance's fresh import: read it again
      if (q.v! > now) { forgetDataVersion(app.db); now = await currentDataVersion(app.db); }
      if (q.v !== now) {
        // Another version: redirect to the current one rather than answer today's tile under the old URL. A cache
        // that kept the answer would then hold two versions' tiles under one version's URLs (a map of mixed
        // versions), and the body would be rendered and cached once per stale URL; a redirect costs a stale client
        // one round trip and the tile is cached only under its own version. An old version never comes back, so
        // its redirect may be kept briefly (a later import only adds a hop); a version not known here (yet) must
        // not be kept at all.
        return reply.code(302).header('Location', withVersion(req.url, now))
          .header('Cache-Control', q.v! < now ? 'public, max-age=60' : 'no-store')
          .header('Vary', 'Authorization, Cookie').send();
      }
    }
    // the hotspots layer runs the analysis of /api/hotspots: the same cell sizes per role
    if (layer === 'hotspots') checkHotspotParams({ cellSize: q.cellSize }, exact, hotspotSettings(app.db));
    const filter = { source: q.source, categories: q.category ?? null, from: q.from, to: q.to, areaSet: q.areaSet ?? app.region.defaultAreaSet, cellSize: q.cellSize, alpha: q.alpha };
    // made only when the tile must be rendered (a cache hit needs no abort signal)
    let ac: AbortController | undefined;
    const signal = () => {
      ac = new AbortController();
      reply.raw.once('close', () => { if (!reply.raw.writableFinished) ac!.abort(); });
      return ac.signal;
    };
    let t;
    try {
      t = await tiles.getTile(layer, zz, x, y, filter, d, { signal, ifNoneMatch: req.headers['if-none-match'] });
    } catch (e) {
      if (e instanceof TileAbortedError || ac?.signal.aborted) return reply.code(499).send();
      throw e;
    }
    if (layer === 'incidents') {
      audit.record(req.principal, `${zz}/${x}/${y}`, { source: q.source, categories: q.category ?? null, from: t.period?.from, to: t.period?.to });
    }
    reply.header('ETag', t.etag)
      // (the version may have moved on while the tile was looked up: then that URL's answer is kept only briefly)
      .header('Cache-Control', layer === 'incidents' || exact ? 'private, max-age=60' : versioned && t.version === q.v ? IMMUTABLE : SHORT)
      .header('Vary', 'Authorization, Cookie')
      .header('X-Tile-Cache', t.cache);
    if (t.status === 304) return reply.code(304).send();
    if (t.status === 204) return reply.code(204).send();
    return reply.type(MVT).send(t.body);
  });

  let bounds: { version: string; b: [number, number, number, number] } | null = null;
  app.get('/tiles/:layer.json', {
    schema: {
      tags: ['tiles'], summary: 'TileJSON 3.0 of a tile layer (the tiles URL carries the given filter parameters)',
      params: z.object({ layer: z.string() }), querystring: tileQuery.partial(),
    },
  }, async (req) => {
    const layer = layerOf(req.params.layer);
    if (!bounds) {
      const r = await app.db.query<{ b: string | null }>(`SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_Extent(geom)::geometry, 3006), 4326)) AS b FROM areas`);
      const ring = r.rows[0]?.b ? (JSON.parse(r.rows[0].b).coordinates[0] as number[][]) : null;
      const b: [number, number, number, number] = ring
        ? [Math.min(...ring.map((c) => c[0])), Math.min(...ring.map((c) => c[1])), Math.max(...ring.map((c) => c[0])), Math.max(...ring.map((c) => c[1]))]
          .map((v) => Math.round(v * 1e5) / 1e5) as [number, number, number, number]
        : [10.03, 54.96, 24.17, 69.07];
      bounds = { version: '', b };
    }
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query)) if (v !== undefined) query.set(k, Array.isArray(v) ? v.join(',') : String(v));
    return tileJson(layer, `${req.protocol}://${req.headers.host ?? 'localhost'}`, query.toString(), bounds.b);
  });
};
export default route;
