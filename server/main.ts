// `npm start`: the service on PORT (default 3000), embedded PostGIS unless DATABASE_URL is set.
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { ensureSampleData } from './reference/sample-data.js';
import { openReadyDb } from './startup.js';
import { ensureWebBuilt } from './web-build.js';
import { seedFromTemplate } from './db/embedded-template.js';

const config = loadConfig();
const t0 = Date.now();
const log = (m: string) => { if (config.logLevel !== 'silent') console.log(`[trygghetskarta] ${m}`); };
log(`starting with the ${config.databaseUrl ? 'PostgreSQL' : `embedded (${config.dataDir})`} database`);
// a first embedded start copies the template that `npm install` prepared, when it matches this code
if (!config.databaseUrl && config.sampleData && seedFromTemplate(config.dataDir)) log('first start: copied the prepared embedded database (reference and synthetic sample data)');
const [db] = await Promise.all([openReadyDb(config, log), ensureWebBuilt(log)]);
if (config.sampleData) await ensureSampleData(db, log);
const app = await buildApp({ config, db, closeDb: true });
await app.listen({ port: config.port, host: config.host });
log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s at http://${config.host}:${config.port}/`);

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}
