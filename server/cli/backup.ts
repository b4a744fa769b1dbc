// `npm run backup -- <file> [--force]`: a consistent backup of the configured database (DATABASE_URL, or the
// embedded one in DATA_DIR — through the running server when there is one) with its schema level and a checksum.
// Exit 0 when written, 1 when it failed, 2 on bad usage.
import fs from 'node:fs';
import { loadConfig } from '../config.js';
import { backupConfigured, describeBackup } from './backup-source.js';
import { die, parseOneArgCommand } from './one-file-command.js';

const USAGE = `usage: npm run backup -- <file> [--force]
  writes a backup of the database (DATABASE_URL, else the embedded one in DATA_DIR) to <file>
  --force   overwrite <file> if it exists
restore it with: npm run restore -- <file>`;

const { arg: file, flags: values } = parseOneArgCommand(USAGE, ['force']);
if (fs.existsSync(file) && !values.force) die(`${file} exists; choose another name or add --force`);

const t0 = Date.now();
try {
  const h = await backupConfigured(loadConfig(), file, (m) => process.stderr.write(`${m}\n`));
  console.log(describeBackup(h, file));
  console.log(`backup written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} catch (e) {
  die(`backup failed: ${(e as Error).message}`, 1);
}
process.exit(0);
