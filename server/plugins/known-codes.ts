// Every route whose query string names a category, area set, survey indicator or wave has them checked before its
// handler runs (domain/codes/known-codes.ts): an unknown code is a 400 with the valid codes, on every endpoint alike.
// Path parameters are not looked at (an unknown area set in the path stays the route's 404).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { checkKnownCodes, type NamedCodes } from '../domain/codes/known-codes.js';
import { seesExactData } from '../domain/access/principal.js';
import { SOURCES, type Source } from '../../shared/sources.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export default fp(async function knownCodes(app: FastifyInstance) {
  app.addHook('preHandler', async (req) => {
    // reads only: an import names the area set or wave it creates. Routes that parse their own query (OGC) check their own values
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.routeOptions.schema?.querystring) return;
    const q = (req.query ?? {}) as Record<string, unknown>;
    const cat = Array.isArray(q.category) ? q.category.map(String) : str(q.category)?.split(',');
    const source = (SOURCES as readonly string[]).includes(String(q.source)) ? (q.source as Source) : undefined;
    const named: NamedCodes = { source, category: cat, areaSet: str(q.areaSet), indicator: str(q.indicator), wave: str(q.wave) };
    if (!named.category && !named.areaSet && !named.indicator && !named.wave) return;
    await checkKnownCodes(app.db, named, { exact: seesExactData(req.principal), k: app.config.suppressionK });
  });
});
