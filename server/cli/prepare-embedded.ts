// `npm install` postinstall: builds the web app and a ready embedded database template (see
// server/db/embedded-template.ts), so the first `npm start` is fast. Never fails the install: on any problem the
// first start simply builds everything itself.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { TEMPLATE_ROOT, templateDir, templateKey } from '../db/embedded-template.js';
import { ensureSampleData } from '../reference/sample-data.js';
import { openReadyDb } from '../startup.js';
import { ensureWebBuilt } from '../web-build.js';

const log = (m: string) => console.log(`[trygghetskarta prepare] ${m}`);
try {
  if (process.env.TK_SKIP_PREPARE === '1') process.exit(0);
  const t0 = Date.now();
  await ensureWebBuilt(log);
  const region = loadConfig().region; // REGION at install time: the region a first start will most likely ask for
  const key = templateKey(region);
  const dir = templateDir(key);
  if (fs.existsSync(path.join(dir, 'pglite', 'PG_VERSION'))) {
    log(`embedded database template ${key} is up to date`);
  } else {
    log('building the embedded database template (migrations, reference data, synthetic sample data)…');
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    const config = loadConfig({ DATA_DIR: tmp, LOG_LEVEL: 'warn', SAMPLE_DATA: 'on', REGION: region });
    const db = await openReadyDb(config, log);
    await ensureSampleData(db, log);
    // recycle the WAL written by the bulk load so the copy stays small
    await db.query('CHECKPOINT');
    await db.close();
    // keep only this template: older ones belong to older code
    if (fs.existsSync(TEMPLATE_ROOT)) for (const e of fs.readdirSync(TEMPLATE_ROOT)) if (e.startsWith('embedded-') && path.join(TEMPLATE_ROOT, e) !== tmp) fs.rmSync(path.join(TEMPLATE_ROOT, e), { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    log(`template ${key} (${region}) ready`);
  }
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} catch (e) {
  log(`skipped (${(e as Error).message}); the first start will build the database itself`);
}
process.exit(0);
