// npm run move-to: an embedded installation with the (scaled-down) synthetic sample data, served by a running
// server, moved to a new PostgreSQL database: every table's row count checked by the command, the DATABASE_URL
// printed, and /api/stats answers the same on PostgreSQL as on the embedded database (exact and public, every source,
// three area sets). A non-empty target is refused. Needs TEST_DATABASE_URL.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { PROJECT_ROOT } from '../../server/config.js';
import { claimDataDir, newLocalToken } from '../../server/db/data-dir-owner.js';
import { openPostgres } from '../../server/db/postgres.js';
import type { Db } from '../../server/db/index.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { openTestDb, type TestDb } from '../helpers/backends.js';
import { adminUrl } from '../helpers/pg-admin.js';

const run = promisify(execFile);
/** An answer without the instant it was generated at. */
const timeless = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === 'generatedAt' ? undefined : x)));
const BASE = process.env.TEST_DATABASE_URL;

describe.skipIf(!BASE)('npm run move-to (embedded → PostgreSQL)', () => {
  let t: TestDb;
  let app: FastifyInstance;
  let release = () => {};
  let analyst: string;
  const name = `tk_move_${crypto.randomBytes(4).toString('hex')}`;
  const target = (() => { if (!BASE) return ''; const u = new URL(BASE); u.pathname = `/${name}`; return u.toString(); })();
  let moved: { stdout: string; stderr: string };

  beforeAll(async () => {
    process.env.SAMPLE_CRIMES = '4000'; // the sample data, a twelfth of its crimes
    const { ensureSampleData } = await import('../../server/reference/sample-data.js');
    t = await openTestDb('embedded');
    await ensureSampleData(t.db);
    analyst = (await createKey(t.db, { name: 'move analyst', role: 'analyst' })).key;
    // a running server holds the data directory: move-to asks it for the backup
    const token = newLocalToken();
    app = await buildApp({ config: t.config, db: t.db, logger: false, localToken: token });
    await app.listen({ port: 0, host: '127.0.0.1' });
    release = claimDataDir(t.config.dataDir, `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, token);
    const admin = new pg.Client({ connectionString: adminUrl(BASE!) });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: t.config.dataDir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    moved = await run(process.execPath, ['--import', 'tsx', 'server/cli/move-to.ts', target], { cwd: PROJECT_ROOT, env: env as NodeJS.ProcessEnv, maxBuffer: 1 << 24 });
  }, 600_000);

  afterAll(async () => {
    release();
    await app?.close();
    await t?.close();
    if (BASE) {
      const admin = new pg.Client({ connectionString: adminUrl(BASE) });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('checks every table\'s row count and prints the DATABASE_URL to use', () => {
    expect(moved.stdout).toContain(`DATABASE_URL=${target} npm start`);
    for (const table of ['incidents', 'areas', 'area_day_counts', 'places', 'api_keys', 'audit_log', 'meta', 'disclosure_secret', 'survey_results', 'import_batches']) {
      expect(moved.stdout).toMatch(new RegExp(`(^|\\n)  ${table} +\\d+ → +\\d+  ok`));
    }
    expect(moved.stdout).not.toContain('DIFFERENT');
  });

  it('answers /api/stats on PostgreSQL exactly as on the embedded database', async () => {
    let db: Db | undefined;
    let pgApp: FastifyInstance | undefined;
    try {
      db = await openPostgres(target, { poolMax: 4 });
      pgApp = await buildApp({ config: { ...t.config, databaseUrl: target }, db, logger: false });
      let compared = 0;
      for (const areaSet of ['stadsdelar', 'stadsdelsomraden-2023', 'basomraden']) {
        for (const source of ['crimes', 'shootings', 'guard-reports', 'citizen-reports']) {
          for (const [who, headers] of [['public', {}], ['analyst', { authorization: `Bearer ${analyst}` }]] as const) {
            for (const period of ['', '&from=2024-01-01&to=2025-01-01']) {
              const url = `/api/stats?areaSet=${areaSet}&source=${source}${period}`;
              const a = await app.inject({ url, headers });
              const b = await pgApp.inject({ url, headers });
              expect(a.statusCode, `${who} ${url}`).toBe(200);
              expect(b.statusCode, `${who} ${url}`).toBe(200);
              expect(timeless(b.json()), `${who} ${url}`).toEqual(timeless(a.json()));
              compared++;
            }
          }
        }
      }
      expect(compared).toBe(48);
      const h = (await pgApp.inject('/api/health')).json();
      expect(h).toMatchObject({ database: 'postgres', dataVersion: (await app.inject('/api/health')).json().dataVersion });
    } finally {
      await pgApp?.close();
      await db?.close();
    }
  });

  it('refuses a target that is not empty', async () => {
    const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: t.config.dataDir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    const again = await run(process.execPath, ['--import', 'tsx', 'server/cli/move-to.ts', target], { cwd: PROJECT_ROOT, env: env as NodeJS.ProcessEnv }).catch((e) => e);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');
  });
});
