// Imports on both backends: every kind's documented example, each rejection rule (0 rows written, the exact
// line), idempotent re-import, a changed row, --skip-invalid, --dry-run, police events placed by text (golden
// cases), and the HTTP endpoints (admin only, 422 with the error list, listing, removal).
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError, ImportRejectedError, formatRowError } from '../../server/ingest/errors.js';
import { importOptionsSchema, type ImportKind } from '../../server/ingest/import-options.js';
import { runImport, type ImportSummary } from '../../server/ingest/run-import.js';
import { hashSecret } from '../../server/domain/keys/hash-secret.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const FIX = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/imports');
const ADMIN = 'test-admin-key-imports-0123456789';
const ANALYST = 'test-analyst-key-imports-0123456789';
const STAFF = 'test-staff-key-imports-0123456789';

describe.each(backends)('imports on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind);
    await t.db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('admin', 'admin', $1), ('analyst', 'analyst', $2), ('staff', 'staff', $3)`, [hashSecret(ADMIN), hashSecret(ANALYST), hashSecret(STAFF)]);
  });
  afterAll(async () => { await t?.close(); });

  const imp = (k: ImportKind, input: string | { text: string; name?: string }, opts: Record<string, unknown> = {}): Promise<ImportSummary> =>
    runImport(t.db, {
      kind: k, options: importOptionsSchema.parse(opts),
      input: typeof input === 'string' ? path.join(FIX, input) : Readable.from([Buffer.from(input.text)]),
      fileName: typeof input === 'string' ? input : input.name ?? 'inline.csv',
    });
  const rejected = async (p: Promise<unknown>): Promise<{ messages: string[]; total: number }> => {
    try { await p; } catch (e) {
      if (e instanceof ImportRejectedError) return { messages: e.errors.map(formatRowError), total: e.total };
      if (e instanceof ImportFileError) return { messages: [e.message], total: 1 };
      throw e;
    }
    throw new Error('expected the import to be rejected');
  };
  const n = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(sql, params)).rows[0].n;
  const incidents = (prefix: string) => n(`SELECT count(*)::int n FROM incidents WHERE external_id LIKE $1`, [`${prefix}%`]);
  const districtOf = async (extId: string) => (await t.db.query<{ code: string }>(
    `SELECT a.code FROM incidents i JOIN areas a ON a.area_set_id = 'stadsdelar' AND ST_Covers(a.geom, i.geom) WHERE i.external_id = $1`, [extId])).rows[0]?.code;

  it('imports every kind from its documented example', async () => {
    expect((await imp('categories', 'categories.csv')).rowsRead).toBe(5);
    const areas = await imp('areas', 'areas.geojson', { areaSet: 'fixture-areas', level: 'custom', vintage: 2025, codeProperty: 'code', nameProperty: 'name' });
    expect(areas).toMatchObject({ rowsRead: 3, inserted: 3, committed: true });
    const a3006 = await imp('areas', 'areas-3006.geojson', { areaSet: 'fixture-3006', codeProperty: 'kod', nameProperty: 'namn' });
    expect(a3006.inserted).toBe(2);
    expect(a3006.notes?.[0]).toContain('EPSG:3006');
    // the crs member was honoured: Farsta torg lies in Farsta
    expect(await n(`SELECT count(*)::int n FROM areas a JOIN areas d ON d.area_set_id='stadsdelar' AND d.code='FARSTA' AND ST_Covers(d.geom, ST_Centroid(a.geom)) WHERE a.area_set_id='fixture-3006' AND a.code='F1'`)).toBe(1);
    expect((await imp('population', 'population.csv', { areaSet: 'fixture-areas' })).inserted).toBe(4);
    const crimes = await imp('crimes', 'crimes.csv');
    expect(crimes).toMatchObject({ rowsRead: 5, inserted: 5, updated: 0, rejected: 0 });
    expect(await districtOf('C-1001')).toBe('HUSBY');
    // no offset = Stockholm local time (CET in March): 08:00 → 07:00Z
    const c3 = (await t.db.query<{ f: Date; t: Date }>(`SELECT occurred_from f, occurred_to t FROM incidents WHERE external_id='C-1003'`)).rows[0];
    expect(c3.f.toISOString()).toBe('2025-03-03T07:00:00.000Z');
    expect(c3.t.toISOString()).toBe('2025-03-03T16:30:00.000Z');
    const ll = await imp('crimes', 'crimes-latlon-semicolon.csv');
    expect(ll.inserted).toBe(2);
    expect(await districtOf('L-1')).toBe('KUNGSHOLMEN');
    const ac = await imp('crimes', 'crimes-area-code.csv', { areaSet: 'stadsdelar' });
    expect(ac).toMatchObject({ inserted: 2, precision: { exact: 0, area: 2 } });
    expect(await n(`SELECT count(*)::int n FROM incidents i JOIN areas a ON a.id = i.location_area_id WHERE i.external_id IN ('A-1','A-2') AND i.geom IS NULL AND i.precision = 'area'`)).toBe(2);
    expect((await imp('shootings', 'shootings.csv')).inserted).toBe(2);
    expect((await imp('guard-reports', 'guard-reports.csv')).inserted).toBe(3);
    expect((await imp('citizen-reports', 'citizen-reports.csv')).inserted).toBe(2);
    expect((await imp('indicators', 'indicators.csv')).inserted).toBe(2);
    const sv = await imp('survey', 'survey.csv', { areaSet: 'stadsdelar' });
    expect(sv.inserted).toBe(6);
    expect(await n(`SELECT count(*)::int n FROM survey_waves WHERE id='2024' AND year=2024 AND area_set_id='stadsdelar'`)).toBe(1);
    const pl = await imp('places', 'places.geojson');
    expect(pl.inserted).toBe(2);
    expect(await n(`SELECT count(*)::int n FROM places p JOIN areas d ON d.id = p.district_area_id WHERE p.external_id='PS-MEDBORGAR' AND d.code='SÖDERMALM'`)).toBe(1);
    // imported places are served like places made through the API: partners as organisations (a list or "a; b; c")
    const listed = await t.app.inject({ url: '/api/places' });
    expect(listed.statusCode, listed.body).toBe(200);
    const byName = new Map((listed.json() as { name: string; partners: unknown[] }[]).map((p) => [p.name, p.partners]));
    expect(byName.get('Husby torg')).toContainEqual({ organisation: 'Polisen', role: '' });
    expect(byName.get('Medborgarplatsen')).toEqual(['Södermalms stadsdelsförvaltning', 'Polisen', 'Fastighetsägarna'].map((organisation) => ({ organisation, role: '' })));
    // the rollup saw the crimes
    expect(await n(`SELECT coalesce(sum(n),0)::int n FROM area_day_counts WHERE area_set_id='stadsdelar' AND source='crimes'`)).toBeGreaterThanOrEqual(9);
    // provenance
    const b = (await t.db.query<{ sha256: string; inserted: number }>(`SELECT sha256, inserted FROM import_batches WHERE id = $1`, [crimes.batchId])).rows[0];
    expect(b.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.inserted).toBe(5);
  });

  it('re-importing changes nothing; a changed row is updated', async () => {
    for (const [k, f, o] of [['crimes', 'crimes.csv', {}], ['survey', 'survey.csv', { areaSet: 'stadsdelar' }], ['places', 'places.geojson', {}],
      ['areas', 'areas.geojson', { areaSet: 'fixture-areas' }], ['population', 'population.csv', { areaSet: 'fixture-areas' }]] as const) {
      const s = await imp(k, f, o);
      expect({ k, inserted: s.inserted, updated: s.updated }).toEqual({ k, inserted: 0, updated: 0 });
      expect(s.unchanged).toBe(s.rowsRead);
    }
    const text = fs.readFileSync(path.join(FIX, 'crimes.csv'), 'utf8').replace('C-1002,2025-03-02T02:40:00Z,,ran', 'C-1002,2025-03-02T02:40:00Z,,misshandel');
    const s = await imp('crimes', { text });
    expect(s).toMatchObject({ inserted: 0, updated: 1, unchanged: 4 });
    expect((await t.db.query<{ category: string }>(`SELECT category FROM incidents WHERE external_id='C-1002'`)).rows[0].category).toBe('misshandel');
  });

  const H = 'id,occurred_from,occurred_to,category,x,y\n';
  const good = (id: string) => `${id},2025-05-01T10:00:00Z,,stold,674599.3,6578832.3\n`;
  const cases: [string, string, RegExp][] = [
    ['a bad date', H + good('R1-1') + 'R1-2,2025-13-01T10:00:00Z,,stold,674599.3,6578832.3\n', /^line 3: occurred_from "2025-13-01T10:00:00Z" is not a date/],
    ['year 10000', H + good('R2-1') + good('R2-2') + 'R2-3,10000-01-01T10:00:00Z,,stold,674599.3,6578832.3\n', /^line 4: occurred_from "10000-01-01T10:00:00Z" is not a date \(year out of range/],
    ['a bad coordinate', H + 'R3-1,2025-05-01T10:00:00Z,,stold,67459x,6578832.3\n', /^line 2: x "67459x" is not a finite number/],
    ['NaN', H + good('R4-1') + 'R4-2,2025-05-01T10:00:00Z,,stold,NaN,6578832.3\n', /^line 3: x "NaN" is not a finite number/],
    ['Infinity', H + 'R5-1,2025-05-01T10:00:00Z,,stold,674599.3,Infinity\n', /^line 2: y "Infinity" is not a finite number/],
    ['a wrong column count', H + good('R6-1') + 'R6-2,2025-05-01T10:00:00Z,stold,674599.3,6578832.3\n', /^line 3: has 5 fields but the header has 6/],
    ['a missing required column', 'id,occurred_from,x,y\nR7-1,2025-05-01T10:00:00Z,674599.3,6578832.3\n', /line 1: the header lacks the required column category/],
    ['a duplicate id', H + good('R8-1') + good('R8-2') + good('R8-1'), /^line 4: id "R8-1" is a duplicate of line 2/],
    ['a point outside the extent', H + 'R9-1,2025-05-01T10:00:00Z,,stold,320000,6400000\n', /^line 2: x,y point \(320000, 6400000\) in EPSG:3006 lies outside the region Stockholms län \(REGION=lan:01\)/],
    ['the wrong CRS', H + 'R10-1,2025-05-01T10:00:00Z,,stold,18.0735,59.3143\n', /^line 2: .*outside .*these look like WGS84 degrees/],
    ['a span ending before it starts', H + 'R11-1,2025-05-01T10:00:00Z,2025-05-01T09:00:00Z,stold,674599.3,6578832.3\n', /^line 2: occurred_to "2025-05-01T09:00:00Z" is before occurred_from/],
  ];
  it.each(cases)('refuses a file with %s: the exact line, 0 rows written', async (_name, text, re) => {
    const before = await n(`SELECT count(*)::int n FROM incidents`);
    const v = await n(`SELECT value::int n FROM meta WHERE key='data_version'`);
    const batches = await n(`SELECT count(*)::int n FROM import_batches`);
    const r = await rejected(imp('crimes', { text }));
    expect(r.messages[0]).toMatch(re);
    expect(await n(`SELECT count(*)::int n FROM incidents`)).toBe(before);
    expect(await n(`SELECT value::int n FROM meta WHERE key='data_version'`)).toBe(v);
    expect(await n(`SELECT count(*)::int n FROM import_batches`)).toBe(batches);
  });

  it('refuses an unknown area_code, bad polygons and a GeoJSON in the wrong CRS', async () => {
    const r1 = await rejected(imp('crimes', { text: 'id,occurred_from,category,area_code\nU-1,2025-05-01,stold,HUSBY\nU-2,2025-05-01,stold,ATLANTIS\n' }, { areaSet: 'stadsdelar' }));
    expect(r1.messages[0]).toBe('line 3: area_code "ATLANTIS" is not in area set stadsdelar');
    expect(await incidents('U-')).toBe(0);
    const fc = (geoms: unknown[], extra = {}) => JSON.stringify({ type: 'FeatureCollection', ...extra, features: geoms.map((g, i) => ({ type: 'Feature', properties: { code: `Z${i + 1}` }, geometry: g })) });
    const sq = { type: 'Polygon', coordinates: [[[18.0, 59.3], [18.01, 59.3], [18.01, 59.31], [18.0, 59.31], [18.0, 59.3]]] };
    const bowtie = { type: 'Polygon', coordinates: [[[18.0, 59.3], [18.02, 59.32], [18.02, 59.3], [18.0, 59.32], [18.0, 59.3]]] };
    const r2 = await rejected(imp('areas', { text: fc([sq, bowtie]) }, { areaSet: 'bad-set' }));
    expect(r2.messages[0]).toMatch(/^feature 2: geometry: invalid polygon .*repairing it would change its area/);
    const r3 = await rejected(imp('areas', { text: fc([sq, { type: 'Polygon', coordinates: [] }]) }, { areaSet: 'bad-set' }));
    expect(r3.messages[0]).toBe('feature 2: geometry: polygon has no rings (code "Z2")');
    const sq3006 = { type: 'Polygon', coordinates: [[[674000, 6578000], [675000, 6578000], [675000, 6579000], [674000, 6579000], [674000, 6578000]]] };
    const r4 = await rejected(imp('areas', { text: fc([sq3006]) }, { areaSet: 'bad-set' }));
    expect(r4.messages[0]).toMatch(/^feature 1: geometry: coordinates \(674000, 6578000\) are not WGS84 degrees/);
    expect(await n(`SELECT count(*)::int n FROM area_sets WHERE id='bad-set'`)).toBe(0);
    // a ring that only needs a safe repair (a repeated closing spike of no area) is accepted
    const ok = await imp('areas', { text: fc([sq3006], { crs: { type: 'name', properties: { name: 'EPSG:3006' } } }) }, { areaSet: 'ok-3006' });
    expect(ok.inserted).toBe(1);
  });

  it('--skip-invalid writes the good rows and still reports the bad; --dry-run writes nothing', async () => {
    const text = H + good('K-1') + 'K-2,2025-02-30T10:00:00Z,,stold,674599.3,6578832.3\n' + good('K-3') + good('K-1');
    const s = await imp('crimes', { text }, { skipInvalid: true });
    expect(s).toMatchObject({ rowsRead: 4, inserted: 2, rejected: 2, committed: true });
    expect(s.errors.map((e) => e.message)).toEqual(['line 3: occurred_from "2025-02-30T10:00:00Z" is not a date', 'line 5: id "K-1" is a duplicate of line 2']);
    expect(await incidents('K-')).toBe(2);
    const d = await imp('crimes', { text: H + good('D-1') + good('D-2') }, { dryRun: true });
    expect(d).toMatchObject({ dryRun: true, committed: false, inserted: 2, batchId: null });
    expect(await incidents('D-')).toBe(0);
  });

  it('places police events by their text (golden cases) and never stores their GPS', async () => {
    const s = await imp('polisen-events', 'polisen-events.jsonl');
    expect(s).toMatchObject({ rowsRead: 14, skipped: 1, rejected: 0, provider: 'polisen' });
    expect(s.skippedBy).toEqual({ Trafikolycka: 1 });
    const expected = JSON.parse(fs.readFileSync(path.join(FIX, 'polisen-events.expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const rows = (await t.db.query<{ external_id: string; source: string; category: string; precision: string; confirmed: boolean | null; set: string; code: string; name: string; geom: unknown; occurred_from: Date }>(
      `SELECT i.external_id, i.source, i.category, i.precision, i.confirmed, a.area_set_id AS set, a.code, a.name, i.geom, i.occurred_from
       FROM incidents i LEFT JOIN areas a ON a.id = i.location_area_id WHERE i.provider = 'polisen'`)).rows;
    const got = new Map(rows.map((r) => [r.external_id, r]));
    for (const [id, want] of Object.entries(expected)) {
      const r = got.get(id);
      expect(r, id).toBeTruthy();
      expect(r!.geom, id).toBeNull();
      expect({ id, source: r!.source, category: r!.category, precision: r!.precision }).toEqual({ id, source: want.source, category: want.category, precision: want.precision });
      if ('confirmed' in want) expect(r!.confirmed, id).toBe(want.confirmed);
      if ('occurred_from' in want) expect(r!.occurred_from.toISOString(), id).toBe(want.occurred_from);
      const [set, code] = String(want.area).split(':');
      if (set === 'station') {
        // a station places the event in the district that contains the station
        const st = JSON.parse(fs.readFileSync(path.resolve(FIX, '../../../data/transit/metro-stations.geojson'), 'utf8')).features.find((f: { properties: { name: string } }) => f.properties.name === code);
        const d = (await t.db.query<{ code: string }>(`SELECT code FROM areas WHERE area_set_id='stadsdelar' AND ST_Covers(geom, ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 3006))`, st.geometry.coordinates)).rows[0].code;
        expect({ id, set: r!.set, code: r!.code }).toEqual({ id, set: 'stadsdelar', code: d });
      } else if (set === 'basomraden') expect({ id, set: r!.set, name: r!.name }).toEqual({ id, set, name: code });
      else expect({ id, set: r!.set, code: r!.code }).toEqual({ id, set, code });
    }
    expect(await n(`SELECT count(*)::int n FROM incidents WHERE external_id = '900006'`)).toBe(0);
    const again = await imp('polisen-events', 'polisen-events.jsonl');
    expect(again).toMatchObject({ inserted: 0, updated: 0 });
    const arr = await imp('polisen-events', 'polisen-events-array.json');
    expect(arr).toMatchObject({ rowsRead: 3, inserted: 0, unchanged: 3 });
  });

  it('POST /api/imports/:kind (analyst, admin), 422 with the lines, GET lists batches, DELETE (admin) removes a batch', async () => {
    const body = H + good('HT-1') + 'HT-2,2025-05-02T10:00:00Z,,stold,674700.0,6578900.0\n';
    const anon = await t.app.inject({ method: 'POST', url: '/api/imports/crimes', payload: body, headers: { 'content-type': 'text/csv' } });
    expect(anon.statusCode).toBe(401);
    const staff = await t.app.inject({ method: 'POST', url: '/api/imports/crimes', payload: body, headers: { 'content-type': 'text/csv', authorization: `Bearer ${STAFF}` } });
    expect(staff.statusCode).toBe(403);
    // the analyst at the central unit imports (issue 19); a dry run here, so the admin's import below is the first
    const analyst = await t.app.inject({ method: 'POST', url: '/api/imports/crimes?dryRun=true', payload: body, headers: { 'content-type': 'text/csv', authorization: `Bearer ${ANALYST}` } });
    expect(analyst.statusCode, analyst.body).toBe(200);
    const ok = await t.app.inject({ method: 'POST', url: '/api/imports/crimes?fileName=web.csv', payload: body, headers: { 'content-type': 'text/csv', authorization: `Bearer ${ADMIN}` } });
    expect(ok.statusCode).toBe(201);
    const s = ok.json() as ImportSummary;
    expect(s).toMatchObject({ kind: 'crimes', fileName: 'web.csv', rowsRead: 2, inserted: 2, committed: true });
    const bad = await t.app.inject({ method: 'POST', url: '/api/imports/crimes', payload: H + good('HB-1') + 'HB-2,2025-05-01T25:00:00Z,,stold,674599.3,6578832.3\n', headers: { 'content-type': 'text/csv', authorization: `Bearer ${ADMIN}` } });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors[0].message).toBe('line 3: occurred_from "2025-05-01T25:00:00Z" is not a date');
    expect(await incidents('HB-')).toBe(0);
    const boundary = 'XyZ123';
    const mp = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="multi.csv"\r\nContent-Type: text/csv\r\n\r\n${H}${good('MP-1')}\r\n--${boundary}--\r\n`;
    const m = await t.app.inject({ method: 'POST', url: '/api/imports/crimes', payload: mp, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${ADMIN}` } });
    expect(m.statusCode).toBe(201);
    expect(m.json()).toMatchObject({ fileName: 'multi.csv', inserted: 1 });
    const badOpt = await t.app.inject({ method: 'POST', url: '/api/imports/crimes?crs=EPSG:9999', payload: body, headers: { 'content-type': 'text/csv', authorization: `Bearer ${ADMIN}` } });
    expect(badOpt.statusCode).toBe(400);
    const list = await t.app.inject({ method: 'GET', url: '/api/imports?kind=crimes', headers: { authorization: `Bearer ${ANALYST}` } });
    expect(list.statusCode).toBe(200);
    const mine = (list.json() as { id: number; fileName: string; sha256: string }[]).find((b) => b.id === s.batchId)!;
    expect(mine).toMatchObject({ fileName: 'web.csv', sha256: s.sha256, importedByName: 'admin', profile: null });
    const rollBefore = await n(`SELECT coalesce(sum(n),0)::int n FROM area_day_counts WHERE area_set_id='stadsdelar' AND source='crimes'`);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/imports/${s.batchId}`, headers: { authorization: `Bearer ${ANALYST}` } })).statusCode).toBe(403);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/imports/${s.batchId}`, headers: { authorization: `Bearer ${ADMIN}` } });
    expect(del.statusCode).toBe(200);
    expect(del.json().deleted.incidents).toBe(2);
    expect(await incidents('HT-')).toBe(0);
    expect(await n(`SELECT coalesce(sum(n),0)::int n FROM area_day_counts WHERE area_set_id='stadsdelar' AND source='crimes'`)).toBe(rollBefore - 2);
    expect(await n(`SELECT count(*)::int n FROM audit_log WHERE action IN ('import','import.rejected','import.delete')`)).toBeGreaterThanOrEqual(3);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/imports/${s.batchId}`, headers: { authorization: `Bearer ${ADMIN}` } })).statusCode).toBe(404);
  });
});
