// The database backends a test runs on: always the embedded PGlite, and real PostGIS when TEST_DATABASE_URL is
// set. Each call opens a fresh copy of the migrated template (reference data loaded), so tests never share state.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { openDb, type Db } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrate.js';
import { adminUrl } from './pg-admin.js';

export type BackendKind = 'embedded' | 'postgres';

export const backends: BackendKind[] = process.env.TEST_DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'];

export type TestDb = { kind: BackendKind; db: Db; config: Config; close: () => Promise<void> };

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function openTestDb(kind: BackendKind, env: Record<string, string> = {}): Promise<TestDb> {
  if (kind === 'embedded') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-test-'));
    fs.cpSync(inject('embeddedTemplate'), path.join(dir, 'pglite'), { recursive: true });
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', SAMPLE_DATA: 'off', ...env });
    const db = await openDb(config);
    await migrate(db);
    return { kind, db, config, close: async () => { await db.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const url = process.env.TEST_DATABASE_URL;
  const tpl = inject('pgTemplate');
  if (!url || !tpl) throw new Error('postgres backend needs TEST_DATABASE_URL');
  const name = `${tpl}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${tpl}`);
  await admin.end();
  // a replica's URL names the same database: `{db}` in DATABASE_READ_URLS stands for this copy's name
  const readUrls = env.DATABASE_READ_URLS?.replaceAll('{db}', name);
  const config = loadConfig({ DATABASE_URL: withDb(url, name), LOG_LEVEL: 'silent', SAMPLE_DATA: 'off', ...env, ...(readUrls ? { DATABASE_READ_URLS: readUrls } : {}) });
  const db = await openDb(config);
  await migrate(db);
  return {
    kind, db, config,
    close: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrl(url) });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export type TestApp = TestDb & { app: FastifyInstance };

/** A test database plus the Fastify app over it (use app.inject()). */
export async function openTestApp(kind: BackendKind, env: Record<string, string> = {}): Promise<TestApp> {
  const t = await openTestDb(kind, env);
  const app = await buildApp({ config: t.config, db: t.db, logger: false });
  return { ...t, app, close: async () => { await app.close(); await t.close(); } };
}
