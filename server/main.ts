// `npm start`: the service on PORT (default 3000), embedded PostGIS unless DATABASE_URL is set.
import { ConfigError, loadConfig, type Config } from './config.js';
import type { AddressInfo } from 'node:net';
import { claimDataDir, dataDirOwner, newLocalToken } from './db/data-dir-owner.js';
import { seedFromTemplate } from './db/embedded-template.js';
import { RegionError, resolveRegion } from './domain/region/resolve-region.js';

// a setting the service cannot run with (PORT=abc, a REGION naming no municipality or county …) stops the start with
// its reason in one line, before anything is opened
let config: Config;
try {
  config = loadConfig();
  resolveRegion(config.region);
} catch (e) {
  if (!(e instanceof ConfigError || e instanceof RegionError)) throw e;
  console.error(`[trygghetskarta] ${e.message}`);
  process.exit(1);
}
const t0 = Date.now();
const log = (m: string) => { if (config.logLevel !== 'silent') console.log(`[trygghetskarta] ${m}`); };
log(`starting with the ${config.databaseUrl ? 'PostgreSQL' : `embedded (${config.dataDir})`} database`);
if (!config.databaseUrl) {
  const owner = dataDirOwner(config.dataDir);
  if (owner) {
    console.error(`[trygghetskarta] ${config.dataDir} is in use by process ${owner.pid}${owner.url ? ` (a server at ${owner.url})` : ' (a backup, restore or move-to)'}; one process at a time may open an embedded database`);
    process.exit(1);
  }
}
// a first embedded start copies the template that `npm install` prepared, when it matches this code
if (!config.databaseUrl && config.sampleData && seedFromTemplate(config.dataDir, config.region)) log('first start: copied the prepared embedded database (reference and synthetic sample data)');

// open the database first: PGlite compiles its WebAssembly off the main thread while the app's modules load
const { openReadyDb } = await import('./startup.js');
const ready = openReadyDb(config, log);
const [{ buildApp }, { ensureSampleData }, { ensureWebBuilt }] = await Promise.all([
  import('./app.js'), import('./reference/sample-data.js'), import('./web-build.js'),
]);
const [db] = await Promise.all([ready, ensureWebBuilt(log)]);
if (config.sampleData) await ensureSampleData(db, log);
// embedded: PGlite serves this process only; record it in DATA_DIR so the command-line tools go through it
const localToken = config.databaseUrl ? undefined : newLocalToken();
const app = await buildApp({ config, db, closeDb: true, localToken });
await app.listen({ port: config.port, host: config.host });
const localHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
const release = localToken
  ? claimDataDir(config.dataDir, `http://${localHost.includes(':') ? `[${localHost}]` : localHost}:${(app.server.address() as AddressInfo).port}`, localToken)
  : () => {};
log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s at http://${config.host}:${config.port}/`);
let closeMetrics = async () => {};
if (config.metricsPort !== undefined) {
  const { listenMetrics } = await import('./plugins/metrics.js');
  const m = await listenMetrics(app, config.metricsPort, config.metricsHost);
  closeMetrics = m.close;
  log(`metrics at http://${config.metricsHost}:${m.port}/metrics`);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    closeMetrics().then(() => app.close()).finally(release).then(() => process.exit(0), () => process.exit(1));
  });
}
