// A zipped Shapefile of boundaries (EPSG:3006, as GDAL writes one) becomes a new area set over HTTP, exactly as the
// same boundaries do from GeoJSON; its .prj names the CRS; the preview writes nothing and shows the polygons in WGS84
// (in Stockholm; ones elsewhere in Sweden marked outside the region); a ZIP that would expand
// beyond the limit is refused before anything is expanded, and one whose entries lie about their size is refused
// while counting, before the Shapefile reader sees it. Both backends.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { crsOfPrj, SHAPEFILE_LIMITS } from '../../server/ingest/shapefile-zip.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';
import { boundaryFiles, NAMES } from '../helpers/shapefile.js';

/** A ZIP whose central directory claims `declared` bytes for its one entry (what a zip bomb's directory may say). */
async function zipDeclaring(name: string, content: Buffer, declared: number): Promise<Buffer> {
  const z = new JSZip();
  z.file(name, content);
  const buf = await z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  const cd = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  buf.writeUInt32LE(declared, cd + 24);
  return buf;
}

describe('the .prj of a Shapefile names its CRS', () => {
  it('reads SWEREF 99 TM, SWEREF 99 18 00 and WGS 84 as ESRI and GDAL write them, and refuses others by name', () => {
    expect(crsOfPrj('PROJCS["SWEREF99_TM",GEOGCS["GCS_SWEREF99",DATUM["D_SWEREF99",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["Central_Meridian",15.0],UNIT["Meter",1.0]]')).toBe('EPSG:3006');
    expect(crsOfPrj('PROJCS["SWEREF99 18 00",GEOGCS["SWEREF99",DATUM["SWEREF99",SPHEROID["GRS 1980",6378137,298.257222101]]],PROJECTION["Transverse_Mercator"],AUTHORITY["EPSG","3011"]]')).toBe('EPSG:3011');
    expect(crsOfPrj('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')).toBe('EPSG:4326');
    expect(() => crsOfPrj('PROJCS["RT90_25_gon_V",GEOGCS["GCS_RT_1990"]]')).toThrow(/RT90_25_gon_V.*EPSG:3006/);
    expect(() => crsOfPrj('not wkt')).toThrow(/not a WKT/);
  });
});

describe.each(backends)('a zipped Shapefile of boundaries on %s', (kind) => {
  let t: TestApp;
  let analyst: string;
  let files: { zip: Buffer; geojson: string };
  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '100000' });
    analyst = (await createKey(t.db, { name: 'shp-analyst', role: 'analyst' })).key;
    files = await boundaryFiles();
  });
  afterAll(async () => { await t?.close(); });

  const post = (url: string, body: Buffer | string, type = 'application/zip') =>
    t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${analyst}`, 'content-type': type }, payload: body });
  const opts = (set: string) => `areaSet=${set}&level=custom&vintage=2025&codeProperty=name&nameProperty=name`;
  const counts = async () => (await t.db.query<{ sets: number; areas: number; batches: number }>(
    'SELECT (SELECT count(*) FROM area_sets)::int sets, (SELECT count(*) FROM areas)::int areas, (SELECT count(*) FROM import_batches)::int batches')).rows[0];

  it('becomes a new area set whose polygons and names equal the same boundaries imported from GeoJSON', async () => {
    const r = await post(`/api/imports/areas?${opts('shp-omraden')}&fileName=omraden.zip`, files.zip);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ rowsRead: 5, inserted: 5 });
    expect(JSON.stringify(r.json().notes)).toContain('omraden.prj');
    const g = await post(`/api/imports/areas?${opts('geo-omraden')}`, files.geojson, 'application/geo+json');
    expect(g.statusCode, g.body).toBe(201);
    const rows = (await t.db.query<{ code: string; name: string; a_shp: number; a_geo: number; sym: number }>(
      `SELECT s.code, s.name, ST_Area(s.geom) a_shp, ST_Area(g.geom) a_geo, ST_Area(ST_SymDifference(s.geom, g.geom)) sym
       FROM areas s JOIN areas g ON g.code = s.code AND g.area_set_id = 'geo-omraden' WHERE s.area_set_id = 'shp-omraden' ORDER BY s.code`)).rows;
    expect(rows.map((x) => x.name).sort()).toEqual([...NAMES].sort());
    for (const x of rows) {
      expect(Number(x.a_shp), x.code).toBeGreaterThan(1e5);
      // the same polygons: what differs is the round trip through EPSG:3006 coordinates (well under 0.1 % of the area)
      expect(Number(x.sym) / Number(x.a_geo), x.code).toBeLessThan(1e-3);
    }
    const sets = (await (await t.app.inject({ method: 'GET', url: '/api/area-sets' })).json());
    expect(JSON.stringify(sets)).toContain('shp-omraden');
    // the same file again changes nothing
    const again = await post(`/api/imports/areas?${opts('shp-omraden')}`, files.zip);
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 5 });
  });

  it('previews a zipped Shapefile without writing anything, with its 5 polygons in WGS84 where they lie: Stockholm, as the GeoJSON import stored them', async () => {
    const before = await counts();
    const r = await post(`/api/imports/areas/preview?${opts('shp-preview')}`, files.zip);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ kind: 'areas' });
    expect(JSON.stringify(r.json())).toMatch(/"inserted":5|"insert":5|wouldInsert":5/);
    expect(await counts()).toEqual(before);
    type Feature = { type: string; properties: { code: string; name: string; inRegion: boolean }; geometry: { type: string; coordinates: number[][][] | number[][][][] } };
    const m = r.json().areaMap as { geojson: { type: string; features: Feature[] }; total: number; outside: number; truncated: boolean; toleranceMetres: number; region: string };
    expect(m).toMatchObject({ total: 5, outside: 0, truncated: false, geojson: { type: 'FeatureCollection' } });
    expect(m.toleranceMetres).toBeGreaterThanOrEqual(1);
    expect(m.toleranceMetres).toBeLessThan(100);
    expect(m.geojson.features.map((f) => f.properties.name).sort()).toEqual([...NAMES].sort());
    for (const f of m.geojson.features) {
      expect(f.properties.inRegion, f.properties.name).toBe(true);
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      const pts = f.geometry.coordinates.flat(f.geometry.type === 'Polygon' ? 1 : 2) as unknown as number[][];
      expect(pts.length, f.properties.name).toBeGreaterThan(3);
      for (const [lon, lat] of pts) {
        expect(lon, f.properties.name).toBeGreaterThan(17.7);
        expect(lon, f.properties.name).toBeLessThan(18.3);
        expect(lat, f.properties.name).toBeGreaterThan(59.2);
        expect(lat, f.properties.name).toBeLessThan(59.5);
      }
    }
    // the same polygons as the GeoJSON import (first test) stored: the previewed outline, simplified, differs by little
    const same = await t.db.query<{ code: string; sym: number; a: number }>(
      `SELECT g.code, ST_Area(ST_SymDifference(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(p.gj), 4326), 3006), g.geom)) sym, ST_Area(g.geom) a
       FROM unnest($1::text[], $2::text[]) AS p(code, gj) JOIN areas g ON g.code = p.code AND g.area_set_id = 'geo-omraden' ORDER BY 1`,
      [m.geojson.features.map((f) => f.properties.code), m.geojson.features.map((f) => JSON.stringify(f.geometry))]);
    expect(same.rows.length).toBe(5);
    for (const x of same.rows) expect(Number(x.sym) / Number(x.a), x.code).toBeLessThan(0.02);
    // the answer stays small
    expect(JSON.stringify(m).length).toBeLessThan(100_000);
    // the answer's schema documents it
    const doc = (await t.app.inject('/docs/json')).json();
    const schema = doc.paths['/api/imports/{kind}/preview'].post.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties.areaMap.properties)).toEqual(expect.arrayContaining(['geojson', 'total', 'outside', 'truncated', 'region']));
    // other kinds have no area map
    const c = await post('/api/imports/categories/preview', 'code,label_sv,label_en,group\ntestkat,Test,Test,other\n', 'text/csv');
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().areaMap).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('previews boundaries that lie elsewhere in Sweden with the polygons where they are, outside the region, and says so', async () => {
    // the same districts moved 6° west and 1.6° south (to Västra Götaland): Swedish coordinates, not this region's
    const fc = JSON.parse(files.geojson) as { features: { geometry: { coordinates: unknown } }[] };
    const move = (c: unknown): unknown => (typeof (c as number[])[0] === 'number' ? [(c as number[])[0] - 6, (c as number[])[1] - 1.6] : (c as unknown[]).map(move));
    for (const f of fc.features) f.geometry.coordinates = move(f.geometry.coordinates);
    const before = await counts();
    const r = await post(`/api/imports/areas/preview?${opts('geo-elsewhere')}`, JSON.stringify(fc), 'application/geo+json');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ wouldInsert: 5, rejected: 0 });
    const m = r.json().areaMap as { geojson: { features: { properties: { inRegion: boolean }; geometry: { coordinates: unknown[] } }[] }; total: number; outside: number };
    expect(m).toMatchObject({ total: 5, outside: 5 });
    expect(m.geojson.features.map((f) => f.properties.inRegion)).toEqual([false, false, false, false, false]);
    const lons = m.geojson.features.flatMap((f) => (f.geometry.coordinates.flat(3) as number[]).filter((_, i) => i % 2 === 0));
    expect(Math.max(...lons)).toBeLessThan(12.4);
    expect(Math.min(...lons)).toBeGreaterThan(11.6);
    expect(r.json().notes.join(' ')).toMatch(/5 of the 5 areas lie outside the region .*check the CRS/);
    expect(await counts()).toEqual(before);
  });

  it('needs the CRS when the .prj is missing, and takes it from --crs', async () => {
    const z = await JSZip.loadAsync(files.zip);
    z.remove('gränser/omraden.prj');
    const noPrj = await z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const before = await counts();
    const r = await post(`/api/imports/areas?${opts('shp-noprj')}`, noPrj);
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toMatch(/\.prj.*--crs EPSG:3006/);
    expect(await counts()).toEqual(before);
    const ok = await post(`/api/imports/areas?${opts('shp-noprj')}&crs=EPSG:3006`, noPrj);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ inserted: 5 });
  });

  it('refuses a zip whose expanded size passes the limit without expanding it, and one whose entry lies about its size', async () => {
    const before = await counts();
    const bomb = await zipDeclaring('bomb.shp', Buffer.alloc(1000), SHAPEFILE_LIMITS.maxExpandedBytes + 1);
    const r = await post(`/api/imports/areas?${opts('shp-bomb')}`, bomb);
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toMatch(/expands to more than 268435456 bytes, the limit; it was not expanded/);
    const liar = await zipDeclaring('liar.shp', Buffer.alloc(2_000_000), 1000);
    const l = await post(`/api/imports/areas?${opts('shp-liar')}`, liar);
    expect(l.statusCode).toBe(422);
    expect(l.json().detail).toMatch(/expands beyond the 1000 bytes it declares/);
    const noShp = await zipDeclaring('readme.txt', Buffer.from('hej'), 3);
    const n = await post(`/api/imports/areas?${opts('shp-none')}`, noShp);
    expect(n.statusCode).toBe(422);
    expect(n.json().detail).toMatch(/no \.shp file/);
    expect(await counts()).toEqual(before);
  });
});
