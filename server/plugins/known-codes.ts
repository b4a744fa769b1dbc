// Every route whose query string names a category, area set, survey indicator or wave has them checked before its
// handler runs (domain/codes/known-codes.ts): an unknown code is a 400 with the valid codes, on every endpoint alike.
// The check is appended to each route's own preHandlers, so a role guard answers 401/403 first. Reads only (an import
// names the area set or wave it creates); path parameters are not looked at (an unknown area set in the path stays
// the route's 404); routes that parse their own query (OGC) check their own values.
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { checkKnownCodes, type NamedCodes } from '../domain/codes/known-codes.js';
import { seesExactData } from '../domain/access/principal.js';
import { SOURCES, type Source } from '../../shared/sources.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export default fp(async function knownCodes(app: FastifyInstance) {
  const check: preHandlerAsyncHookHandler = async function (req: FastifyRequest) {
    const q = (req.query ?? {}) as Record<string, unknown>;
    const cat = Array.isArray(q.category) ? q.category.map(String) : str(q.category)?.split(',');
    const source = (SOURCES as readonly string[]).includes(String(q.source)) ? (q.source as Source) : undefined;
    const named: NamedCodes = { source, category: cat, areaSet: str(q.areaSet), indicator: str(q.indicator), wave: str(q.wave) };
    if (!named.category && !named.areaSet && !named.indicator && !named.wave) return;
    await checkKnownCodes(app.db, named, { exact: seesExactData(req.principal), k: app.config.suppressionK });
  };
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('GET') || !route.schema?.querystring) return;
    const own = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    route.preHandler = [...own, check] as typeof route.preHandler;
  });
});
