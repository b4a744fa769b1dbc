// Issue 22, an HTTP cache in front: a public tile URL that names the data version (`v`, learned from /api/stats'
// meta.dataVersion as the web map does) is served `immutable` for a year; after an import that URL no longer serves
// a tile as immutable but redirects (302, short-lived) to the new version's URL, which is immutable and shows the
// import. Signed-in answers (staff, analysts) are never public, whatever `v` says. On both backends.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

// Medborgarplatsen (EPSG:3006) and its z13 tile
const A = [674_927.6, 6_579_086.7];
const Z = 13, X = Math.floor(((18.0735 + 180) / 360) * 2 ** Z);
const Y = Math.floor(((1 - Math.log(Math.tan((59.3143 * Math.PI) / 180) + 1 / Math.cos((59.3143 * Math.PI) / 180)) / Math.PI) / 2) * 2 ** Z);
const Q = 'source=crimes&from=2025-01-01&to=2026-01-01';
const tile = (v?: number | string, layer = 'hexbins') => `/tiles/${layer}/${Z}/${X}/${Y}.mvt?${Q}${v === undefined ? '' : `&v=${v}`}`;

function points(prefix: string, n: number): IncidentInput[] {
  return Array.from({ length: n }, (_, k) => ({
    externalId: `${prefix}-${k}`, category: 'stold', precision: 'exact' as const,
    occurredFrom: new Date(Date.UTC(2025, 2, 1 + (k % 200), 12)), x: A[0] + (k % 7) * 5, y: A[1] + (k % 5) * 5,
  }));
}

/** The sum of the hexbin counts a public map draws from a tile. */
function drawnCount(body: Buffer): number {
  const layer = new VectorTile(new PbfReader(new Uint8Array(body))).layers.hexbins;
  let n = 0;
  for (let k = 0; k < (layer?.length ?? 0); k++) { const p = layer.feature(k).properties; n += Number(p.count ?? p.n ?? 0); }
  return n;
}

describe.each(backends)('data-version tile URLs on %s', (kind) => {
  let t: TestApp;
  let analyst = '', staff = '';
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  // what the web map does: the version from the stats answer it loads anyway
  const statsVersion = async (headers: Record<string, string> = {}) =>
    (await get(`/api/stats?areaSet=stadsdelar&${Q}`, headers)).json<{ meta: { dataVersion: number } }>().meta.dataVersion;

  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '1000000' });
    analyst = (await createKey(t.db, { name: 'tile-version analyst', role: 'analyst' })).key;
    staff = (await createKey(t.db, { name: 'tile-version staff', role: 'staff', districts: ['HUSBY'] })).key;
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', points('first', 80)));
  });
  afterAll(async () => { await t?.close(); });

  it('a public tile of the current version is immutable for a year; without v it is as before', async () => {
    const v = await statsVersion();
    const r = await get(tile(v));
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(drawnCount(r.rawPayload)).toBeGreaterThan(0);
    const again = await get(tile(v), { 'if-none-match': String(r.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.headers['cache-control']).toMatch(/immutable/);
    const plain = await get(tile());
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(plain.rawPayload.equals(r.rawPayload)).toBe(true);
  });

  it('after an import the old version\'s URL redirects briefly to the new one, which is immutable and shows the import', async () => {
    const before = await statsVersion();
    const old = await get(tile(before));
    expect(old.headers['cache-control']).toMatch(/immutable/);
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', points('second', 60)));
    const now = await statsVersion();
    expect(now).toBeGreaterThan(before);

    const r = await get(tile(before));
    expect(r.statusCode).toBe(302);
    expect(r.headers['cache-control']).not.toMatch(/immutable/);
    expect(r.headers['cache-control']).toMatch(/max-age=\d{1,2}\b/);
    const loc = new URL(String(r.headers.location), 'http://localhost');
    expect(loc.pathname).toBe(`/tiles/hexbins/${Z}/${X}/${Y}.mvt`);
    expect(loc.searchParams.get('v')).toBe(String(now));
    expect(loc.searchParams.get('from')).toBe('2025-01-01');
    expect(loc.searchParams.get('source')).toBe('crimes');

    const next = await get(loc.pathname + loc.search);
    expect(next.statusCode).toBe(200);
    expect(next.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(drawnCount(next.rawPayload)).toBeGreaterThan(drawnCount(old.rawPayload));
  });

  it('a version that does not exist yet is redirected and never kept', async () => {
    const now = await statsVersion();
    const r = await get(tile(now + 1000));
    expect(r.statusCode).toBe(302);
    expect(r.headers['cache-control']).toMatch(/no-store/);
    expect(new URL(String(r.headers.location), 'http://localhost').searchParams.get('v')).toBe(String(now));
    expect((await get(tile('x'))).statusCode).toBe(400);
  });

  it('signed-in answers are never public or immutable, whatever v says', async () => {
    for (const key of [analyst, staff]) {
      const auth = { authorization: `Bearer ${key}` };
      const v = await statsVersion(auth);
      for (const url of [tile(v), tile(v - 1), tile(v, 'incidents')]) {
        if (url.includes('incidents') && key === staff) continue;
        const r = await get(url, auth);
        expect(r.statusCode, url).toBe(200);
        const cc = String(r.headers['cache-control']);
        expect(cc, url).toMatch(/private|no-store/);
        expect(cc, url).not.toMatch(/public|immutable|31536000/);
      }
    }
  });
});
