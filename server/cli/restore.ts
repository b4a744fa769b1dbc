// `npm run restore -- <file> [--replace]`: restores a backup (npm run backup) into the configured database —
// DATABASE_URL, else DATA_DIR — after checking its checksum, and refuses a backup from a newer schema than this code
// knows; an older one is migrated to this code's level after loading. The target must be empty unless --replace:
// embedded, the old data directory is then kept beside it (DATA_DIR/pglite.before-restore-<time>); PostgreSQL, the
// application's tables and functions are dropped first (extensions stay). Stop the service first: it would keep
// serving its caches. Exit 0 when restored, 1 when refused or failed, 2 on bad usage.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { dropAppSchema, restoreBackup, verifyBackup, type RestoreResult } from '../db/backup.js';
import { openDb } from '../db/index.js';
import { appliedMigrations } from '../db/migrate.js';
import { openEmbedded } from '../db/embedded.js';
import { describeBackup, hasEmbeddedDb, withDataDir } from './backup-source.js';
import { die, parseOneArgCommand } from './one-file-command.js';

const USAGE = `usage: npm run restore -- <file> [--replace]
  restores <file> into the database (DATABASE_URL, else the embedded one in DATA_DIR); stop the service first
  --replace   the database is not empty: replace it (embedded: the old data directory is kept beside the new one;
              PostgreSQL: the application's tables are dropped)`;

const { arg: file, flags: values } = parseOneArgCommand(USAGE, ['replace']);
if (!fs.existsSync(file)) die(`no such file: ${file}`);

const config = loadConfig();
const t0 = Date.now();
const say = (m: string) => process.stderr.write(`${m}\n`);
try {
  const header = await verifyBackup(file);
  say(`checksum ok\n${describeBackup(header, file)}`);
  let r: RestoreResult;
  if (!config.databaseUrl) {
    r = await withDataDir(config.dataDir, async () => {
      const target = path.join(config.dataDir, 'pglite');
      if (hasEmbeddedDb(config.dataDir) && !values.replace) throw new Error(`${config.dataDir} holds a database; restore into another DATA_DIR, or add --replace (the old one is kept beside it)`);
      // into a new directory first: a refused or failed restore leaves the current database untouched
      const fresh = `${target}.restoring-${process.pid}`;
      fs.rmSync(fresh, { recursive: true, force: true });
      try {
        const db = await openEmbedded(fresh);
        let res: RestoreResult;
        try { res = await restoreBackup(db, file); } finally { await db.close(); }
        if (fs.existsSync(target)) {
          const aside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
          fs.renameSync(target, aside);
          say(`the database that was there is kept in ${aside} (delete it when the restore is confirmed)`);
        }
        fs.renameSync(fresh, target);
        return res;
      } finally {
        fs.rmSync(fresh, { recursive: true, force: true });
      }
    });
  } else {
    const db = await openDb(config);
    try {
      if ((await appliedMigrations(db)).length) {
        if (!values.replace) throw new Error('the database is not empty; restore into an empty database, or add --replace (drops the application\'s tables)');
        const dropped = await dropAppSchema(db);
        say(`dropped ${dropped.length} tables of the old database`);
      }
      r = await restoreBackup(db, file);
    } finally {
      await db.close();
    }
  }
  console.log(`restored ${r.tables.length} tables, ${r.tables.reduce((a, t) => a + t.rows, 0)} rows (counts checked) into the ${config.databaseUrl ? 'PostgreSQL' : `embedded (${config.dataDir})`} database`);
  if (r.migratedAfter.length) console.log(`then migrated to this code's level: ${r.migratedAfter.join(', ')}`);
  console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s; start the service (npm start)`);
} catch (e) {
  die(`restore refused or failed: ${(e as Error).message}`, 1);
}
process.exit(0);
