// `npm run move-to -- postgres://user@host:port/db [--replace]`: moves an embedded installation (DATA_DIR) to a
// PostgreSQL 15+ server with PostGIS 3 — every table: incidents, areas, rollups, saved reports, places, goals,
// measures, API keys, sessions, the audit log, meta and the disclosure secret. A backup of the embedded database (made
// by its server when one runs) is restored into the target (migrated to the backup's level first, then to this
// code's), the row count of every table is checked against the source's, and the DATABASE_URL to start with is
// printed. The target database must be empty unless --replace. Stop the embedded server before switching: what it
// writes after the copy stays behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { dropAppSchema, restoreBackup, tableCounts } from '../db/backup.js';
import { appliedMigrations } from '../db/migrate.js';
import { openPostgres } from '../db/postgres.js';
import { backupConfigured, hasEmbeddedDb } from './backup-source.js';
import { die, parseOneArgCommand } from './one-file-command.js';

const USAGE = `usage: npm run move-to -- postgres://user[:password]@host:port/database [--replace]
  copies the embedded database (DATA_DIR) to that PostgreSQL + PostGIS database and checks every table's row count
  --replace   the target database is not empty: drop the application's tables there first`;

const { arg: url, flags: values } = parseOneArgCommand(USAGE, ['replace']);
if (!/^postgres(ql)?:\/\//.test(url)) die(USAGE);
const config = loadConfig({ ...process.env, DATABASE_URL: undefined });
if (!hasEmbeddedDb(config.dataDir)) die(`there is no embedded database in ${config.dataDir} (DATA_DIR) to move`, 1);

const say = (m: string) => process.stderr.write(`${m}\n`);
const shown = (() => { const u = new URL(url); if (u.password) u.password = '***'; return u.toString(); })();
const t0 = Date.now();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-move-'));
const file = path.join(dir, 'embedded.tkbackup');
try {
  say(`1/3 backing up the embedded database in ${config.dataDir}`);
  const h = await backupConfigured(config, file, say);
  const target = await openPostgres(url, { poolMax: 2, statementTimeoutMs: 0 });
  try {
    if ((await appliedMigrations(target)).length) {
      if (!values.replace) throw new Error(`${shown} is not empty; use an empty database, or add --replace (drops the application's tables there)`);
      say(`dropped ${(await dropAppSchema(target)).length} tables in the target`);
    }
    say(`2/3 restoring into ${shown} (migrating it first)`);
    const r = await restoreBackup(target, file);
    say('3/3 comparing row counts');
    const counts = await tableCounts(target);
    const bad: string[] = [];
    const width = Math.max(...h.tables.map((t) => t.name.length));
    for (const t of h.tables) {
      const ok = counts[t.name] === t.rows;
      if (!ok) bad.push(t.name);
      console.log(`  ${t.name.padEnd(width)}  ${String(t.rows).padStart(9)} → ${String(counts[t.name] ?? 'missing').padStart(9)}  ${ok ? 'ok' : 'DIFFERENT'}`);
    }
    if (bad.length) throw new Error(`row counts differ in ${bad.join(', ')}`);
    if (r.migratedAfter.length) console.log(`migrated to this code's level: ${r.migratedAfter.join(', ')}`);
    console.log(`\nmoved ${h.tables.length} tables in ${((Date.now() - t0) / 1000).toFixed(1)} s. Start the service on PostgreSQL with:\n\n  DATABASE_URL=${url.includes('@') && new URL(url).password ? shown + '   # with your password' : url} npm start\n`);
  } finally {
    await target.close();
  }
} catch (e) {
  die(`move-to failed: ${(e as Error).message}`, 1);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
