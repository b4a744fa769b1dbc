// `npm start`: the service on PORT (default 3000), embedded PostGIS unless DATABASE_URL is set.
import { loadConfig } from './config.js';
import { seedFromTemplate } from './db/embedded-template.js';

const config = loadConfig();
const t0 = Date.now();
const log = (m: string) => { if (config.logLevel !== 'silent') console.log(`[trygghetskarta] ${m}`); };
log(`starting with the ${config.databaseUrl ? 'PostgreSQL' : `embedded (${config.dataDir})`} database`);
// a first embedded start copies the template that `npm install` prepared, when it matches this code
if (!config.databaseUrl && config.sampleData && seedFromTemplate(config.dataDir)) log('first start: copied the prepared embedded database (reference and synthetic sample data)');

// open the database first: PGlite compiles its WebAssembly off the main thread while the app's modules load
const { openReadyDb } = await import('./startup.js');
const ready = openReadyDb(config, log);
const [{ buildApp }, { ensureSampleData }, { ensureWebBuilt }] = await Promise.all([
  import('./app.js'), import('./reference/sample-data.js'), import('./web-build.js'),
]);
const [db] = await Promise.all([ready, ensureWebBuilt(log)]);
if (config.sampleData) await ensureSampleData(db, log);
const app = await buildApp({ config, db, closeDb: true });
await app.listen({ port: config.port, host: config.host });
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
    closeMetrics().then(() => app.close()).then(() => process.exit(0), () => process.exit(1));
  });
}
