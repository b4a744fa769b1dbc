// Issue 19 (server slice) on both backends: the police's XLSX extract (Swedish headers, decimal commas, a bad date on
// row 17) previewed — every column mapped as suggested, row 17 named with its reason, nothing written (data version,
// rows, batches) — then committed with onInvalid=skip (exactly the valid rows), re-uploaded (0 inserted, 0 updated),
// its mapping saved as a profile and matched for a second file (a ;-CSV) with the same columns, and the CLI's --profile.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataVersion } from '../../server/domain/data-version/data-version.js';
import { hashSecret } from '../../server/domain/keys/hash-secret.js';
import type { ColumnMapping } from '../../server/ingest/column-mapping.js';
import type { ImportPreview } from '../../server/ingest/preview-import.js';
import { backends, openTestApp, openTestDb, type TestApp } from '../helpers/backends.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const FIX = path.join(ROOT, 'test/fixtures/imports');
const XLSX = fs.readFileSync(path.join(FIX, 'crimes-sv.xlsx'));
const APRIL = fs.readFileSync(path.join(FIX, 'crimes-sv-april.csv'));
const ADMIN = 'test-admin-key-mapping-0123456789';
const ANALYST = 'test-analyst-key-mapping-0123456789';
const HEADERS = ['Ärendenummer', 'Brottsdatum', 'Brottskod', 'X-koordinat', 'Y-koordinat', 'Beskrivning'];
const SUGGESTED: ColumnMapping = {
  columns: { id: 'Ärendenummer', occurred_from: 'Brottsdatum', category: 'Brottskod', x: 'X-koordinat', y: 'Y-koordinat' },
  crs: 'EPSG:3006', dateFormat: 'iso', decimalMark: ',',
};
const FIXED: ColumnMapping = { ...SUGGESTED, values: { 'Skadegörelse på bil': 'skadegorelse' } };
const q = (m: ColumnMapping) => encodeURIComponent(JSON.stringify(m));

describe.each(backends)('imports in a provider\'s own layout on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind);
    await t.db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('admin', 'admin', $1), ('analyst', 'analyst', $2)`, [hashSecret(ADMIN), hashSecret(ANALYST)]);
  });
  afterAll(async () => { await t?.close(); });

  const post = (url: string, payload: Buffer, key = ANALYST, type = 'application/octet-stream') =>
    t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': type, authorization: `Bearer ${key}` } });
  const counts = async () => ({
    version: await readDataVersion(t.db),
    incidents: (await t.db.query<{ n: number }>(`SELECT count(*)::int n FROM incidents`)).rows[0].n,
    batches: (await t.db.query<{ n: number }>(`SELECT count(*)::int n FROM import_batches`)).rows[0].n,
    profiles: (await t.db.query<{ n: number }>(`SELECT count(*)::int n FROM import_profiles`)).rows[0].n,
  });

  it('previews the XLSX: every column suggested, rows as stored, row 9 and row 17 named with their reasons, nothing written', async () => {
    const before = await counts();
    const r = await post('/api/imports/crimes/preview?fileName=polisen-mars.xlsx', XLSX);
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json() as ImportPreview;
    expect(p).toMatchObject({ format: 'xlsx', fileName: 'polisen-mars.xlsx', headers: HEADERS, mappingFrom: 'suggested', mapping: SUGGESTED, decimalMark: ',', problem: null, matchingProfiles: [] });
    expect(p.suggestion!.columns.map((c) => [c.source, c.target])).toEqual([
      ['Ärendenummer', 'id'], ['Brottsdatum', 'occurred_from'], ['Brottskod', 'category'], ['X-koordinat', 'x'], ['Y-koordinat', 'y'], ['Beskrivning', null]]);
    expect(p.suggestion!.unknownCategories).toEqual(['Skadegörelse på bil']);
    expect(p.errors.map((e) => [e.line, e.sourceColumn, e.message])).toEqual([
      [9, 'Brottskod', 'line 9: category is not a category code (letters, digits, _ . : -, at most 64)'],
      [17, 'Brottsdatum', 'line 17: occurred_from "2025-02-30" is not a date'],
    ]);
    expect(p).toMatchObject({ rowsRead: 20, valid: 18, rejected: 2, wouldInsert: 18, wouldUpdate: 0, wouldLeaveUnchanged: 0 });
    expect(p.rows).toHaveLength(18);
    // as stored: Stockholm wall time (08:00 CET = 07:00Z), decimal commas read, SWEREF 99 TM metres
    expect(p.rows[0]).toEqual({ line: 2, row: { id: '5000-K1000-25', category: 'misshandel', occurredFrom: '2025-03-01T07:00:00.000Z', occurredTo: null, x: 666000, y: 6585000, areaId: null, precision: 'exact' } });
    expect(await counts()).toEqual(before);
  });

  it('after mapping the category value, onInvalid=skip writes exactly the valid rows; the same file again: 0 inserted, 0 updated', async () => {
    const fixed = (await post(`/api/imports/crimes/preview?mapping=${q(FIXED)}`, XLSX)).json() as ImportPreview;
    expect(fixed).toMatchObject({ mappingFrom: 'given', valid: 19, rejected: 1, wouldInsert: 19 });
    expect(fixed.errors.map((e) => e.line)).toEqual([17]);
    const all = await post(`/api/imports/crimes?mapping=${q(FIXED)}`, XLSX, ADMIN);
    expect(all.statusCode).toBe(422); // the default: all rows or none
    expect(all.json().errors.map((e: { line: number }) => e.line)).toEqual([17]);
    const before = await counts();
    const c = await post(`/api/imports/crimes?onInvalid=skip&fileName=polisen-mars.xlsx&mapping=${q(FIXED)}`, XLSX, ADMIN);
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json()).toMatchObject({ committed: true, rowsRead: 20, inserted: 19, updated: 0, rejected: 1 });
    expect(c.json().errors.map((e: { message: string }) => e.message)).toEqual(['line 17: occurred_from "2025-02-30" is not a date']);
    const ids = (await t.db.query<{ id: string }>(`SELECT external_id id FROM incidents WHERE external_id LIKE '5000-K1%' ORDER BY 1`)).rows.map((x) => x.id);
    expect(ids).toHaveLength(19);
    expect(ids).not.toContain('5000-K1015-25');
    expect((await t.db.query<{ category: string }>(`SELECT category FROM incidents WHERE external_id = '5000-K1007-25'`)).rows[0].category).toBe('skadegorelse');
    expect((await counts()).version).toBeGreaterThan(before.version);
    const again = await post(`/api/imports/crimes?onInvalid=skip&mapping=${q(FIXED)}`, XLSX, ADMIN);
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 19 });
    const preview = (await post(`/api/imports/crimes/preview?mapping=${q(FIXED)}`, XLSX)).json() as ImportPreview;
    expect(preview).toMatchObject({ wouldInsert: 0, wouldUpdate: 0, wouldLeaveUnchanged: 19 });
  });

  it('a saved profile is matched for a second file with the same columns (a ;-CSV) and taken by name', async () => {
    const save = (name: string) => t.app.inject({ method: 'POST', url: '/api/import-profiles', headers: { authorization: `Bearer ${ANALYST}` }, payload: { name, kind: 'crimes', headers: HEADERS, mapping: FIXED } });
    const s = await save('Polisen månadsuttag');
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json()).toMatchObject({ name: 'Polisen månadsuttag', kind: 'crimes', mapping: FIXED, createdBy: expect.stringMatching(/^key:/) });
    expect((await save('Polisen månadsuttag')).statusCode).toBe(409);
    expect((await t.app.inject({ url: '/api/import-profiles?kind=crimes' })).statusCode).toBe(401);
    const list = await t.app.inject({ url: '/api/import-profiles?kind=crimes', headers: { authorization: `Bearer ${ANALYST}` } });
    expect(list.json().map((x: { name: string }) => x.name)).toEqual(['Polisen månadsuttag']);
    const before = await counts();
    const p = (await post('/api/imports/crimes/preview', APRIL, ANALYST, 'text/csv')).json() as ImportPreview;
    expect(p).toMatchObject({ format: 'csv', delimiter: ';', headers: HEADERS, mappingFrom: 'profile', profile: 'Polisen månadsuttag', mapping: FIXED, rejected: 0, wouldInsert: 3 });
    expect(p.matchingProfiles.map((x) => x.name)).toEqual(['Polisen månadsuttag']);
    expect(p.rows[1].row).toMatchObject({ id: '5000-K2002-25', category: 'skadegorelse', x: 668000, y: 6587000 });
    expect(await counts()).toEqual(before);
    const c = await post(`/api/imports/crimes?profile=${encodeURIComponent('Polisen månadsuttag')}`, APRIL, ADMIN, 'text/csv');
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json()).toMatchObject({ inserted: 3, rejected: 0 });
    // the history names the profile and who imported (the key's name)
    const history = (await t.app.inject({ url: '/api/imports?kind=crimes', headers: { authorization: `Bearer ${ANALYST}` } })).json() as { id: number; profile: string | null; importedByName: string | null }[];
    expect(history.find((b) => b.id === c.json().batchId)).toMatchObject({ profile: 'Polisen månadsuttag', importedByName: expect.any(String) });
    const unknown = await post('/api/imports/crimes?profile=Securitas', APRIL, ADMIN, 'text/csv');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().detail).toMatch(/no mapping profile "Securitas" \(saved for crimes: "Polisen månadsuttag"\)/);
  });

  it('a file the mapping cannot complete still previews its header and what is missing; a GeoJSON kind previews its counts', async () => {
    const before = await counts();
    const r = await post('/api/imports/crimes/preview', Buffer.from('Nr;Plats\n1;Husby\n'), ANALYST, 'text/csv');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ format: 'csv', headers: ['Nr', 'Plats'], problem: expect.stringMatching(/^line 1: the header lacks the required columns id, occurred_from, category /), rowsRead: 0 });
    expect(r.json().suggestion.missing).toEqual(['id', 'occurred_from', 'category', 'x,y or lat,lon or area_code']);
    const areas = await post('/api/imports/areas/preview?areaSet=preview-areas&level=custom&vintage=2025&codeProperty=code&nameProperty=name', fs.readFileSync(path.join(FIX, 'areas.geojson')));
    expect(areas.statusCode, areas.body).toBe(200);
    expect(areas.json()).toMatchObject({ format: 'json', suggestion: null, rowsRead: 3, wouldInsert: 3, rejected: 0 });
    expect(await counts()).toEqual(before);
    expect((await t.db.query(`SELECT 1 FROM area_sets WHERE id = 'preview-areas'`)).rows).toHaveLength(0);
  });

  it('the mapping may come as a multipart field before the file; a bad mapping is a 400 naming the field', async () => {
    const b = 'BnD19';
    const body = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n${JSON.stringify(FIXED)}\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="april.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      APRIL, Buffer.from(`\r\n--${b}--\r\n`)]);
    const r = await post('/api/imports/crimes/preview', body, ANALYST, `multipart/form-data; boundary=${b}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ fileName: 'april.csv', mappingFrom: 'given', rejected: 0 });
    const bad = await post(`/api/imports/crimes/preview?mapping=${encodeURIComponent('{"columns":{"Id":1}}')}`, APRIL);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/mapping/);
  });
});

describe.each(backends)('npm run import --profile on %s', (kind) => {
  it('reads an XLSX with a saved profile; an unknown profile is refused naming the saved ones', async () => {
    const t = await openTestDb(kind);
    try {
      await t.db.query(`INSERT INTO import_profiles (name, kind, header_signature, headers, mapping, created_by) VALUES ('Polisen månadsuttag', 'crimes', 'x', $1, $2, 'test')`, [HEADERS, FIXED]);
      const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
      // the CLI opens the same database as a separate process
      await t.db.close();
      if (kind === 'postgres') env.DATABASE_URL = t.config.databaseUrl;
      else { env.DATA_DIR = t.config.dataDir; delete env.DATABASE_URL; }
      const cli = async (...args: string[]) => {
        try {
          const r = await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'server/cli/import.ts'), ...args], { env, cwd: ROOT });
          return { code: 0, out: r.stdout };
        } catch (e) { return { code: (e as { code: number }).code, out: (e as { stdout: string }).stdout }; }
      };
      const ok = await cli('crimes', path.join(FIX, 'crimes-sv.xlsx'), '--profile', 'Polisen månadsuttag', '--skip-invalid');
      expect(ok.code, ok.out).toBe(0);
      expect(ok.out).toMatch(/rows read:\s+20\n\s+inserted:\s+19\n/);
      expect(ok.out).toContain('line 17: occurred_from "2025-02-30" is not a date');
      const unknown = await cli('crimes', path.join(FIX, 'crimes-sv.xlsx'), '--profile', 'Securitas');
      expect(unknown.code).toBe(1);
      expect(unknown.out).toMatch(/no mapping profile "Securitas" \(saved for crimes: "Polisen månadsuttag"\)/);
    } finally {
      await t.close().catch(() => {});
    }
  }, 300_000);
});
