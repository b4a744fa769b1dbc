// A backup of the configured database, wherever it is: PostgreSQL directly (a snapshot while the service runs);
// an embedded data directory through the server that serves it (PGlite is one process: GET /api/admin/backup with
// the token from DATA_DIR/server.json), or directly when no server runs on it (the directory is then claimed for
// the time of the backup, so a server started meanwhile refuses to open it).
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config.js';
import { verifyBackup, writeBackup, type BackupHeader } from '../db/backup.js';
import { claimDataDir, dataDirOwner } from '../db/data-dir-owner.js';
import { openDb } from '../db/index.js';

export const hasEmbeddedDb = (dataDir: string) => fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'));

/** Runs fn with the embedded data directory claimed by this process (refused while a server holds it). */
export async function withDataDir<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const owner = dataDirOwner(dataDir);
  if (owner) throw new Error(`the server (pid ${owner.pid}, ${owner.url}) is using ${dataDir}: stop it first`);
  fs.mkdirSync(dataDir, { recursive: true });
  const release = claimDataDir(dataDir, '', '');
  try { return await fn(); } finally { release(); }
}

export async function backupConfigured(config: Config, file: string, log: (m: string) => void): Promise<BackupHeader> {
  if (!config.databaseUrl) {
    const owner = dataDirOwner(config.dataDir);
    if (owner) {
      if (!owner.url || !owner.token) throw new Error(`another tool (pid ${owner.pid}) is using ${config.dataDir}; try again when it is done`);
      log(`the server (pid ${owner.pid}) serves ${config.dataDir}: it makes the backup`);
      const res = await fetch(`${owner.url}/api/admin/backup`, { headers: { 'x-local-token': owner.token } });
      if (!res.ok || !res.body) throw new Error(`the server answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const tmp = `${file}.part-${process.pid}`;
      try {
        await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), fs.createWriteStream(tmp, { mode: 0o600 }));
        const h = await verifyBackup(tmp);
        fs.renameSync(tmp, file);
        return h;
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    }
    if (!hasEmbeddedDb(config.dataDir)) throw new Error(`there is no embedded database in ${config.dataDir} (DATA_DIR)`);
    return withDataDir(config.dataDir, async () => {
      const db = await openDb(config);
      try { return await writeBackup(db, file); } finally { await db.close(); }
    });
  }
  const db = await openDb(config);
  try { return await writeBackup(db, file); } finally { await db.close(); }
}

/** A header in a few lines for the operator. */
export function describeBackup(h: BackupHeader, file: string): string {
  const rows = h.tables.reduce((a, t) => a + t.rows, 0);
  const size = fs.existsSync(file) ? fs.statSync(file).size : h.payload.bytes;
  return [
    `${file}: ${(size / 1024 / 1024).toFixed(1)} MB, made ${h.createdAt} from the ${h.backend} database`,
    `  schema:  ${h.schema.latest ?? '(none)'} (${h.schema.migrations.length} migrations)`,
    `  tables:  ${h.tables.length}, ${rows} rows (${h.tables.filter((t) => t.rows).sort((a, b) => b.rows - a.rows).slice(0, 4).map((t) => `${t.name} ${t.rows}`).join(', ')}, …)`,
    `  sha256:  ${h.payload.sha256}`,
  ].join('\n');
}
