// `npm run migrate`: applies pending migrations and loads the bundled reference data (DATABASE_URL or DATA_DIR).
import { loadConfig } from '../config.js';
import { openReadyDb } from '../startup.js';

const config = loadConfig();
const t0 = Date.now();
try {
  const db = await openReadyDb(config, (m) => console.log(m));
  await db.close();
  console.log(`database ready (${config.databaseUrl ? 'PostgreSQL' : `embedded in ${config.dataDir}`}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`migration failed: ${(e as Error).message}`);
  process.exit(1);
}
