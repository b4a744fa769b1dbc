// Builds the Fastify instance: used by server/main.ts and by tests through app.inject().
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Db } from './db/index.js';
import { hotspotSettingsOf, setHotspotSettings } from './domain/hotspots/hotspot-limits.js';
import auditPlugin from './plugins/audit.js';
import authPlugin from './plugins/auth.js';
import browserPlugin from './plugins/browser.js';
import dataEtagPlugin from './plugins/data-etag.js';
import dbPlugin from './plugins/db.js';
import disclosurePlugin from './plugins/disclosure.js';
import errorsPlugin from './plugins/errors.js';
import knownCodesPlugin from './plugins/known-codes.js';
import metricsPlugin, { metricsRoute } from './plugins/metrics.js';
import securityPlugin, { verifiedRateLimit } from './plugins/security.js';
import staticWebPlugin from './plugins/static-web.js';
import swaggerPlugin from './plugins/swagger.js';
import { routes } from './routes/index.js';

export type BuildOptions = {
  config: Config; db: Db; closeDb?: boolean; logger?: boolean; /** where log lines go (tests); stdout by default */ logStream?: NodeJS.WritableStream;
  /** lets a local tool (npm run backup) ask for a backup with X-Local-Token (db/data-dir-owner.ts) */
  localToken?: string;
};

export async function buildApp({ config, db, closeDb = false, logger = true, logStream, localToken }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger && config.logLevel !== 'silent'
      ? {
          level: config.logLevel,
          ...(logStream ? { stream: logStream } : {}),
          // no IPs, headers or bodies in the log: nothing personal is logged
          serializers: {
            req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        }
      : false,
    // small for every route; the import route sets its own (IMPORT_MAX_BYTES, streamed). A larger content-length is
    // refused at once, a chunked body cut at the limit (413, connection closed: plugins/security.ts)
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    // behind a load balancer the client address comes from X-Forwarded-For, believed only from TRUST_PROXY
    trustProxy: config.trustProxy as FastifyServerOptions['trustProxy'],
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // hot spot parameter menu, work cap and analysis deadline, for every caller of this database (domain/hotspots)
  setHotspotSettings(db, hotspotSettingsOf(config));
  await app.register(dbPlugin, { db, config, closeDb });
  app.decorate('localToken', localToken ?? null);
  // first of the request hooks: the statements of every later hook and handler know their route
  await app.register(metricsPlugin);
  await app.register(errorsPlugin);
  await app.register(securityPlugin);
  await app.register(authPlugin);
  await app.register(auditPlugin);
  await app.register(verifiedRateLimit);
  await app.register(disclosurePlugin);
  await app.register(browserPlugin);
  await app.register(dataEtagPlugin);
  await app.register(knownCodesPlugin);
  await app.register(swaggerPlugin);
  for (const r of routes) await app.register(r);
  await app.register(metricsRoute);
  await app.register(staticWebPlugin);
  await app.ready();
  return app;
}
