// The offline basemap: its style, SDF glyph ranges (pre-built from Noto Sans, see web/scripts/build-glyphs.ts), the
// bundled real-data layers as GeoJSON, and public-transport stops as simple vector tiles. Nothing from the internet.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../config.js';
import { notFound } from '../../plugins/errors.js';
import { baseStyle } from '../../domain/basemap/base-style.js';
import { BASEMAP_LAYERS, basemapLayer } from '../../domain/basemap/basemap-layers.js';
import { emptyGlyphRange } from '../../domain/basemap/empty-glyphs.js';
import { stopsTile } from '../../domain/basemap/stops-tiles.js';

export const FONTS_DIR = path.join(PROJECT_ROOT, 'web', 'public', 'fonts');

const route: FastifyPluginAsyncZod = async (app) => {
  app.get('/basemap/style.json', {
    schema: { tags: ['basemap'], summary: 'The offline base map style (MapLibre style spec v8); URLs are relative to this server' },
  }, async (_req, reply) => {
    reply.header('Cache-Control', 'public, max-age=3600');
    return baseStyle();
  });

  app.get('/basemap/fonts/:fontstack/:range', {
    schema: {
      tags: ['basemap'], summary: 'SDF glyphs of one font stack and 256-codepoint range (glyphs.proto); an uncovered range is an empty, valid PBF',
      params: z.object({ fontstack: z.string().max(200), range: z.string().regex(/^\d{1,5}-\d{1,5}\.pbf$/, 'a range like 0-255.pbf') }),
    },
  }, async (req, reply) => {
    const range = req.params.range.replace(/\.pbf$/, '');
    const [start, end] = range.split('-').map(Number);
    if (start % 256 !== 0 || end !== start + 255) throw notFound(`No glyph range ${range}: ranges are 256 code points, e.g. 0-255.`);
    // a comma-separated stack falls back to its first font we have
    const stacks = req.params.fontstack.split(',').map((s) => s.trim());
    reply.header('Content-Type', 'application/x-protobuf').header('Cache-Control', 'public, max-age=86400');
    for (const s of stacks) {
      if (!/^[\w ]+$/.test(s)) continue;
      const file = path.join(FONTS_DIR, s, `${range}.pbf`);
      if (fs.existsSync(file)) return reply.send(fs.readFileSync(file));
    }
    return reply.send(Buffer.from(emptyGlyphRange(stacks[0] ?? '', range)));
  });

  app.get('/basemap/layers/:name', {
    schema: {
      tags: ['basemap'], summary: 'One bundled basemap layer as GeoJSON (WGS84)',
      params: z.object({ name: z.enum(BASEMAP_LAYERS.map((l) => `${l}.geojson`) as [string, ...string[]]) }),
    },
  }, async (req, reply) => {
    const name = req.params.name.replace(/\.geojson$/, '') as (typeof BASEMAP_LAYERS)[number];
    reply.type('application/geo+json; charset=utf-8').header('Cache-Control', 'public, max-age=3600');
    return reply.send(basemapLayer(name, app.region));
  });

  app.get('/basemap/tiles/stops/:z/:x/:y', {
    schema: {
      tags: ['basemap'], summary: 'Public-transport stops as a vector tile (layer "stops"); 204 when empty',
      params: z.object({ z: z.coerce.number().int().min(0).max(22), x: z.coerce.number().int().min(0), y: z.string().regex(/^\d+\.pbf$/) }),
    },
  }, async (req, reply) => {
    const y = Number(req.params.y.replace(/\.pbf$/, ''));
    const buf = stopsTile(app.region, req.params.z, req.params.x, y);
    if (!buf) return reply.code(204).send();
    reply.header('Content-Type', 'application/x-protobuf').header('Cache-Control', 'public, max-age=3600');
    return reply.send(Buffer.from(buf));
  });
};
export default route;
