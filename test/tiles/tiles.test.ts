// Vector tiles through the API on each backend: layers decode with the expected features, roles and privacy hold
// (no points for the public, no small counts), ETag/304, 204 for empty tiles, hostile paths are 4xx, no tile over
// 500 KB at z0–16, GDAL's MVT driver reads a served tile. Then the proof that the encoders agree: the same request
// on both backends, and ST_AsMVT vs the Node encoder on the same PostgreSQL database, decode to the same features.
import { disclosureFor, exactDisclosure } from '../../server/domain/disclosure/disclosure-control.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import proj4 from 'proj4';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { hashSecret } from '../../server/domain/keys/hash-secret.js';
import { TileService } from '../../server/tiles/tile-service.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const ANALYST = 'tiles-test-analyst-key', STAFF = 'tiles-test-staff-key';
// Medborgarplatsen (the acceptance fixture's cluster), EPSG:3006, and D: the middle of the z13 tile west of it
// (Norrmalm), where 4,200 points put that tile over the incidents cap
const A = [674_927.6, 6_579_086.7];
proj4.defs('EPSG:3006', '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs');
const D_LONLAT = [((4506.5 / 8192) * 360) - 180, (Math.atan(Math.sinh(Math.PI * (1 - (2 * 2409.5) / 8192))) * 180) / Math.PI];
const D = proj4('EPSG:4326', 'EPSG:3006', D_LONLAT);
const lon2x = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2y = (lat: number, z: number) => Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
const tileAt = (z: number, lon = 18.0735, lat = 59.3143) => ({ z, x: lon2x(lon, z), y: lat2y(lat, z) });

type Feat = { id: number | undefined; props: Record<string, unknown>; type: number; bbox: number[] };
function decode(buf: Buffer | Uint8Array): Record<string, Feat[]> {
  const vt = new VectorTile(new PbfReader(new Uint8Array(buf)));
  const out: Record<string, Feat[]> = {};
  for (const [name, layer] of Object.entries(vt.layers)) {
    out[name] = [];
    for (let k = 0; k < layer.length; k++) {
      const f = layer.feature(k);
      const pts = f.loadGeometry().flat();
      out[name].push({ id: f.id, props: f.properties as Record<string, unknown>, type: f.type,
        bbox: [Math.min(...pts.map((p) => p.x)), Math.min(...pts.map((p) => p.y)), Math.max(...pts.map((p) => p.x)), Math.max(...pts.map((p) => p.y))] });
    }
  }
  return out;
}

function around(rng: () => number, n: number, c: number[], r: number, prefix: string, year = 2025): IncidentInput[] {
  return Array.from({ length: n }, (_, k) => {
    const d = r * Math.sqrt(rng()), a = 2 * Math.PI * rng();
    return { externalId: `${prefix}-${k}`, category: k % 3 ? 'stold' : 'ran', precision: 'exact' as const,
      occurredFrom: new Date(Date.UTC(year, 0, 2) + Math.floor(rng() * 360) * 86_400_000 + 36_000_000), x: c[0] + d * Math.cos(a), y: c[1] + d * Math.sin(a) };
  });
}

async function seed(t: TestApp) {
  const rng = seedrandom('tiles');
  const area = (await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'SÖDERMALM'`)).rows[0]?.id
    ?? (await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' LIMIT 1`)).rows[0].id;
  const rows = [...around(rng, 300, A, 100, 'a'), ...around(rng, 4200, D, 250, 'd'), ...around(rng, 1500, A, 8000, 'u'),
    { externalId: 'imprecise', category: 'ran', precision: 'district' as const, locationAreaId: area, occurredFrom: new Date('2025-06-01T12:00:00Z') }];
  await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', rows));
  await t.db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('a', 'analyst', $1), ('s', 'staff', $2)`, [hashSecret(ANALYST), hashSecret(STAFF)]);
  await t.db.query(`INSERT INTO places (external_id, name, geom, status) VALUES
    ('tiles-test-place', 'Medborgarplatsen', ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 3006), 80)), 'active')`, [A[0], A[1]]);
}

const Q = 'source=crimes&from=2025-01-01&to=2026-01-01';

describe.each(backends)('vector tiles on %s', (kind) => {
  let t: TestApp;
  const get = (url: string, key?: string, headers: Record<string, string> = {}) =>
    t.app.inject({ url, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });
  beforeAll(async () => { t = await openTestApp(kind); await seed(t); });
  afterAll(async () => { await t?.close(); });

  it('hexbins over the cluster: MVT with features, ETag and 304, public cells ≥ k only; the ocean is 204', async () => {
    const { z, x, y } = tileAt(14);
    const r = await get(`/tiles/hexbins/${z}/${x}/${y}.mvt?${Q}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(r.headers['cache-control']).toMatch(/max-age/);
    const hex = decode(r.rawPayload).hexbins;
    expect(hex.length).toBeGreaterThan(0);
    expect(Math.max(...hex.map((f) => f.props.count as number))).toBeGreaterThan(100);
    expect(hex.every((f) => (f.props.count as number) >= 5)).toBe(true);
    const ana = decode((await get(`/tiles/hexbins/${z}/${x}/${y}.mvt?${Q}`, ANALYST)).rawPayload).hexbins;
    expect(ana.some((f) => (f.props.count as number) < 5)).toBe(true);
    const again = await get(`/tiles/hexbins/${z}/${x}/${y}.mvt?${Q}`, undefined, { 'if-none-match': String(r.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.headers['x-tile-cache']).toBeDefined();
    const other = await get(`/tiles/hexbins/${z}/${x}/${y}.mvt?source=crimes&from=2025-01-01&to=2025-02-01`);
    expect(other.headers.etag).not.toBe(r.headers.etag);
    const ocean = await get(`/tiles/hexbins/${z}/${lon2x(-30, z)}/${lat2y(50, z)}.mvt?${Q}`);
    expect(ocean.statusCode).toBe(204);
    // a tile of the right region with no data in the period is empty too
    expect((await get(`/tiles/hexbins/${z}/${x}/${y}.mvt?source=crimes&from=2010-01-01&to=2010-02-01`)).statusCode).toBe(204);
  });

  it('incidents: 401 for the public, 403 for staff; analysts get exact points only, from z13, aggregated over the cap; audited', async () => {
    const { z, x, y } = tileAt(15);
    expect((await get(`/tiles/incidents/${z}/${x}/${y}.mvt?${Q}`)).statusCode).toBe(401);
    expect((await get(`/tiles/incidents/${z}/${x}/${y}.mvt?${Q}`, STAFF)).statusCode).toBe(403);
    const r = await get(`/tiles/incidents/${z}/${x}/${y}.mvt?${Q}`, ANALYST);
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toMatch(/private/);
    const pts = decode(r.rawPayload).incidents;
    expect(pts.length).toBeGreaterThan(250);
    expect(pts.filter((f) => !(f.type === 1 && f.props.aggregated === false && typeof f.id === 'number')).slice(0, 3)).toEqual([]);
    // the imprecise incident (known only to its district) is never a point: every id is an exact incident
    const ids = pts.map((f) => f.id);
    const exact = (await t.db.query<{ n: number }>(`SELECT count(*)::int n FROM incidents WHERE id = ANY($1) AND precision = 'exact' AND geom IS NOT NULL`, [ids])).rows[0].n;
    expect(exact).toBe(ids.length);
    expect((await get(`/tiles/incidents/12/${lon2x(18.0735, 12)}/${lat2y(59.3143, 12)}.mvt?${Q}`, ANALYST)).statusCode).toBe(204);
    // 4,200 points around T-Centralen: the z13 tile is over the cap and shows counts instead
    const big = decode((await get(`/tiles/incidents/13/${lon2x(D_LONLAT[0], 13)}/${lat2y(D_LONLAT[1], 13)}.mvt?${Q}`, ANALYST)).rawPayload).incidents;
    expect(big.every((f) => f.props.aggregated === true)).toBe(true);
    expect(big.reduce((a, f) => a + (f.props.count as number), 0)).toBeGreaterThan(4000);
    await t.app.close(); // flushes the batched audit rows
    const audit = (await t.db.query<{ detail: { tiles: string[] }; role: string }>(`SELECT detail, role FROM audit_log WHERE action = 'tiles.incidents'`)).rows;
    expect(audit.flatMap((a) => a.detail.tiles)).toEqual(expect.arrayContaining([`${z}/${x}/${y}`, `13/${lon2x(D_LONLAT[0], 13)}/${lat2y(D_LONLAT[1], 13)}`]));
    expect(audit.every((a) => a.role === 'analyst')).toBe(true);
    t = { ...t, app: await (await import('../../server/app.js')).buildApp({ config: t.config, db: t.db, logger: false }) };
  });

  it('areas, hotspots and places layers carry their properties; public area counts 1–4 are left out', async () => {
    const { z, x, y } = tileAt(12);
    const areas = decode((await get(`/tiles/areas/${z}/${x}/${y}.mvt?${Q}&areaSet=basomraden`)).rawPayload).areas;
    expect(areas.length).toBeGreaterThan(5);
    expect(areas.every((f) => typeof f.props.code === 'string' && typeof f.props.name === 'string')).toBe(true);
    expect(areas.some((f) => f.props.suppressed === true && f.props.count === undefined)).toBe(true);
    expect(areas.some((f) => (f.props.count as number) > 0 && (f.props.count as number) < 5)).toBe(false);
    expect(areas.some((f) => typeof f.props.population === 'number')).toBe(true);
    const exactAreas = decode((await get(`/tiles/areas/${z}/${x}/${y}.mvt?${Q}&areaSet=basomraden`, ANALYST)).rawPayload).areas;
    expect(exactAreas.some((f) => (f.props.count as number) > 0 && (f.props.count as number) < 5)).toBe(true);
    const hot = decode((await get(`/tiles/hotspots/${z}/${x}/${y}.mvt?${Q}`)).rawPayload).hotspots;
    expect(hot.some((f) => f.props.class === 'hot-99')).toBe(true);
    const places = decode((await get(`/tiles/places/14/${tileAt(14).x}/${tileAt(14).y}.mvt`)).rawPayload).places;
    expect(places.find((f) => f.props.name === 'Medborgarplatsen')?.props.status).toBe('active');
    expect((await get(`/tiles/areas/${z}/${x}/${y}.mvt?${Q}&areaSet=no-such-set`)).statusCode).toBe(400); // unknown code in the query (issue 17)
  });

  it('answers hostile paths with a 4xx problem, never a 5xx', async () => {
    for (const [u, code] of [['/tiles/hexbins/99/-1/abc.mvt', 400], ['/tiles/hexbins/30/1/1.mvt', 400], ['/tiles/nosuchlayer/1/1/1.mvt', 404],
      ['/tiles/hexbins/3/8/1.mvt', 400], ['/tiles/hexbins/1/1/1.mvt?from=2025-13-01', 400], ['/tiles/hexbins/1/1/1.mvt?source=x', 400],
      ['/tiles/hexbins/14/1e3/1.mvt', 400]] as const) {
      const r = await get(u);
      expect(r.statusCode, u).toBe(code);
      expect(r.headers['content-type'], u).toContain('problem+json');
    }
  });

  it('TileJSON 3.0 names the layer, its zooms, fields and a tile URL with the filters', async () => {
    const r = await get(`/tiles/incidents.json?${Q}`, undefined, { host: 'example.test' });
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j.tilejson).toBe('3.0.0');
    expect(j.minzoom).toBe(13);
    expect(j.tiles[0]).toMatch(/^http:\/\/example\.test\/tiles\/incidents\/\{z\}\/\{x\}\/\{y\}\.mvt\?.*source=crimes/);
    expect(j.vector_layers[0].id).toBe('incidents');
    expect(j.bounds[0]).toBeLessThan(18.07);
    expect((await get('/tiles/nosuch.json')).statusCode).toBe(404);
  });

  it('no tile over 500 KB at z0–16 over the densest place', async () => {
    let biggest = 0;
    for (let z = 0; z <= 16; z++) {
      const { x, y } = tileAt(z, D_LONLAT[0], D_LONLAT[1]);
      for (const layer of ['hexbins', 'incidents', 'areas', 'hotspots']) {
        if (layer === 'incidents' && z < 13) continue;
        const r = await get(`/tiles/${layer}/${z}/${x}/${y}.mvt?${Q}${layer === 'areas' ? '&areaSet=basomraden' : ''}`, ANALYST);
        expect([200, 204], `${layer} ${z}`).toContain(r.statusCode);
        biggest = Math.max(biggest, r.rawPayload.length);
      }
    }
    expect(biggest).toBeGreaterThan(0);
    expect(biggest).toBeLessThan(500 * 1024);
  });

  it("GDAL's MVT driver opens a served tile and counts the same features", async () => {
    const { z, x, y } = tileAt(14);
    const r = await get(`/tiles/hexbins/${z}/${x}/${y}.mvt?${Q}`, ANALYST);
    const n = decode(r.rawPayload).hexbins.length;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tk-mvt-')), `${y}.mvt`);
    fs.writeFileSync(file, r.rawPayload);
    const out = execFileSync('ogrinfo', ['-ro', '-so', '-al', '-oo', `X=${x}`, '-oo', `Y=${y}`, '-oo', `Z=${z}`, file], { encoding: 'utf8' });
    expect(out).toContain('Layer name: hexbins');
    expect(Number(/Feature Count: (\d+)/.exec(out)?.[1])).toBe(n);
    expect(out).toMatch(/count: (Integer|Real)/);
  });
});

describe.runIf(backends.includes('postgres'))('the encoders agree', () => {
  let e: TestApp, p: TestApp;
  beforeAll(async () => {
    [e, p] = await Promise.all([openTestApp('embedded'), openTestApp('postgres')]);
    await seed(e);
    await seed(p);
  });
  afterAll(async () => { await e?.close(); await p?.close(); });

  const filter = { source: 'crimes', categories: null, from: '2025-01-01', to: '2026-01-01', areaSet: 'basomraden', cellSize: 250, alpha: 0.05 };
  const requests = [['hexbins', 14], ['hexbins', 12], ['incidents', 15], ['incidents', 13], ['areas', 13], ['hotspots', 13], ['places', 15]] as const;

  function same(a: Feat[], b: Feat[], geometry: boolean, label: string) {
    const key = (f: Feat) => JSON.stringify([f.id ?? null, Object.entries(f.props).sort()]);
    expect(a.map(key).sort(), label).toEqual(b.map(key).sort());
    if (geometry) {
      const byKey = new Map(b.map((f) => [key(f), f]));
      // the same geometry in tile units, up to a pixel of snapping
      for (const f of a) f.bbox.forEach((v, k) => expect(Math.abs(v - byKey.get(key(f))!.bbox[k]), `${label} ${key(f)} ${f.bbox} ${byKey.get(key(f))!.bbox}`).toBeLessThanOrEqual(16));
    }
  }

  it('embedded (Node encoder) and PostgreSQL (ST_AsMVT) give the same features for the same request', async () => {
    const es = new TileService(e.db, { cacheEntries: 0 }), ps = new TileService(p.db, { cacheEntries: 0 });
    expect(es.encoder).toBe('node');
    expect(ps.encoder).toBe('postgis');
    for (const [layer, z] of requests) {
      const { x, y } = tileAt(z);
      const [te, tp] = await Promise.all([es.getTile(layer, z, x, y, filter, exactDisclosure(5)), ps.getTile(layer, z, x, y, filter, exactDisclosure(5))]);
      expect(te.status, `${layer} ${z}`).toBe(200);
      expect(tp.status).toBe(200);
      // incident ids are each database's own: compare points by their properties and tile position instead
      const strip = (fs: Feat[]) => (layer === 'incidents' ? fs.map((f) => ({ ...f, id: undefined, props: { ...f.props, at: f.bbox.join(',') } })) : fs);
      same(strip(decode(te.body!)[layer]), strip(decode(tp.body!)[layer]), layer !== 'areas', `${layer} ${z}`);
    }
  });

  it('on the same PostgreSQL database, ST_AsMVT and the Node encoder give the same features', async () => {
    const node = new TileService(p.db, { cacheEntries: 0, forceNodeEncoding: true });
    const mvt = new TileService(p.db, { cacheEntries: 0 });
    expect(node.encoder).toBe('node');
    for (const [layer, z] of requests) {
      const { x, y } = tileAt(z);
      const pub = await disclosureFor(p.db, false, { k: 5, maxNoise: 1 });
      const a = await node.getTile(layer, z, x, y, filter, pub);
      const b = await mvt.getTile(layer, z, x, y, filter, pub);
      expect(a.status, `${layer} ${z}`).toBe(b.status);
      if (b.body) same(decode(a.body!)[layer], decode(b.body)[layer], true, `${layer} ${z}`);
    }
  });
});
