// The data version (meta.data_version, owned by server/domain/data-version/data-version.ts) on both backends:
// - every registered import kind bumps it through the real import path (a kind added to IMPORT_KINDS without a case
//   here fails the build and this test); a rejected file or a dry run leaves it as it was (one transaction, all or
//   none), and the in-process listeners hear only of committed bumps;
// - caches keyed by it (the /api/stats answer, tile ETags) change at once after an import in this process;
// - the writers outside the imports (places through the API, the sample places, removing a batch) bump it too —
//   before they did not, and a client holding a places tile got 304 for a place that had changed.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpDataVersion, currentDataVersion, onDataVersionBump, readDataVersion, type DataVersionBump } from '../../server/domain/data-version/data-version.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { ImportRejectedError } from '../../server/ingest/errors.js';
import { IMPORT_KINDS, importOptionsSchema, type ImportKind } from '../../server/ingest/import-options.js';
import { runImport } from '../../server/ingest/run-import.js';
import { ensureSamplePlaces } from '../../server/reference/sample-places.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const FIX = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/imports');
const fixture = (name: string) => fs.readFileSync(path.join(FIX, name), 'utf8');
/** A fixture with one more line (a CSV row, a JSON-lines event). */
const withLine = (name: string, line: string) => fixture(name).replace(/\n*$/, '\n') + line + '\n';
/** A GeoJSON fixture with one more feature. */
const withFeature = (name: string, feature: object) => {
  const fc = JSON.parse(fixture(name)) as { features: object[] };
  fc.features.push(feature);
  return JSON.stringify(fc);
};
const square = { type: 'Polygon', coordinates: [[[18.0, 59.3], [18.001, 59.3], [18.001, 59.301], [18.0, 59.301], [18.0, 59.3]]] };

type Case = { file: string; good: string; bad: string; options?: Record<string, unknown>; written: string };
/** Each import kind: a small valid file, the same with one bad row, and what it writes (counted to show the bad file wrote nothing). */
const CASES: Record<ImportKind, Case> = {
  areas: {
    file: 'areas.geojson', good: fixture('areas.geojson'),
    bad: withFeature('areas.geojson', { type: 'Feature', properties: { name: 'No code' }, geometry: square }),
    options: { areaSet: 'dv-areas', level: 'custom', vintage: 2025, codeProperty: 'code', nameProperty: 'name' },
    written: `SELECT count(*)::int AS n FROM areas WHERE area_set_id = 'dv-areas'`,
  },
  population: {
    file: 'population.csv', good: fixture('population.csv'), bad: withLine('population.csv', 'NO-SUCH-AREA,2024,all,all,100'),
    options: { areaSet: 'dv-areas' }, written: 'SELECT count(*)::int AS n FROM population p JOIN areas a ON a.id = p.area_id WHERE a.area_set_id = \'dv-areas\'',
  },
  categories: {
    // the crime codes are bundled (migration 002): the fixture's codes as a source's that has none of them
    file: 'categories.csv', good: fixture('categories.csv'), bad: withLine('categories.csv', 'misshandel,Misshandel igen,Assault again,vald'),
    options: { source: 'citizen-reports' }, written: `SELECT count(*)::int AS n FROM categories WHERE source = 'citizen-reports' AND code IN ('misshandel', 'ran', 'inbrott', 'narkotika')`,
  },
  crimes: {
    file: 'crimes.csv', good: fixture('crimes.csv'), bad: withLine('crimes.csv', 'C-BAD,2025-03-01T25:00:00Z,,misshandel,665840.8,6588838.5'),
    written: `SELECT count(*)::int AS n FROM incidents WHERE source = 'crimes' AND external_id LIKE 'C-%'`,
  },
  shootings: {
    file: 'shootings.csv', good: fixture('shootings.csv'), bad: withLine('shootings.csv', 'S-BAD,not a time,666232.1,6586970.9,injured,true'),
    written: `SELECT count(*)::int AS n FROM incidents WHERE source = 'shootings' AND external_id LIKE 'S-%'`,
  },
  'guard-reports': {
    file: 'guard-reports.csv', good: fixture('guard-reports.csv'), bad: withLine('guard-reports.csv', 'G-BAD,not a time,avvisning,674599.3,6578832.3'),
    written: `SELECT count(*)::int AS n FROM incidents WHERE source = 'guard-reports'`,
  },
  'citizen-reports': {
    file: 'citizen-reports.csv', good: fixture('citizen-reports.csv'), bad: withLine('citizen-reports.csv', 'T-BAD,not a time,belysning,closed,676218.0,6571613.8'),
    written: `SELECT count(*)::int AS n FROM incidents WHERE source = 'citizen-reports'`,
  },
  indicators: {
    file: 'indicators.csv', good: fixture('indicators.csv'), bad: withLine('indicators.csv', 'dv-median,Median,Median,median,higher-is-worse'),
    written: 'SELECT count(*)::int AS n FROM survey_indicators',
  },
  survey: {
    file: 'survey.csv', good: fixture('survey.csv'), bad: withLine('survey.csv', '2024,NO-SUCH-AREA,otrygg-kvall,all,100,0.3,,'),
    options: { areaSet: 'stadsdelar' }, written: 'SELECT count(*)::int AS n FROM survey_results',
  },
  places: {
    file: 'places.geojson', good: fixture('places.geojson'),
    bad: withFeature('places.geojson', { type: 'Feature', properties: { id: 'PS-NO-NAME' }, geometry: square }),
    written: `SELECT count(*)::int AS n FROM places WHERE external_id LIKE 'PS-%'`,
  },
  'polisen-events': {
    file: 'polisen-events.jsonl', good: fixture('polisen-events.jsonl'),
    bad: withLine('polisen-events.jsonl', JSON.stringify({ id: 900999, datetime: 'not a time', name: 'x', summary: 'x', url: '/x', type: 'Rån', location: { name: 'Stockholm', gps: '59.3,18.0' } })),
    written: `SELECT count(*)::int AS n FROM incidents WHERE provider = 'polisen'`,
  },  'area-counts': {
    file: 'area-counts.csv', good: fixture('area-counts.csv'), bad: withLine('area-counts.csv', '9999,2025-01,stold,5'),
    options: { areaSet: 'kommuner-ab', source: 'crimes' }, written: 'SELECT count(*)::int AS n FROM area_counts',
  },
};

const HUSBY: [number, number] = [17.927332, 59.409086];
const lon2x = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2y = (lat: number, z: number) => Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
const tileAt = (layer: string, z: number, [lon, lat]: [number, number]) => `/tiles/${layer}/${z}/${lon2x(lon, z)}/${lat2y(lat, z)}.mvt`;

function octagon([lon, lat]: [number, number], r = 80) {
  const mLat = 1 / 111_320, mLon = 1 / (111_320 * Math.cos((59.4 * Math.PI) / 180));
  const ring: [number, number][] = [];
  for (let i = 0; i < 8; i++) {
    const a = (i * Math.PI) / 4;
    ring.push([+(lon + r * Math.cos(a) * mLon).toFixed(7), +(lat + r * Math.sin(a) * mLat).toFixed(7)]);
  }
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

describe.each(backends)('data version on %s', (kind) => {
  let t: TestApp;
  let admin = '';
  const heard: DataVersionBump[] = [];
  let unsubscribe = () => {};
  beforeAll(async () => {
    t = await openTestApp(kind);
    admin = (await createKey(t.db, { name: 'test admin', role: 'admin', districts: [] })).key;
    unsubscribe = onDataVersionBump((b) => { if (b.db === t.db) heard.push(b); });
  });
  afterAll(async () => { unsubscribe(); await t?.close(); });

  const version = () => readDataVersion(t.db);
  /** As the app reports it (the cached reader): must see a bump committed in this process at once. */
  const served = async (): Promise<number> => (await t.app.inject('/api/health')).json().dataVersion;
  const auth = () => ({ authorization: `Bearer ${admin}` });
  const count = async (sql: string) => (await t.db.query<{ n: number }>(sql)).rows[0].n;
  const imp = (k: ImportKind, text: string, extra: Record<string, unknown> = {}) => runImport(t.db, {
    kind: k, input: Readable.from([Buffer.from(text)]), fileName: CASES[k].file, options: importOptionsSchema.parse({ ...CASES[k].options, ...extra }),
  });

  describe('writers outside the imports', () => {
    // first in the file: the tile around Husby holds no other place yet
    it('creating, changing and deleting a place bumps it: the places tile ETag changes, no stale 304', async () => {
      const tile = tileAt('places', 14, HUSBY);
      const v0 = await version();
      const created = await t.app.inject({ method: 'POST', url: '/api/places', headers: auth(),
        payload: { name: 'Husby torg', geometry: octagon(HUSBY), status: 'planned', startDate: '2025-01-01' } });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as number;
      const v1 = await version();
      expect(v1).toBeGreaterThan(v0);
      expect(await served()).toBe(v1);
      const tile1 = await t.app.inject(tile);
      expect(tile1.statusCode).toBe(200);
      const etag1 = String(tile1.headers.etag);

      const changed = await t.app.inject({ method: 'PATCH', url: `/api/places/${id}`, headers: auth(), payload: { status: 'active' } });
      expect(changed.statusCode).toBe(200);
      const v2 = await version();
      expect(v2).toBeGreaterThan(v1);
      // a client holding the tile from before the change gets the new tile, not 304
      const tile2 = await t.app.inject({ url: tile, headers: { 'if-none-match': etag1 } });
      expect(tile2.statusCode).toBe(200);
      expect(tile2.headers.etag).not.toBe(etag1);

      expect((await t.app.inject({ method: 'DELETE', url: `/api/places/${id}`, headers: auth() })).statusCode).toBe(204);
      expect(await version()).toBeGreaterThan(v2);
      const tile3 = await t.app.inject({ url: tile, headers: { 'if-none-match': String(tile2.headers.etag) } });
      expect(tile3.statusCode).toBe(204); // the place is gone: an empty tile, not the cached one
      expect(heard.slice(-3).map((b) => b.reasons)).toEqual([['place created'], ['place edited'], ['place deleted']]);
    });

    it('adding the sample places bumps it; adding none leaves it', async () => {
      const v0 = await version();
      expect(await ensureSamplePlaces(t.db)).toBe(5);
      const v1 = await version();
      expect(v1).toBeGreaterThan(v0);
      expect(await served()).toBe(v1);
      expect(await ensureSamplePlaces(t.db)).toBe(0);
      expect(await version()).toBe(v1);
    });

    it('a transaction that bumps and then rolls back leaves it, and no listener hears of it', async () => {
      const v0 = await version();
      expect(await currentDataVersion(t.db)).toBe(v0);
      const n = heard.length;
      await expect(t.db.transaction(async (tx) => {
        expect(await bumpDataVersion(tx, 'test bump')).toBe(v0 + 1);
        expect(await readDataVersion(tx)).toBe(v0 + 1); // the transaction sees its own bump
        throw new Error('roll back');
      })).rejects.toThrow('roll back');
      expect(await version()).toBe(v0);
      expect(await currentDataVersion(t.db)).toBe(v0);
      expect(heard.length).toBe(n);
      // two bumps in one transaction: one notice after commit, with the last version and both reasons
      await t.db.transaction(async (tx) => { await bumpDataVersion(tx, 'first'); await bumpDataVersion(tx, 'second'); expect(heard.length).toBe(n); });
      expect(heard.slice(n)).toEqual([{ db: t.db, version: v0 + 2, reasons: ['first', 'second'] }]);
      expect(await currentDataVersion(t.db)).toBe(v0 + 2);
      expect((await t.db.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'data_version_reason'`)).rows[0].value).toBe(`${v0 + 2}: second`);
    });
  });

  describe('imports', () => {
    it('has a case for every registered import kind', () => {
      expect(Object.keys(CASES).sort()).toEqual([...IMPORT_KINDS].sort());
    });

    // in CASES order: the areas before their population, the indicators before the survey
    for (const k of Object.keys(CASES) as ImportKind[]) {
      it(`${k}: a rejected file and a dry run leave it, a valid file bumps it`, async () => {
        const c = CASES[k];
        const v0 = await version();
        const rows0 = await count(c.written);
        const batches0 = await count('SELECT count(*)::int AS n FROM import_batches');
        const heard0 = heard.length;

        await expect(imp(k, c.bad), 'the bad file is rejected').rejects.toBeInstanceOf(ImportRejectedError);
        expect(await version()).toBe(v0);
        expect(await count(c.written)).toBe(rows0);
        expect(await count('SELECT count(*)::int AS n FROM import_batches')).toBe(batches0);

        // a dry run does all the work, the bump included, and rolls back
        expect(await imp(k, c.good, { dryRun: true })).toMatchObject({ dryRun: true, committed: false });
        expect(await version()).toBe(v0);
        expect(await count(c.written)).toBe(rows0);
        expect(heard.length).toBe(heard0);

        const s = await imp(k, c.good);
        expect(s.committed).toBe(true);
        expect(s.inserted).toBeGreaterThan(0);
        const v1 = await version();
        expect(v1).toBeGreaterThan(v0);
        expect(await count(c.written)).toBeGreaterThan(rows0);
        expect(await served()).toBe(v1); // the cached reader sees it at once
        expect(heard.slice(heard0)).toHaveLength(1);
        expect(heard[heard0]).toMatchObject({ db: t.db, version: v1 });
        expect(heard[heard0].reasons.length).toBeGreaterThan(0);

        // the same file again changes nothing and bumps nothing
        const again = await imp(k, c.good);
        expect(again.inserted + again.updated).toBe(0);
        expect(await version()).toBe(v1);
      });
    }
  });

  describe('caches keyed by it', () => {
    it('the /api/stats answer and the tile ETags change at once after an import', async () => {
      const stats = '/api/stats?areaSet=stadsdelar&source=crimes&from=2025-03-01&to=2025-04-01';
      const husby = (r: { json(): { rows: { code: string; count: number | null }[] } }) => r.json().rows.find((x) => x.code === 'HUSBY')!.count;
      const before = await t.app.inject({ url: stats, headers: auth() });
      expect(before.statusCode).toBe(200);
      const areasTile = tileAt('areas', 12, HUSBY) + '?from=2025-03-01&to=2025-04-01';
      const hexTile = tileAt('hexbins', 14, HUSBY) + '?from=2025-03-01&to=2025-04-01';
      const t0 = await t.app.inject(areasTile);
      const h0 = await t.app.inject({ url: hexTile, headers: auth() }); // exact: the public view leaves out these few events
      expect([t0.statusCode, h0.statusCode]).toEqual([200, 200]);
      // a second request is a cache hit, and If-None-Match with its ETag is 304
      expect((await t.app.inject({ url: areasTile, headers: { 'if-none-match': String(t0.headers.etag) } })).statusCode).toBe(304);

      const csv = 'id,occurred_from,occurred_to,category,x,y\n' +
        [1, 2, 3].map((i) => `DV-${i},2025-03-1${i}T12:00:00+01:00,,misshandel,665840.8,6588838.5`).join('\n') + '\n';
      const s = await runImport(t.db, { kind: 'crimes', input: Readable.from([Buffer.from(csv)]), fileName: 'dv.csv', options: importOptionsSchema.parse({}) });
      expect(s.inserted).toBe(3);

      const after = await t.app.inject({ url: stats, headers: auth() });
      expect(after.json().meta.dataVersion).toBeGreaterThan(before.json().meta.dataVersion);
      expect(husby(after)).toBe(husby(before)! + 3);
      for (const [url, old] of [[areasTile, t0], [hexTile, h0]] as const) {
        const r = await t.app.inject({ url, headers: { ...(url === hexTile ? auth() : {}), 'if-none-match': String(old.headers.etag) } });
        expect(r.statusCode, url).toBe(200);
        expect(r.headers.etag, url).not.toBe(old.headers.etag);
      }
    });

    it('removing an import batch bumps it', async () => {
      const id = (await t.db.query<{ id: number }>(`SELECT batch_id AS id FROM incidents WHERE external_id = 'DV-1'`)).rows[0].id;
      const v0 = await version();
      const r = await t.app.inject({ method: 'DELETE', url: `/api/imports/${id}`, headers: auth() });
      expect(r.statusCode).toBe(200);
      expect(r.json().deleted.incidents).toBe(3);
      expect(await version()).toBeGreaterThan(v0);
      expect(await served()).toBe(await version());
    });
  });
});
