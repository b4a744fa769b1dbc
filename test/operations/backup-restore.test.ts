// Backup and restore on each backend: data (imports, a saved report, keys, the audit log) → backup → a wiped
// (empty) database → restore → the same answers for statistics, the saved report, the audit log and the places. A
// damaged file or one from a newer schema is refused before anything is written, and so is a non-empty target.
// The backup route is for admins (and the local token); the CLI makes the backup through a running embedded server.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { PROJECT_ROOT } from '../../server/config.js';
import { BackupError, BackupFromNewerSchemaError, readBackupHeader, restoreBackup, verifyBackup, writeBackup } from '../../server/db/backup.js';
import { claimDataDir, newLocalToken } from '../../server/db/data-dir-owner.js';
import { openEmbedded } from '../../server/db/embedded.js';
import type { Db } from '../../server/db/index.js';
import { appliedMigrations } from '../../server/db/migrate.js';
import { openPostgres } from '../../server/db/postgres.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { backends, openTestDb, type BackendKind, type TestDb } from '../helpers/backends.js';
import { adminUrl } from '../helpers/pg-admin.js';

const run = promisify(execFile);
const fixture = (f: string) => fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/imports', f), 'utf8');

/** An empty database of the kind: a new embedded data directory, or a new PostgreSQL database (dropped by close). */
async function emptyDb(kind: BackendKind): Promise<{ db: Db; url?: string; close: () => Promise<void> }> {
  if (kind === 'embedded') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-restore-'));
    const db = await openEmbedded(path.join(dir, 'pglite'));
    return { db, close: async () => { await db.close().catch(() => {}); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const name = `tk_restore_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString(), { poolMax: 4 });
  return {
    db, url: u.toString(),
    close: async () => {
      await db.close().catch(() => {});
      const a = new pg.Client({ connectionString: adminUrl(base) });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

type Keys = { admin: string; analyst: string };

/** Imports, a place, keys, a saved report (and with them the audit log): data in every table a user writes. */
async function seed(app: FastifyInstance, db: Db): Promise<Keys & { reportId: number }> {
  const admin = (await createKey(db, { name: 'backup admin', role: 'admin' })).key;
  const analyst = (await createKey(db, { name: 'backup analyst', role: 'analyst' })).key;
  const as = { authorization: `Bearer ${admin}` };
  for (const [kind, file, qs] of [['crimes', 'crimes.csv', ''], ['shootings', 'shootings.csv', ''], ['guard-reports', 'guard-reports.csv', ''],
    ['citizen-reports', 'citizen-reports.csv', ''], ['indicators', 'indicators.csv', ''], ['survey', 'survey.csv', '?areaSet=stadsdelar']] as const) {
    const r = await app.inject({ method: 'POST', url: `/api/imports/${kind}${qs}`, payload: fixture(file), headers: { ...as, 'content-type': 'text/csv' } });
    expect(r.statusCode, `${kind}: ${r.body.slice(0, 300)}`).toBe(201);
  }
  const places = await app.inject({ method: 'POST', url: '/api/imports/places', payload: fixture('places.geojson'), headers: { ...as, 'content-type': 'application/geo+json' } });
  expect(places.statusCode, places.body.slice(0, 300)).toBe(201);
  const area = await db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'SÖDERMALM'`);
  const rep = await app.inject({ method: 'POST', url: '/api/reports', headers: { authorization: `Bearer ${analyst}` },
    payload: { areaId: Number(area.rows[0].id), from: '2025-01-01', to: '2026-01-01', title: 'backup test', evaluatePlaces: false } });
  expect(rep.statusCode, rep.body.slice(0, 300)).toBe(201);
  return { admin, analyst, reportId: Number(rep.json().id) };
}

/** The answers that must survive: statistics (exact and public), the saved report, places, batches (reading the report audits it). */
async function answers(app: FastifyInstance, k: Keys & { reportId: number }): Promise<Record<string, unknown>> {
  const get = async (url: string, key?: string) => {
    const r = await app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBe(200);
    // without the instant the answer was generated at
    return JSON.parse(r.body, (key, x) => (key === 'generatedAt' ? undefined : x));
  };
  const out: Record<string, unknown> = {};
  for (const source of ['crimes', 'shootings', 'guard-reports', 'citizen-reports']) {
    out[`stats ${source} exact`] = await get(`/api/stats?areaSet=stadsdelar&source=${source}&from=2025-01-01&to=2026-01-01`, k.analyst);
    out[`stats ${source} public`] = await get(`/api/stats?areaSet=stadsdelsomraden-2023&source=${source}&from=2025-01-01&to=2026-01-01`);
  }
  out.survey = await get('/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall', k.analyst);
  out.report = await get(`/api/reports/${k.reportId}?f=json`, k.analyst);
  // (read from the table: the places route's answer is being reworked by others)
  out.places = (await app.db.query(`SELECT id, name, ST_AsEWKT(geom) AS geom, district_area_id, partners, status, start_date, description FROM places ORDER BY id`)).rows;
  out.imports = await get('/api/imports', k.admin);
  out.health = { ...(await get('/api/health')), database: null };
  return out;
}

async function auditOf(app: FastifyInstance, admin: string): Promise<unknown> {
  const r = await app.inject({ url: '/api/audit', headers: { authorization: `Bearer ${admin}` } });
  expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
  return r.json();
}

describe.each(backends)('backup and restore (%s)', (kind) => {
  let t: TestDb;
  let app: FastifyInstance;
  let keys: Keys & { reportId: number };
  let before: Record<string, unknown>;
  let auditBefore: unknown;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-backup-test-'));
  const file = path.join(dir, 'b.tkbackup');

  beforeAll(async () => {
    t = await openTestDb(kind, { CHROMIUM_PATH: '/nonexistent/chromium' });
    app = await buildApp({ config: t.config, db: t.db, logger: false });
    keys = await seed(app, t.db);
    // the backup route first: it adds its own audit row, which the file made next then holds
    const r = await app.inject({ url: '/api/admin/backup', headers: { authorization: `Bearer ${keys.admin}` } });
    expect(r.statusCode).toBe(200);
    fs.writeFileSync(path.join(dir, 'route.tkbackup'), r.rawPayload);
    before = await answers(app, keys);
    // the audit log as the backup holds it (reading the saved report above added a row)
    auditBefore = await auditOf(app, keys.admin);
    await writeBackup(t.db, file);
  });
  afterAll(async () => { await app?.close(); await t?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('writes a file with the schema level, every table with its row count and a checksum', async () => {
    const { header } = await readBackupHeader(file);
    expect(header.schema.latest).toBe((await appliedMigrations(t.db)).at(-1));
    const names = header.tables.map((x) => x.name);
    for (const table of ['incidents', 'areas', 'area_day_counts', 'saved_reports', 'places', 'api_keys', 'audit_log', 'meta', 'disclosure_secret', 'import_batches', 'survey_results', 'schema_migrations']) {
      expect(names, table).toContain(table);
    }
    // foreign keys point backwards in the load order
    expect(names.indexOf('areas')).toBeLessThan(names.indexOf('saved_reports'));
    expect(names.indexOf('area_sets')).toBeLessThan(names.indexOf('areas'));
    // PostGIS' own table and the UNLOGGED derived rollup are left out
    expect(names).not.toContain('spatial_ref_sys');
    expect(names).not.toContain('hex_month_counts');
    const incidents = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents');
    expect(header.tables.find((x) => x.name === 'incidents')!.rows).toBe(incidents.rows[0].n);
    expect(header.payload.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await verifyBackup(file)).payload.sha256).toBe(header.payload.sha256);
    expect((await verifyBackup(path.join(dir, 'route.tkbackup'))).backend).toBe(kind);
  });

  it('the backup route is for admins (or the local token) only', async () => {
    expect((await app.inject('/api/admin/backup')).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/admin/backup', headers: { authorization: `Bearer ${keys.analyst}` } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/admin/backup', headers: { 'x-local-token': 'guess' } })).statusCode).toBe(401);
  });

  it('backup → wipe → restore gives the same answers: statistics, the saved report, the audit log, places, batches', async () => {
    const target = await emptyDb(kind);
    try {
      const r = await restoreBackup(target.db, file);
      expect(r.tables.find((x) => x.name === 'audit_log')!.rows).toBeGreaterThan(0);
      const restored = await buildApp({ config: t.config, db: target.db, logger: false });
      try {
        // first the audit log, as restored (every later read of a saved report adds to it)
        expect(await auditOf(restored, keys.admin)).toEqual(auditBefore);
        const after = await answers(restored, keys);
        for (const k of Object.keys(before)) expect(after[k], k).toEqual(before[k]);
        // sequences continue after the restored rows
        const key = await createKey(target.db, { name: 'after restore', role: 'analyst' });
        const max = await target.db.query<{ m: number }>('SELECT max(id)::int AS m FROM api_keys');
        expect(key.id).toBe(max.rows[0].m);
        expect((await app.inject({ url: '/api/health/ready' })).statusCode).toBe(200);
      } finally {
        await restored.close();
      }
    } finally {
      await target.close();
    }
  }, 240_000); // a whole database out and back in, and a lägesbild built twice: minutes on a busy 2-core machine

  it('refuses a damaged file, a file from a newer schema and a non-empty target, writing nothing', async () => {
    const { header, payloadOffset } = await readBackupHeader(file);
    const bytes = fs.readFileSync(file);
    const damaged = path.join(dir, 'damaged.tkbackup');
    const copy = Buffer.from(bytes);
    copy[payloadOffset + Math.floor((bytes.length - payloadOffset) / 2)] ^= 0xff;
    fs.writeFileSync(damaged, copy);
    const newer = path.join(dir, 'newer.tkbackup');
    const h2 = { ...header, schema: { latest: '999_from_the_future.sql', migrations: [...header.schema.migrations, '999_from_the_future.sql'] } };
    fs.writeFileSync(newer, Buffer.concat([Buffer.from(`TRYGGHETSKARTA-BACKUP 1\n${JSON.stringify(h2)}\n`), bytes.subarray(payloadOffset)]));

    const target = await emptyDb(kind);
    try {
      await expect(restoreBackup(target.db, damaged)).rejects.toThrow(/damaged: its checksum does not match/);
      await expect(restoreBackup(target.db, newer)).rejects.toBeInstanceOf(BackupFromNewerSchemaError);
      expect(await appliedMigrations(target.db)).toEqual([]);
      await expect(restoreBackup(t.db, file)).rejects.toThrow(/not empty/);
      await expect(restoreBackup(target.db, path.join(PROJECT_ROOT, 'package.json'))).rejects.toBeInstanceOf(BackupError);
    } finally {
      await target.close();
    }
  });
});

describe('npm run backup while the embedded server runs', () => {
  it('asks the server (PGlite serves one process) and writes a verified file; restore refuses while it runs', async () => {
    const t = await openTestDb('embedded');
    const token = newLocalToken();
    const app = await buildApp({ config: t.config, db: t.db, logger: false, localToken: token });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const release = claimDataDir(t.config.dataDir, `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, token);
    const out = path.join(os.tmpdir(), `tk-cli-${process.pid}.tkbackup`);
    const env = { ...process.env, DATA_DIR: t.config.dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
    delete (env as Record<string, string | undefined>).DATABASE_URL;
    try {
      const r = await run(process.execPath, ['--import', 'tsx', 'server/cli/backup.ts', out], { cwd: PROJECT_ROOT, env });
      expect(r.stderr).toContain('it makes the backup');
      expect(r.stdout).toMatch(/sha256: {2}[0-9a-f]{64}/);
      const h = await verifyBackup(out);
      expect(h.backend).toBe('embedded');
      const refused = await run(process.execPath, ['--import', 'tsx', 'server/cli/restore.ts', out, '--replace'], { cwd: PROJECT_ROOT, env }).catch((e) => e);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('stop it first');
      const audit = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'backup' AND detail->>'via' = 'local-token'`);
      expect(audit.rows[0].n).toBe(1);
    } finally {
      release();
      fs.rmSync(out, { force: true });
      await app.close();
      await t.close();
    }
  });
});
