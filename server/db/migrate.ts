// Applies migrations/NNN_name.sql in order, each once, each in its own transaction: a migration that fails leaves
// the database as it was before it (its statements and its schema_migrations row roll back together). Forward only:
// there are no down migrations, and a database that has applied a migration this code does not know (made by newer
// code) is refused rather than run by code that does not understand it.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { DatabaseUnavailableError, type Db, type Queryable } from './types.js';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');

/** The migration files of `dir`, in the order they apply. */
export function migrationFiles(dir = MIGRATIONS_DIR): string[] {
  return fs.readdirSync(dir).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
}

/** The migrations the database has applied, in order ([] for a database never migrated). */
export async function appliedMigrations(db: Queryable): Promise<string[]> {
  const t = await db.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (!t.rows[0]?.t) return [];
  return (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name);
}

export type MigrationStatus = {
  applied: string[];
  /** known to the code, not yet applied */
  pending: string[];
  /** applied, but unknown to the code: the database was made by newer code */
  unknown: string[];
};

export async function migrationStatus(db: Queryable, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const files = migrationFiles(dir);
  const applied = await appliedMigrations(db);
  const done = new Set(applied);
  const known = new Set(files);
  return { applied, pending: files.filter((f) => !done.has(f)), unknown: applied.filter((a) => !known.has(a)) };
}

/** The database is at a schema newer than this code knows. */
export class NewerSchemaError extends Error {
  constructor(public readonly unknown: string[]) {
    super(`The database has applied migrations this code does not know (${unknown.join(', ')}): it was made by a newer version. Run that version (or newer); migrations only go forward.`);
    this.name = 'NewerSchemaError';
  }
}

/**
 * Applies the pending migrations of `dir` in order (only those named up to and including `upTo`, when given);
 * returns the names applied. Throws NewerSchemaError for a database made by newer code, and a failed migration's
 * error (after rolling it back; the ones before it stay applied).
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR, opts: { upTo?: string } = {}): Promise<string[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const status = await migrationStatus(db, dir);
  if (status.unknown.length) throw new NewerSchemaError(status.unknown);
  const applied: string[] = [];
  for (const f of status.pending) {
    if (opts.upTo !== undefined && f > opts.upTo) break;
    const sql = fs.readFileSync(path.join(dir, f), 'utf8');
    try {
      await db.transaction(async (tx) => {
        // multi-statement files run as one simple query (no parameters)
        await tx.query(sql);
        await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [f]);
      });
    } catch (e) {
      if (e instanceof DatabaseUnavailableError) throw e;
      throw Object.assign(new Error(`migration ${f} failed and was rolled back: ${(e as Error).message}`), { cause: e });
    }
    applied.push(f);
  }
  return applied;
}
