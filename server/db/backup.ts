// Backup files of either backend, and restoring them into either backend: every table's rows as COPY text, read in
// one REPEATABLE READ, read-only transaction (one snapshot: consistent while the service keeps writing), gzip'd,
// behind a header with the schema level (the migrations applied), each table's columns and row count, the sequences,
// and the payload's SHA-256.
//
//   TRYGGHETSKARTA-BACKUP 1\n
//   {header JSON}\n
//   gzip( for each table: its rows as COPY text lines, then the line \. )
//
// Geometry travels as hex EWKB (with its SRID), so a file restores into PostGIS of any version, in PGlite or a
// PostgreSQL server alike (npm run move-to is a backup restored elsewhere). Left out: tables of extensions
// (PostGIS' spatial_ref_sys) and UNLOGGED tables (derived rollups a crash may empty anyway; rebuilt on use).
//
// Restore: check the checksum (before anything is written), refuse a schema newer than the code, migrate an empty
// database to the file's level, load every table in one transaction (in foreign-key order, sequences set, row counts
// checked), then migrate to the code's level.
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import readline from 'node:readline';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { appliedMigrations, migrate, migrationFiles, MIGRATIONS_DIR } from './migrate.js';
import type { Db, Queryable } from './types.js';

export const BACKUP_MAGIC = 'TRYGGHETSKARTA-BACKUP 1';

export type BackupTable = { name: string; columns: string[]; rows: number };
export type BackupHeader = {
  format: 'trygghetskarta-backup';
  formatVersion: 1;
  createdAt: string;
  backend: 'embedded' | 'postgres';
  schema: { latest: string | null; migrations: string[] };
  /** in load order (a table after the tables its foreign keys point to) */
  tables: BackupTable[];
  sequences: { name: string; lastValue: number; isCalled: boolean }[];
  payload: { encoding: 'gzip'; bytes: number; sha256: string };
};

export class BackupError extends Error {
  constructor(message: string) { super(message); this.name = 'BackupError'; }
}

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
/** Rows per COPY on the embedded database, whose COPY TO returns a whole result at once (by block ranges). */
const EMBEDDED_BLOCKS_PER_COPY = 2048;

/** The application's tables: in the current schema, not an extension's, not UNLOGGED; in foreign-key order. */
async function appTables(tx: Queryable): Promise<{ name: string; columns: string[] }[]> {
  const t = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p' AND NOT c.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY 1`);
  const names = t.rows.map((r) => r.name);
  const cols = await tx.query<{ t: string; a: string }>(
    `SELECT c.relname AS t, a.attname AS a FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relname = ANY($1::text[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     ORDER BY c.relname, a.attnum`, [names]);
  const fks = await tx.query<{ t: string; ref: string }>(
    `SELECT c.relname AS t, r.relname AS ref FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.contype = 'f' AND n.nspname = current_schema()`);
  const deps = new Map(names.map((n) => [n, new Set<string>()]));
  for (const f of fks.rows) if (f.t !== f.ref && deps.has(f.t) && deps.has(f.ref)) deps.get(f.t)!.add(f.ref);
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < names.length) {
    const next = names.find((n) => !placed.has(n) && [...deps.get(n)!].every((d) => placed.has(d)));
    if (!next) throw new BackupError('the foreign keys between the tables form a cycle');
    order.push(next);
    placed.add(next);
  }
  return order.map((name) => ({ name, columns: cols.rows.filter((c) => c.t === name).map((c) => c.a) }));
}

async function appSequences(tx: Queryable): Promise<string[]> {
  const r = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'S'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY 1`);
  return r.rows.map((x) => x.name);
}

async function write(out: Writable, chunk: Uint8Array | string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) n++;
  return n;
}

/**
 * Writes a backup of `db` to `file` (through a temporary file beside it, renamed when complete). Consistent: one
 * snapshot. Returns the header written.
 */
export async function writeBackup(db: Db, file: string): Promise<BackupHeader> {
  const tmp = `${file}.part-${process.pid}`;
  const payload = `${tmp}.payload`;
  try {
    const gzip = zlib.createGzip({ level: 6 });
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    const sink = fs.createWriteStream(payload);
    const done = pipeline(gzip, new Transform({
      transform(chunk: Buffer, _e, cb) { hash.update(chunk); bytes += chunk.length; cb(null, chunk); },
    }), sink);
    const { tables, sequences, migrations } = await db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const migrations = await appliedMigrations(tx);
      const tables: BackupTable[] = [];
      for (const t of await appTables(tx)) {
        const cols = t.columns.map(q).join(', ');
        let rows = 0;
        const onChunk = async (b: Uint8Array) => { rows += countLines(b); await write(gzip, b); };
        if (db.kind === 'embedded') {
          // PGlite hands a COPY's whole output over at once: read the table a block range at a time
          const size = await tx.query<{ blocks: number }>(`SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::int)::int AS blocks`, [q(t.name)]);
          const blocks = Number(size.rows[0].blocks);
          for (let b = 0; b < Math.max(blocks, 1); b += EMBEDDED_BLOCKS_PER_COPY) {
            await tx.copyOut(`SELECT ${cols} FROM ${q(t.name)} WHERE ctid >= '(${b},0)'::tid AND ctid < '(${b + EMBEDDED_BLOCKS_PER_COPY},0)'::tid`, onChunk);
          }
        } else {
          await tx.copyOut(`SELECT ${cols} FROM ${q(t.name)}`, onChunk);
        }
        await write(gzip, '\\.\n');
        tables.push({ name: t.name, columns: t.columns, rows });
      }
      const sequences: BackupHeader['sequences'] = [];
      for (const s of await appSequences(tx)) {
        const r = await tx.query<{ last_value: number; is_called: boolean }>(`SELECT last_value, is_called FROM ${q(s)}`);
        sequences.push({ name: s, lastValue: Number(r.rows[0].last_value), isCalled: Boolean(r.rows[0].is_called) });
      }
      return { tables, sequences, migrations };
    });
    gzip.end();
    await done;
    const header: BackupHeader = {
      format: 'trygghetskarta-backup', formatVersion: 1, createdAt: new Date().toISOString(), backend: db.kind,
      schema: { latest: migrations.at(-1) ?? null, migrations }, tables, sequences,
      payload: { encoding: 'gzip', bytes, sha256: hash.digest('hex') },
    };
    const out = fs.createWriteStream(tmp, { mode: 0o600 });
    await write(out, `${BACKUP_MAGIC}\n${JSON.stringify(header)}\n`);
    await pipeline(fs.createReadStream(payload), out);
    fs.renameSync(tmp, file);
    return header;
  } finally {
    fs.rmSync(payload, { force: true });
    fs.rmSync(tmp, { force: true });
  }
}

/** The header of a backup file and where its payload starts. */
export async function readBackupHeader(file: string): Promise<{ header: BackupHeader; payloadOffset: number }> {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16 * 1024 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const first = buf.indexOf(10);
    if (first < 0 || buf.subarray(0, first).toString() !== BACKUP_MAGIC) throw new BackupError(`${file} is not a Trygghetskarta backup (no "${BACKUP_MAGIC}" line)`);
    const second = buf.indexOf(10, first + 1);
    if (second < 0 || second >= n) throw new BackupError(`${file}: the header is cut off`);
    let header: BackupHeader;
    try { header = JSON.parse(buf.subarray(first + 1, second).toString()); } catch { throw new BackupError(`${file}: the header is not valid JSON`); }
    if (header.format !== 'trygghetskarta-backup' || header.formatVersion !== 1) throw new BackupError(`${file}: unknown backup format ${header.format} ${header.formatVersion}`);
    return { header, payloadOffset: second + 1 };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads the whole payload and compares its size and SHA-256 with the header's. */
export async function verifyBackup(file: string): Promise<BackupHeader> {
  const { header, payloadOffset } = await readBackupHeader(file);
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const c of fs.createReadStream(file, { start: payloadOffset })) { hash.update(c as Buffer); bytes += (c as Buffer).length; }
  const sha = hash.digest('hex');
  if (bytes !== header.payload.bytes || sha !== header.payload.sha256) {
    throw new BackupError(`${file} is damaged: its checksum does not match (sha256 ${sha.slice(0, 16)}…, ${bytes} bytes; the header says ${header.payload.sha256.slice(0, 16)}…, ${header.payload.bytes} bytes). Nothing was restored.`);
  }
  return header;
}

/** A backup made by newer code: its schema has migrations this code does not know. */
export class BackupFromNewerSchemaError extends BackupError {
  constructor(public readonly unknown: string[]) {
    super(`The backup was made at a newer schema than this code knows (migrations ${unknown.join(', ')}). Restore it with that version of the service (or newer).`);
    this.name = 'BackupFromNewerSchemaError';
  }
}

export type RestoreResult = { header: BackupHeader; tables: BackupTable[]; migratedAfter: string[] };

/**
 * Restores `file` into `db`, which must hold no schema yet (a new embedded data directory, an empty PostgreSQL
 * database, or one emptied by dropAppSchema). Writes nothing unless the checksum matches and the schema is known.
 */
export async function restoreBackup(db: Db, file: string, opts: { migrationsDir?: string } = {}): Promise<RestoreResult> {
  const dir = opts.migrationsDir ?? MIGRATIONS_DIR;
  const header = await verifyBackup(file);
  const known = new Set(migrationFiles(dir));
  const unknown = header.schema.migrations.filter((m) => !known.has(m));
  if (unknown.length) throw new BackupFromNewerSchemaError(unknown);
  if ((await appliedMigrations(db)).length) {
    throw new BackupError('the target database is not empty (it has a schema): restore into a new data directory or an empty database (npm run restore -- <file> --replace empties it first)');
  }
  if (header.schema.latest) await migrate(db, dir, { upTo: header.schema.latest });
  const { payloadOffset } = await readBackupHeader(file);
  const lines = readline.createInterface({ input: fs.createReadStream(file, { start: payloadOffset }).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  try {
    const loaded = await db.transaction(async (tx) => {
      if (header.tables.length) await tx.query(`TRUNCATE ${header.tables.map((t) => q(t.name)).join(', ')} RESTART IDENTITY CASCADE`);
      const counts: BackupTable[] = [];
      for (const t of header.tables) {
        let rows = 0;
        async function* section(): AsyncGenerator<Uint8Array> {
          let batch: string[] = [];
          let size = 0;
          for (;;) {
            const r = await it.next();
            if (r.done) throw new BackupError(`the backup ends inside table ${t.name}`);
            if (r.value === '\\.') break;
            batch.push(r.value);
            size += r.value.length + 1;
            rows++;
            if (size > 1_000_000) { yield Buffer.from(batch.join('\n') + '\n'); batch = []; size = 0; }
          }
          if (batch.length) yield Buffer.from(batch.join('\n') + '\n');
        }
        await tx.copyIn(t.name, t.columns, section());
        const c = await tx.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${q(t.name)}`);
        if (rows !== t.rows || Number(c.rows[0].n) !== t.rows) throw new BackupError(`table ${t.name}: ${Number(c.rows[0].n)} rows loaded, the backup says ${t.rows}`);
        counts.push({ ...t, rows: Number(c.rows[0].n) });
      }
      for (const s of header.sequences) {
        const exists = await tx.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [q(s.name)]);
        if (exists.rows[0].t) await tx.query('SELECT setval($1::regclass, $2, $3)', [q(s.name), s.lastValue, s.isCalled]);
      }
      return counts;
    });
    const migratedAfter = await migrate(db, dir);
    for (const t of loaded) await db.query(`ANALYZE ${q(t.name)}`);
    return { header, tables: loaded, migratedAfter };
  } finally {
    lines.close();
  }
}

/**
 * Empties a PostgreSQL database of the application's schema (its tables, their sequences, its functions; extensions
 * and their objects stay), so a backup can be restored into it.
 */
export async function dropAppSchema(db: Db): Promise<string[]> {
  return db.transaction(async (tx) => {
    const t = await tx.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`);
    if (t.rows.length) await tx.query(`DROP TABLE IF EXISTS ${t.rows.map((r) => q(r.name)).join(', ')} CASCADE`);
    const f = await tx.query<{ sig: string }>(
      `SELECT p.oid::regprocedure::text AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = current_schema()
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`);
    for (const r of f.rows) await tx.query(`DROP FUNCTION IF EXISTS ${r.sig} CASCADE`);
    return t.rows.map((r) => r.name);
  });
}

/** Row counts of the application's tables (for comparing a source with its copy). */
export async function tableCounts(db: Queryable): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await appTables(db)) {
    const r = await db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${q(t.name)}`);
    out[t.name] = Number(r.rows[0].n);
  }
  return out;
}
