// Serves the built web app (web/dist) at / from the same process; nothing is fetched from elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { PROJECT_ROOT } from '../config.js';

export const WEB_DIST = path.join(PROJECT_ROOT, 'web', 'dist');

export default fp(async function staticWeb(app: FastifyInstance) {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    app.log.warn('web/dist is missing: run `npm run build:web` (npm start does it) to serve the map');
    app.get('/', async (_req, reply) => reply.type('text/html').send('<!doctype html><html lang="sv"><title>Trygghetskarta</title><p>The web app is not built. Run <code>npm run build:web</code>.</p></html>'));
    return;
  }
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    prefix: '/',
    index: ['index.html'],
    maxAge: '1h',
    setHeaders: (reply: { header: (k: string, v: string) => unknown }, file: string) => {
      // hashed assets never change; the HTML must be revalidated
      if (file.includes(`${path.sep}assets${path.sep}`)) reply.header('Cache-Control', 'public, max-age=31536000, immutable');
      if (file.endsWith('index.html')) reply.header('Cache-Control', 'no-cache');
      if (file.endsWith('.pbf')) reply.header('Content-Type', 'application/x-protobuf');
    },
  });
});
