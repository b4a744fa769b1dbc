// One headless Chromium for the whole app (rendering/browser.ts): the lägesbild's PDF and map image and the action
// plan's follow-up PDF share it, launched on the first use, at most two pages at a time, closed with the app.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { BrowserPool } from '../rendering/browser.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared Chromium for report PDFs and map images. */
    browserPool: BrowserPool;
  }
}

export default fp(async function browser(app: FastifyInstance) {
  const pool = new BrowserPool({ executablePath: app.config.chromiumPath, maxPages: 2 });
  app.decorate('browserPool', pool);
  app.addHook('onClose', async () => pool.close());
});
