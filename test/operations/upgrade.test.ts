// Upgrades, on each backend: a database made at an earlier migration level (BASE) with rows in every table is
// migrated to the current level; every row it had must still be there with every column it had unchanged — except
// the changes a migration is meant to make (INTENDED) — and the service answers from them (statistics, the saved
// report, the audit log, places, keys). The check itself is shown to catch a migration that deletes or alters a row.
// Migrations are forward only and each runs in a transaction: one that fails leaves the database exactly as it was.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openEmbedded } from '../../server/db/embedded.js';
import type { Db, Queryable } from '../../server/db/index.js';
import { migrate, migrationFiles, MIGRATIONS_DIR, NewerSchemaError } from '../../server/db/migrate.js';
import { openPostgres } from '../../server/db/postgres.js';
import { hashSecret } from '../../server/domain/keys/hash-secret.js';
import { backends, type BackendKind } from '../helpers/backends.js';
import { adminUrl } from '../helpers/pg-admin.js';

/** The level the old database is made at: every migration after it runs over rows. */
const BASE = '010_incident_write_cost.sql';

/** What migrations after BASE are meant to change in existing rows: anything else changed or lost fails the test. */
const INTENDED: Record<string, { columns?: string[]; emptied?: true; why: string }> = {
  api_keys: { columns: ['districts'], why: '012 turned district names into area ids (an unknown name is dropped)' },
  area_month_counts: { emptied: true, why: '011: derived, rebuilt with cell-key sums on first use' },
  area_month_state: { emptied: true, why: '011: derived, rebuilt on first use' },
  hex_month_counts: { emptied: true, why: '011: derived, rebuilt with cell-key sums on first use' },
  hex_rollup_state: { emptied: true, why: '011: derived, rebuilt on first use' },
};

const ANALYST = 'upgrade-test-analyst-key';
const ADMIN = 'upgrade-test-admin-key';
const sq = (x0: number, y0: number, s: number) => `ST_Multi(ST_MakeEnvelope(${x0}, ${y0}, ${x0 + s}, ${y0 + s}, 3006))`;

/** Rows in every table of the schema at BASE (written for that schema, so it stays valid as new migrations come). */
const FILL_AT_BASE = `
UPDATE meta SET value = '7' WHERE key = 'data_version';
INSERT INTO meta (key, value) VALUES ('upgrade_test', 'kept');
INSERT INTO import_batches (id, kind, provider, file_name, sha256, options, rows_read, inserted, imported_by, created_at)
  VALUES (1, 'crimes', 'file', 'old.csv', repeat('a', 64), '{"crs":"EPSG:3006"}', 4, 4, 'cli', '2025-06-01T10:00:00Z');
INSERT INTO area_sets (id, name, level, vintage, source, is_reference, batch_id, created_at) VALUES
  ('up-kommun', 'Upgrade kommun', 'kommun', 2024, 'test', false, NULL, '2025-01-01T00:00:00Z'),
  ('up-stadsdel', 'Upgrade stadsdelar', 'stadsdel', 2024, 'test', false, NULL, '2025-01-01T00:00:00Z');
UPDATE area_sets SET parent_set_id = 'up-kommun' WHERE id = 'up-stadsdel';
INSERT INTO areas (id, area_set_id, code, name, parent_code, geom, area_m2) VALUES
  (9001, 'up-kommun', '0180', 'Upgrade kommun', NULL, ${sq(670000, 6580000, 2000)}, 4000000),
  (9002, 'up-stadsdel', 'NORR', 'Norr', '0180', ${sq(670000, 6581000, 1000)}, 1000000),
  (9003, 'up-stadsdel', 'SODER', 'Söder', '0180', ${sq(670000, 6580000, 1000)}, 1000000);
SELECT setval('areas_id_seq', 9003);
INSERT INTO area_pieces (area_id, geom) SELECT id, ST_GeometryN(geom, 1) FROM areas WHERE id BETWEEN 9001 AND 9003;
INSERT INTO population (area_id, year, sex, age_band, population, batch_id) VALUES
  (9002, 2024, 'all', 'all', 1000, NULL), (9003, 2024, 'all', 'all', 2000, NULL);
INSERT INTO categories (source, code, label_sv, label_en, grp) VALUES ('crimes', 'upgrade-cat', 'Uppgradering', 'Upgrade', 'ovrigt');
INSERT INTO incidents (id, source, provider, external_id, category, occurred_from, occurred_to, precision, location_area_id, geom, confirmed, status, attrs, row_hash, batch_id) VALUES
  (1, 'crimes', 'file', 'U-1', 'stold', '2025-03-01T10:00:00Z', NULL, 'exact', NULL, ST_SetSRID(ST_MakePoint(670500, 6581500), 3006), NULL, NULL, NULL, 'h1', 1),
  (2, 'crimes', 'file', 'U-2', 'stold', '2025-03-02T10:00:00Z', '2025-03-02T12:00:00Z', 'exact', NULL, ST_SetSRID(ST_MakePoint(670600, 6581600), 3006), NULL, NULL, '{"note":"kept"}', 'h2', 1),
  (3, 'crimes', 'file', 'U-3', 'misshandel', '2025-04-05T22:00:00Z', NULL, 'exact', NULL, ST_SetSRID(ST_MakePoint(670500, 6580500), 3006), NULL, NULL, NULL, 'h3', 1),
  (4, 'crimes', 'file', 'U-4', 'upgrade-cat', '2025-05-05T08:00:00Z', NULL, 'district', 9002, NULL, NULL, NULL, NULL, 'h4', 1),
  (5, 'shootings', 'file', 'U-5', 'injured', '2025-02-01T01:00:00Z', NULL, 'exact', NULL, ST_SetSRID(ST_MakePoint(670400, 6580400), 3006), true, NULL, NULL, 'h5', NULL),
  (6, 'citizen-reports', 'file', 'U-6', 'nedskrapning', '2025-02-03T09:00:00Z', NULL, 'exact', NULL, ST_SetSRID(ST_MakePoint(670450, 6581450), 3006), NULL, 'open', NULL, 'h6', NULL);
SELECT setval('incidents_id_seq', 6);
INSERT INTO area_day_counts (area_set_id, area_id, source, category, day, n) VALUES
  ('up-kommun', 9001, 'crimes', 'stold', '2025-03-01', 1), ('up-kommun', 9001, 'crimes', 'stold', '2025-03-02', 1),
  ('up-kommun', 9001, 'crimes', 'misshandel', '2025-04-05', 1), ('up-kommun', 9001, 'crimes', 'upgrade-cat', '2025-05-05', 1),
  ('up-stadsdel', 9002, 'crimes', 'stold', '2025-03-01', 1), ('up-stadsdel', 9002, 'crimes', 'stold', '2025-03-02', 1),
  ('up-stadsdel', 9003, 'crimes', 'misshandel', '2025-04-05', 1), ('up-stadsdel', 9002, 'crimes', 'upgrade-cat', '2025-05-05', 1),
  ('up-kommun', 9001, 'shootings', 'injured', '2025-02-01', 1), ('up-stadsdel', 9003, 'shootings', 'injured', '2025-02-01', 1),
  ('up-kommun', 9001, 'citizen-reports', 'nedskrapning', '2025-02-03', 1), ('up-stadsdel', 9002, 'citizen-reports', 'nedskrapning', '2025-02-03', 1);
INSERT INTO survey_indicators (code, text_sv, text_en, kind, direction) VALUES ('up-otrygg', 'Otrygg', 'Unsafe', 'share', 'higher-is-worse');
INSERT INTO survey_waves (id, name, year, area_set_id, created_at) VALUES ('up-2024', 'Upgrade 2024', 2024, 'up-stadsdel', '2025-01-02T00:00:00Z');
INSERT INTO survey_results (wave_id, area_id, indicator, grp, respondents, value, ci_low, ci_high, row_hash, batch_id) VALUES
  ('up-2024', 9002, 'up-otrygg', 'all', 120, 0.25, 0.18, 0.33, 's1', NULL), ('up-2024', 9003, 'up-otrygg', 'all', 90, 0.4, NULL, NULL, 's2', NULL);
INSERT INTO places (id, external_id, name, geom, district_area_id, partners, status, start_date, end_date, description, synthetic, row_hash, batch_id, created_at, updated_at, district_overridden) VALUES
  (1, 'P-UP', 'Upgrade torg', ${sq(670200, 6581200, 200)}, 9002, '[{"organisation":"Polisen","role":"partner"}]', 'active', '2024-01-01', NULL, 'kept', false, NULL, NULL, '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', true);
SELECT setval('places_id_seq', 1);
INSERT INTO place_goals (id, place_id, description, indicator, baseline_from, baseline_to, baseline_value, target_value, deadline, created_at) VALUES
  (1, 1, 'färre stölder', '{"type":"incidents","source":"crimes","categories":["stold"]}', '2024-01-01', '2025-01-01', 12, 6, '2026-12-31', '2024-02-01T00:00:00Z');
INSERT INTO place_measures (id, place_id, type, date, description, created_at) VALUES (1, 1, 'lighting', '2024-03-01', 'ny belysning', '2024-03-02T00:00:00Z');
SELECT setval('place_goals_id_seq', 1); SELECT setval('place_measures_id_seq', 1);
INSERT INTO api_keys (id, name, role, districts, key_hash, created_at, revoked_at) VALUES
  (1, 'analytiker', 'analyst', '{}', '${hashSecret(ANALYST)}', '2024-01-01T00:00:00Z', NULL),
  (2, 'admin', 'admin', '{}', '${hashSecret(ADMIN)}', '2024-01-01T00:00:00Z', NULL),
  (3, 'stadsdel', 'staff', '{9002,NOWHERE}', '${hashSecret('upgrade-test-staff-key')}', '2024-01-01T00:00:00Z', NULL),
  (4, 'gammal', 'analyst', '{}', '${hashSecret('revoked')}', '2023-01-01T00:00:00Z', '2024-01-01T00:00:00Z');
SELECT setval('api_keys_id_seq', 4);
INSERT INTO sessions (id_hash, api_key_id, csrf_token, expires_at, created_at) VALUES ('${hashSecret('a-session')}', 1, 'csrf', '2099-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
INSERT INTO audit_log (id, at, actor, role, action, target, detail) VALUES
  (1, '2025-06-01T10:00:00Z', 'key:2', 'admin', 'import', 'crimes', '{"batchId":1}'),
  (2, '2025-06-02T10:00:00Z', 'key:1', 'analyst', 'point-data', 'GET /tiles/incidents', '{"status":200}'),
  (3, '2025-06-03T10:00:00Z', 'key:1', 'analyst', 'report.create', 'report:1', '{"areaId":9002}');
SELECT setval('audit_log_id_seq', 3);
INSERT INTO saved_reports (id, area_id, period_from, period_to, lang, report_date, data_version, snapshot, staff_text, created_by, created_at, title, area_set_id, updated_at, updated_by) VALUES
  (1, 9002, '2025-01-01', '2026-01-01', 'sv', '2025-06-03', 7, '{"public":{"title":"frozen","figures":[1,2,3]}}', '{"priorities":"kept"}', 'key:1', '2025-06-03T10:00:00Z', 'Lägesbild Norr', 'up-stadsdel', '2025-06-03T10:00:00Z', NULL);
SELECT setval('saved_reports_id_seq', 1);
INSERT INTO area_month_counts (area_set_id, source, version, month, category, area_id, n) VALUES ('up-stadsdel', 'crimes', 7, '2025-03-01', 'stold', 9002, 2);
INSERT INTO area_month_state (area_set_id, source, version) VALUES ('up-stadsdel', 'crimes', 7);
INSERT INTO hex_month_counts (cell_size, source, version, category, month, i0, k, side, n) VALUES (250, 'crimes', 7, '', '2025-03-01', 1, 2, 0, 2);
INSERT INTO hex_rollup_state (cell_size, source, version) VALUES (250, 'crimes', 7);
`;

type Snapshot = Map<string, { key: string[] | null; rows: Map<string, Record<string, unknown>> }>;

/** Every row of every table in the schema (not extensions'), keyed by primary key (or the whole row). */
async function snapshot(db: Queryable): Promise<Snapshot> {
  const tables = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') ORDER BY 1`);
  const out: Snapshot = new Map();
  for (const { name } of tables.rows) {
    const pk = await db.query<{ a: string }>(
      `SELECT a.attname AS a FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`, [`"${name}"`]);
    const key = pk.rows.length ? pk.rows.map((r) => r.a) : null;
    const rows = await db.query<{ j: Record<string, unknown> }>(`SELECT to_jsonb(t) AS j FROM "${name}" t`);
    const m = new Map<string, Record<string, unknown>>();
    for (const { j } of rows.rows) {
      const row = typeof j === 'string' ? JSON.parse(j) : j;
      const k = key ? JSON.stringify(key.map((c) => row[c])) : JSON.stringify(row);
      m.set(m.has(k) ? `${k}#${m.size}` : k, row);
    }
    out.set(name, { key, rows: m });
  }
  return out;
}

/** What the upgrade lost or altered that it should have kept. */
function lostOrAltered(before: Snapshot, after: Snapshot): string[] {
  const problems: string[] = [];
  for (const [table, b] of before) {
    const intended = INTENDED[table];
    const a = after.get(table);
    if (!a) { problems.push(`table ${table} is gone`); continue; }
    if (intended?.emptied && a.rows.size === 0) continue;
    for (const [k, row] of b.rows) {
      const now = a.rows.get(k) ?? (b.key ? undefined : [...a.rows.values()].find((r) => Object.keys(row).every((c) => JSON.stringify(r[c]) === JSON.stringify(row[c]))));
      if (!now) { problems.push(`${table} ${k}: row lost`); continue; }
      for (const c of Object.keys(row)) {
        if (intended?.columns?.includes(c)) continue;
        if (!(c in now)) problems.push(`${table} ${k}: column ${c} dropped`);
        else if (JSON.stringify(now[c]) !== JSON.stringify(row[c])) problems.push(`${table} ${k}: ${c} ${JSON.stringify(row[c])} → ${JSON.stringify(now[c])}`);
      }
    }
  }
  return problems;
}

/** A database of the kind at BASE with FILL_AT_BASE; copy() gives an independent copy of it as it is then. */
async function oldDatabase(kind: BackendKind) {
  const made: (() => Promise<void>)[] = [];
  if (kind === 'embedded') {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-upgrade-'));
    const first = path.join(root, 'base');
    const db = await openEmbedded(first);
    await migrate(db, MIGRATIONS_DIR, { upTo: BASE });
    await db.query(FILL_AT_BASE);
    await db.close();
    made.push(async () => fs.rmSync(root, { recursive: true, force: true }));
    let n = 0;
    return {
      copy: async (): Promise<Db> => { const d = path.join(root, `copy${n++}`); fs.cpSync(first, d, { recursive: true }); return openEmbedded(d); },
      close: async () => { for (const f of made) await f(); },
    };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  const names: string[] = [];
  const url = (name: string) => { const u = new URL(base); u.pathname = `/${name}`; return u.toString(); };
  const tpl = `tk_upgrade_${crypto.randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${tpl}`);
  names.push(tpl);
  const db = await openPostgres(url(tpl), { poolMax: 2 });
  await migrate(db, MIGRATIONS_DIR, { upTo: BASE });
  await db.query(FILL_AT_BASE);
  await db.close();
  let n = 0;
  return {
    copy: async (): Promise<Db> => {
      const name = `${tpl}_${n++}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${tpl}`);
      names.push(name);
      return openPostgres(url(name), { poolMax: 4 });
    },
    close: async () => {
      for (const name of names.reverse()) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

describe.each(backends)('upgrades (%s)', (kind) => {
  let old: Awaited<ReturnType<typeof oldDatabase>>;
  const open: Db[] = [];
  const copy = async () => { const d = await old.copy(); open.push(d); return d; };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-migrations-'));
  /** the real migrations plus extra files, in a directory of their own */
  const withExtra = (name: string, extra: Record<string, string>) => {
    const d = path.join(tmp, name);
    fs.mkdirSync(d);
    for (const f of migrationFiles()) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(d, f));
    for (const [f, sql] of Object.entries(extra)) fs.writeFileSync(path.join(d, f), sql);
    return d;
  };

  beforeAll(async () => { old = await oldDatabase(kind); }, 300_000);
  afterAll(async () => {
    for (const d of open) await d.close().catch(() => {});
    await old?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps every row of every table from an earlier level, and the service answers from them', async () => {
    expect(migrationFiles().indexOf(BASE)).toBeGreaterThanOrEqual(0);
    expect(migrationFiles().length - migrationFiles().indexOf(BASE) - 1).toBeGreaterThanOrEqual(3);
    const db = await copy();
    const before = await snapshot(db);
    // rows in every table of the old schema (the schema's own bookkeeping too)
    const empty = [...before].filter(([, t]) => t.rows.size === 0).map(([n]) => n);
    expect(empty).toEqual([]);
    const applied = await migrate(db);
    expect(applied[0]).toBe(migrationFiles()[migrationFiles().indexOf(BASE) + 1]);
    expect(lostOrAltered(before, await snapshot(db))).toEqual([]);

    // the intended change: the staff key's known district id stays, the unknown name is dropped
    expect((await db.query<{ districts: string[] }>('SELECT districts FROM api_keys WHERE id = 3')).rows[0].districts).toEqual(['9002']);

    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', CHROMIUM_PATH: '/nonexistent' }), db, logger: false });
    try {
      const as = (k: string) => ({ authorization: `Bearer ${k}` });
      const stats = await app.inject({ url: '/api/stats?areaSet=up-stadsdel&source=crimes&from=2025-01-01&to=2026-01-01', headers: as(ANALYST) });
      expect(stats.statusCode, stats.body.slice(0, 300)).toBe(200);
      const rows = stats.json().rows as { code: string; count: number; population: number | null }[];
      expect(Object.fromEntries(rows.map((r) => [r.code, [r.count, r.population]]))).toEqual({ NORR: [3, 1000], SODER: [1, 2000] });
      const reports = await app.inject({ url: '/api/reports?areaSet=up-stadsdel', headers: as(ANALYST) });
      expect(reports.statusCode, reports.body.slice(0, 300)).toBe(200);
      expect(JSON.stringify(reports.json())).toContain('"title":"Lägesbild Norr"');
      const audit = await app.inject({ url: '/api/audit', headers: as(ADMIN) });
      expect(audit.statusCode).toBe(200);
      const actions = JSON.stringify(audit.json());
      for (const a of ['"import"', '"point-data"', '"report.create"']) expect(actions).toContain(a);
      const places = (await app.inject('/api/places')).json();
      expect(JSON.stringify(places)).toContain('Upgrade torg');
      expect((await app.inject({ url: '/api/session', headers: as('revoked') })).statusCode).toBe(401);
      expect((await app.inject('/api/health/ready')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('the check fails when a migration deletes or alters a row it should keep', async () => {
    const db = await copy();
    const before = await snapshot(db);
    await migrate(db, withExtra('lossy', {
      '900_loses_an_audit_row.sql': 'DELETE FROM audit_log WHERE id = 2;',
      '901_renames_a_place.sql': `UPDATE places SET name = name || ' (renamed)';`,
      '902_drops_a_column.sql': 'ALTER TABLE survey_results DROP COLUMN ci_high;',
    }));
    const problems = lostOrAltered(before, await snapshot(db));
    expect(problems).toContain('audit_log [2]: row lost');
    expect(problems).toContain('places [1]: name "Upgrade torg" → "Upgrade torg (renamed)"');
    expect(problems.filter((p) => p.startsWith('survey_results') && p.endsWith('column ci_high dropped'))).toHaveLength(2);
  });

  it('a failed migration leaves the database as it was; a database from newer code is refused', async () => {
    const db = await copy();
    await migrate(db);
    const before = await snapshot(db);
    const dir = withExtra('failing', {
      '900_fails_halfway.sql': `CREATE TABLE should_vanish (x int);
        INSERT INTO should_vanish VALUES (1);
        UPDATE meta SET value = '999' WHERE key = 'data_version';
        DELETE FROM audit_log;
        SELECT 1 / 0;`,
    });
    await expect(migrate(db, dir)).rejects.toThrow(/migration 900_fails_halfway\.sql failed and was rolled back/);
    expect((await db.query<{ t: string | null }>(`SELECT to_regclass('should_vanish')::text AS t`)).rows[0].t).toBeNull();
    expect((await db.query('SELECT 1 FROM schema_migrations WHERE name = $1', ['900_fails_halfway.sql'])).rows).toHaveLength(0);
    expect(lostOrAltered(before, await snapshot(db))).toEqual([]);
    expect(await snapshot(db)).toEqual(before);

    // forward only: a database that applied a migration this code does not know is not touched
    await db.query(`INSERT INTO schema_migrations (name) VALUES ('999_newer_code.sql')`);
    await expect(migrate(db)).rejects.toBeInstanceOf(NewerSchemaError);
  });
});
