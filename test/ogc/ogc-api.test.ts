// OGC API – Features over both backends: the documents GIS clients read, paging, filters, CRS, roles and
// suppression. Data: synthetic crimes placed with ST_GeneratePoints (fixed seed) in three districts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

type Link = { href: string; rel: string; type: string };
type FC = { type: string; numberMatched: number; numberReturned: number; timeStamp: string; links: Link[]; features: { id: number | string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[] } & Record<string, unknown>;

const CRS3006 = 'http://www.opengis.net/def/crs/EPSG/0/3006';
const path = (href: string) => { const u = new URL(href); return u.pathname + u.search; };

describe.each(backends)('OGC API Features on %s', (kind) => {
  let t: TestApp;
  let analyst: string, staff: string;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
  const json = async (url: string, headers: Record<string, string> = {}) => {
    const r = await get(url, headers);
    expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    t = await openTestApp(kind);
    // 60 crimes in Södermalm, 12 in Kista, 3 in Husby (a small count), through 2024; two outside 2024
    const pts = await t.db.query<{ code: string; x: number; y: number }>(
      `SELECT a.code, ST_X(p.geom) AS x, ST_Y(p.geom) AS y FROM areas a
       CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, CASE a.code WHEN 'SÖDERMALM' THEN 60 WHEN 'KISTA' THEN 12 ELSE 3 END, 7)) p
       WHERE a.area_set_id = 'stadsdelar' AND a.code IN ('SÖDERMALM', 'KISTA', 'HUSBY') ORDER BY a.code, ST_X(p.geom)`);
    const rows: IncidentInput[] = pts.rows.map((p, i) => ({
      externalId: `ogc-${i}`, category: i % 2 ? 'theft' : 'assault', precision: 'exact', x: p.x, y: p.y,
      occurredFrom: new Date(Date.UTC(2024, i % 12, 1 + (i % 27), 10)), status: i % 3 ? 'reported' : 'cleared',
    }));
    rows.push({ externalId: 'ogc-old', category: 'theft', precision: 'exact', x: pts.rows[0].x, y: pts.rows[0].y, occurredFrom: new Date('2023-06-15T10:00:00Z') });
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'synthetic', rows));
    await t.db.query(`INSERT INTO places (name, geom, status, start_date, description, synthetic)
      SELECT 'Medborgarplatsen <b>', ST_Multi(ST_Buffer(ST_PointOnSurface(geom), 80)), 'active', '2024-03-01', 'Torget & tunnelbanan', true
      FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'SÖDERMALM'`);
    analyst = (await createKey(t.db, { name: 'ogc analyst', role: 'analyst' })).key;
    staff = (await createKey(t.db, { name: 'ogc staff', role: 'staff', districts: ['HUSBY'] })).key;
  });
  afterAll(async () => { await t?.close(); });

  it('serves a landing page with absolute links to the API description, conformance and data', async () => {
    const doc = await json('/ogc');
    const rels = Object.fromEntries((doc.links as Link[]).map((l) => [l.rel, l]));
    for (const rel of ['self', 'alternate', 'service-desc', 'service-doc', 'conformance', 'data']) expect(rels[rel], rel).toBeDefined();
    expect(rels['service-desc'].type).toBe('application/vnd.oai.openapi+json;version=3.0');
    for (const l of doc.links as Link[]) expect(l.href).toMatch(/^http:\/\//);
    const conf = await json(path(rels.conformance.href));
    for (const c of ['core', 'geojson', 'html', 'oas30']) expect(conf.conformsTo).toContain(`http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${c}`);
    expect(conf.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs');
    const api = await get(path(rels['service-desc'].href));
    expect(api.headers['content-type']).toContain('application/vnd.oai.openapi+json');
    const oas = api.json();
    expect(oas.openapi).toMatch(/^3\.0/);
    expect(oas.paths['/collections/{collectionId}/items']).toBeDefined();
    expect(oas.components.parameters.limit.schema).toMatchObject({ maximum: 10000, default: 10 });
  });

  it('negotiates HTML by f and by Accept, escapes values, and rejects an unknown format', async () => {
    const byAccept = await get('/ogc', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(byAccept.headers['content-type']).toContain('text/html');
    expect(byAccept.body).toContain('<title>');
    expect((await get('/ogc', { accept: 'application/json' })).headers['content-type']).toContain('application/json');
    const places = await get('/ogc/collections/places/items?f=html');
    expect(places.body).toContain('Medborgarplatsen &lt;b&gt;');
    expect(places.body).not.toContain('Medborgarplatsen <b>');
    const bad = await get('/ogc/collections?f=xml');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().detail).toContain('"f"');
  });

  it('lists area sets, stats, hotspots and places for the public, and incidents only for analysts', async () => {
    const pub = await json('/ogc/collections');
    const ids = (pub.collections as { id: string }[]).map((c) => c.id);
    for (const id of ['stadsdelar', 'basomraden', 'stadsdelsomraden-2023', 'stats-stadsdelar-crimes', 'stats-basomraden-shootings', 'hotspots', 'places']) expect(ids).toContain(id);
    expect(ids).not.toContain('incidents');
    const stadsdelar = (pub.collections as Record<string, unknown>[]).find((c) => c.id === 'stadsdelar') as Record<string, any>;
    expect(stadsdelar.crs).toEqual(['http://www.opengis.net/def/crs/OGC/1.3/CRS84', CRS3006]);
    expect(stadsdelar.storageCrs).toBe(CRS3006);
    const [x0, y0, x1, y1] = stadsdelar.extent.spatial.bbox[0];
    expect(x0).toBeGreaterThan(17.6); expect(x1).toBeLessThan(18.4); expect(y0).toBeGreaterThan(59.1); expect(y1).toBeLessThan(59.5);
    expect(stadsdelar.links.find((l: Link) => l.rel === 'items' && l.type === 'application/geo+json')).toBeDefined();
    const stats = await json('/ogc/collections/stats-stadsdelar-crimes');
    // the first event's instant only to the month for the public; exact for analysts
    expect(stats.extent.temporal.interval[0][0]).toBe('2023-06-01');
    expect((await json('/ogc/collections/stats-stadsdelar-crimes', { authorization: `Bearer ${analyst}` })).extent.temporal.interval[0][0]).toBe('2023-06-15T10:00:00.000Z');
    const mine = await json('/ogc/collections', { authorization: `Bearer ${analyst}` });
    expect((mine.collections as { id: string }[]).map((c) => c.id)).toContain('incidents');
  });

  it('pages across two pages with next/prev links, numberMatched and a stable order', async () => {
    const p1: FC = await json('/ogc/collections/stadsdelar/items?limit=100');
    expect(p1.type).toBe('FeatureCollection');
    expect(p1.numberMatched).toBe(117);
    expect(p1.numberReturned).toBe(100);
    expect(Date.parse(p1.timeStamp)).not.toBeNaN();
    expect(p1.links.find((l) => l.rel === 'prev')).toBeUndefined();
    const next = p1.links.find((l) => l.rel === 'next')!;
    expect(next.type).toBe('application/geo+json');
    const p2: FC = await json(path(next.href));
    expect(p2.numberReturned).toBe(17);
    expect(p2.links.find((l) => l.rel === 'next')).toBeUndefined();
    expect(path(p2.links.find((l) => l.rel === 'prev')!.href)).toContain('limit=100');
    const ids = [...p1.features, ...p2.features].map((f) => f.id as number);
    expect(new Set(ids).size).toBe(117);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // defaults and the clamp
    expect((await json('/ogc/collections/stadsdelar/items')).numberReturned).toBe(10);
    expect((await json('/ogc/collections/stadsdelar/items?limit=50000')).numberReturned).toBe(117);
    for (const bad of ['limit=0', 'limit=ten', 'offset=-1', 'bbox=1,2,3', 'bbox=18,59.5,17,59.3', 'crs=EPSG:4326', 'nosuch=1']) {
      const r = await get(`/ogc/collections/stadsdelar/items?${bad}`);
      expect(r.statusCode, bad).toBe(400);
      expect(r.json().detail, bad).toContain(`"${bad.split('=')[0]}"`);
    }
  });

  it('filters by bbox in CRS84 and in EPSG:3006 (northing,easting), agreeing with PostGIS', async () => {
    const box = [17.90, 59.40, 17.95, 59.43];
    const fc: FC = await json(`/ogc/collections/stadsdelar/items?limit=1000&bbox=${box.join(',')}`);
    const expected = await t.db.query<{ code: string }>(
      `SELECT code FROM areas WHERE area_set_id = 'stadsdelar' AND ST_Intersects(geom, ST_Transform(ST_Segmentize(ST_MakeEnvelope($1, $2, $3, $4, 4326), 0.001), 3006)) ORDER BY id`, box);
    expect(fc.features.map((f) => f.properties.code)).toEqual(expected.rows.map((r) => r.code));
    expect(fc.features.map((f) => f.properties.code)).toContain('HUSBY');
    expect(fc.numberMatched).toBe(expected.rows.length);
    // the same kind of box in SWEREF 99 TM, axis order northing,easting
    const [e0, n0, e1, n1] = [666000, 6584000, 670000, 6588000];
    const fc3006: FC = await json(`/ogc/collections/stadsdelar/items?limit=1000&bbox=${[n0, e0, n1, e1].join(',')}&bbox-crs=${encodeURIComponent(CRS3006)}`);
    const exp3006 = await t.db.query<{ code: string }>(
      `SELECT code FROM areas WHERE area_set_id = 'stadsdelar' AND ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 3006)) ORDER BY id`, [e0, n0, e1, n1]);
    expect(exp3006.rows.length).toBeGreaterThan(0);
    expect(fc3006.features.map((f) => f.properties.code)).toEqual(exp3006.rows.map((r) => r.code));
    // a box far from Sweden matches nothing (and does not break the transform)
    expect((await json('/ogc/collections/stadsdelar/items?bbox=-180,-90,-170,-80')).numberMatched).toBe(0);
    expect((await json('/ogc/collections/stadsdelar/items?bbox=-180,-90,180,90')).numberMatched).toBe(117);
  });

  it('filters by property, finds a feature by id or code, and answers 404 for unknown ones', async () => {
    const fc: FC = await json('/ogc/collections/stadsdelar/items?code=HUSBY');
    expect(fc.numberMatched).toBe(1);
    expect(fc.features[0].properties.name).toBe('Husby');
    const parent = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM areas WHERE area_set_id = 'stadsdelar' AND parent_code = 'Rinkeby-Kista'`);
    expect((await json('/ogc/collections/stadsdelar/items?parentCode=Rinkeby-Kista&limit=100')).numberMatched).toBe(parent.rows[0].n);
    const one = await json(`/ogc/collections/stadsdelar/items/${fc.features[0].id}`);
    expect(one.properties.code).toBe('HUSBY');
    expect(one.links.find((l: Link) => l.rel === 'collection')).toBeDefined();
    expect((await json('/ogc/collections/stadsdelar/items/HUSBY')).id).toBe(fc.features[0].id);
    const q = await json('/ogc/collections/stadsdelar/queryables');
    expect(Object.keys(q.properties)).toEqual(['code', 'name', 'parentCode']);
    for (const u of ['/ogc/collections/nosuch', '/ogc/collections/nosuch/items', '/ogc/collections/stadsdelar/items/NOWHERE']) {
      const r = await get(u);
      expect(r.statusCode, u).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await get('/ogc/collections/places/items?status=closed')).statusCode).toBe(400);
    expect((await json('/ogc/collections/places/items?status=active')).numberMatched).toBe(1);
    expect((await json('/ogc/collections/places/items?status=ended')).numberMatched).toBe(0);
  });

  it('outputs EPSG:3006 in metres with the Content-Crs header', async () => {
    const r = await get(`/ogc/collections/stadsdelar/items?code=HUSBY&crs=${encodeURIComponent(CRS3006)}`);
    expect(r.headers['content-crs']).toBe(`<${CRS3006}>`);
    const g = r.json().features[0].geometry;
    expect(g.crs).toBeUndefined();
    const [n, e] = g.coordinates[0][0][0];
    expect(n).toBeGreaterThan(6_580_000); expect(n).toBeLessThan(6_590_000); // northing first
    expect(e).toBeGreaterThan(660_000); expect(e).toBeLessThan(675_000);
    expect((await get('/ogc/collections/stadsdelar/items?limit=1')).headers['content-crs']).toBe('<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
    const csv = await get('/ogc/collections/stadsdelar/items?code=HUSBY&f=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('id,code,name,parentCode,areaSetId,areaKm2,population,populationYear');
    expect(csv.body).toContain(',HUSBY,Husby,');
  });

  it('stats collections equal /api/stats for the same period and suppress small counts for the public', async () => {
    for (const headers of [{}, { authorization: `Bearer ${analyst}` }] as Record<string, string>[]) {
      const api = await json('/api/stats?areaSet=stadsdelar&source=crimes&from=2024-01-01&to=2025-01-01', headers);
      const fc: FC = await json('/ogc/collections/stats-stadsdelar-crimes/items?limit=200&datetime=2024-01-01/2024-12-31', headers);
      expect(fc.numberMatched).toBe(117);
      expect(fc.period).toEqual(api.meta.period);
      const byId = new Map((api.rows as { areaId: number }[]).map((r) => [r.areaId, r]));
      for (const f of fc.features) {
        const { areaSetId, source, periodFrom, periodTo, periodLastDay, previousPeriodFrom, previousPeriodLastDay, comparisonRule, ...props } = f.properties;
        expect(props).toEqual(byId.get(f.id as number));
        expect([areaSetId, source, periodFrom, periodTo]).toEqual(['stadsdelar', 'crimes', '2024-01-01', '2025-01-01']);
        // and as people read them: 2024 with its last day, compared with 2023
        expect([periodLastDay, previousPeriodFrom, previousPeriodLastDay, comparisonRule]).toEqual(['2024-12-31', '2023-01-01', '2023-12-31', 'same-period-last-year']);
      }
      const husby = fc.features.find((f) => f.properties.code === 'HUSBY')!;
      if ('authorization' in headers) expect(husby.properties.count).toBe(3);
      else { expect(husby.properties.count).toBeNull(); expect(husby.properties.suppressed).toBe(true); }
    }
    // the default period is the 12 months up to the latest data, as /api/stats
    const dflt: FC = await json('/ogc/collections/stats-stadsdelar-crimes/items?code=SÖDERMALM');
    const apiDefault = await json('/api/stats?areaSet=stadsdelar&source=crimes');
    expect(dflt.period).toEqual(apiDefault.meta.period);
    // open start: one year up to the end day
    const open: FC = await json('/ogc/collections/stats-stadsdelar-crimes/items?limit=1&datetime=../2024-12-31');
    expect(open.period).toMatchObject({ from: '2024-01-01', to: '2025-01-01' });
    for (const bad of ['2024-01-01T00:00:00Z/2024-06-01T00:00:00Z', '2024-13-01', '2025-01-01/2024-01-01']) {
      const r = await get(`/ogc/collections/stats-stadsdelar-crimes/items?datetime=${encodeURIComponent(bad)}`);
      expect(r.statusCode, bad).toBe(400);
      expect(r.json().detail).toContain('"datetime"');
    }
    expect((await get('/ogc/collections/stadsdelar/items?datetime=2024-01-01')).statusCode).toBe(400);
  });

  it('hides incidents from the public and staff, serves exact points to analysts and audits each read', async () => {
    expect((await get('/ogc/collections/incidents')).statusCode).toBe(401);
    expect((await get('/ogc/collections/incidents/items')).statusCode).toBe(401);
    expect((await get('/ogc/collections/incidents/items/1')).statusCode).toBe(401);
    expect((await get('/ogc/collections/incidents/items', { authorization: `Bearer ${staff}` })).statusCode).toBe(403);
    const auth = { authorization: `Bearer ${analyst}` };
    const all: FC = await json('/ogc/collections/incidents/items?limit=1000', auth);
    expect(all.numberMatched).toBe(76);
    expect(all.features[0].geometry.type).toBe('Point');
    // datetime on occurred_from: dates are local days, intervals inclusive, open ends
    const count = async (dt: string) => ((await json(`/ogc/collections/incidents/items?limit=1&datetime=${encodeURIComponent(dt)}`, auth)) as FC).numberMatched;
    const sql = async (cond: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE ${cond}`)).rows[0].n;
    expect(await count('2024-01-01/2024-12-31')).toBe(75);
    expect(await count('../2023-12-31')).toBe(1);
    expect(await count('2024-07-01/..')).toBe(await sql(`occurred_from >= '2024-07-01T00:00:00+02:00'`));
    expect(await count('2024-03-03')).toBe(await sql(`occurred_from >= '2024-03-03T00:00:00+01:00' AND occurred_from < '2024-03-04T00:00:00+01:00'`));
    expect(await count('2024-03-03T10:00:00Z')).toBe(await sql(`occurred_from = '2024-03-03T10:00:00Z'`));
    expect(await count('2024-01-01T00:00:00Z/2024-02-01T00:00:00Z')).toBe(await sql(`occurred_from BETWEEN '2024-01-01T00:00:00Z' AND '2024-02-01T00:00:00Z'`));
    expect(((await json('/ogc/collections/incidents/items?category=theft&limit=1', auth)) as FC).numberMatched).toBe(await sql(`category = 'theft'`));
    const one = await json(`/ogc/collections/incidents/items/${all.features[0].id}`, auth);
    expect(one.properties.source).toBe('crimes');
    const audit = await t.db.query<{ action: string; role: string }>(`SELECT action, role FROM audit_log WHERE target = 'incidents'`);
    expect(audit.rows.filter((r) => r.action === 'ogc.items').length).toBeGreaterThanOrEqual(8);
    expect(audit.rows.some((r) => r.action === 'ogc.item' && r.role === 'analyst')).toBe(true);
    expect((await get('/ogc/collections/incidents/items', auth)).headers['cache-control']).toBe('private, no-store');
  });

  it('serves hotspot cells with classes and public-safe counts', async () => {
    const fc: FC = await json('/ogc/collections/hotspots/items?limit=10000&datetime=2024-01-01/2024-12-31');
    expect(fc.numberMatched).toBeGreaterThan(100);
    expect(fc.numberReturned).toBe(fc.numberMatched);
    const counts = fc.features.map((f) => f.properties.count as number | null);
    expect(counts.every((c) => c === null || c === 0 || c >= 5)).toBe(true);
    const hot = await json('/ogc/collections/hotspots/items?limit=10000&datetime=2024-01-01/2024-12-31&class=hot-99');
    expect(hot.features.every((f: FC['features'][number]) => f.properties.class === 'hot-99')).toBe(true);
    const api = await json('/api/hotspots?from=2024-01-01&to=2025-01-01&f=json');
    expect(hot.numberMatched).toBe((api.cells as { class: string }[]).filter((c) => c.class === 'hot-99').length);
    const cell = fc.features[0];
    const single = await json(`/ogc/collections/hotspots/items/${cell.id}?datetime=2024-01-01/2024-12-31`);
    expect(single.properties).toEqual(cell.properties);
  });
});
