// Which process serves an embedded data directory. PGlite holds its database in one process and has no lock of its
// own (its postmaster.pid is a fixed placeholder), so the server records itself in DATA_DIR/server.json while it
// runs: the command-line tools then go through it (npm run backup, move-to) or refuse to touch the files (restore).
// The file holds a random token that lets a local tool ask the server for a backup; it is readable by the data
// directory's owner only, who can read the database files anyway.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type DataDirOwner = { pid: number; url: string; token: string; since: string };

const fileOf = (dataDir: string) => path.join(dataDir, 'server.json');

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** The live server process serving dataDir, or null (none recorded, or it died without removing its record). */
export function dataDirOwner(dataDir: string): DataDirOwner | null {
  try {
    const o = JSON.parse(fs.readFileSync(fileOf(dataDir), 'utf8')) as DataDirOwner;
    return o.pid !== process.pid && alive(o.pid) ? o : null;
  } catch {
    return null;
  }
}

/** A fresh token for the local tools. */
export const newLocalToken = () => crypto.randomBytes(32).toString('base64url');

/** Records this process as the server of dataDir (at url, with token); returns the function that removes the record. */
export function claimDataDir(dataDir: string, url: string, token: string): () => void {
  const file = fileOf(dataDir);
  const owner: DataDirOwner = { pid: process.pid, url, token, since: new Date().toISOString() };
  fs.writeFileSync(file, JSON.stringify(owner), { mode: 0o600 });
  return () => {
    try {
      const o = JSON.parse(fs.readFileSync(file, 'utf8')) as DataDirOwner;
      if (o.pid === process.pid) fs.rmSync(file, { force: true });
    } catch { /* gone already */ }
  };
}
