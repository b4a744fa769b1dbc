// Police events (source police-events) through the APIs, on both backends: imported from the hand-made fixture, they
// count in a district only when their text placed them there (district or basområde precision); the ones known only
// to a municipality are reported as unplaced, never inside a district; hot spots and point tiles say they have no
// points instead of failing.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../server/ingest/import-options.js';
import { runImport } from '../../server/ingest/run-import.js';
import { hashSecret } from '../../server/domain/keys/hash-secret.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const FIX = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/imports');
const ANALYST = 'test-analyst-key-police-events-0123456789';
const Q = 'source=police-events&areaSet=stadsdelar&from=2024-12-01&to=2025-04-01';

type Row = { code: string; count: number | null; unplacedAtThisLevel: number | null };

describe.each(backends)('police events on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind);
    await t.db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('analyst', 'analyst', $1)`, [hashSecret(ANALYST)]);
    await runImport(t.db, { kind: 'polisen-events', options: importOptionsSchema.parse({}), input: path.join(FIX, 'polisen-events.jsonl'), fileName: 'polisen-events.jsonl' });
  });
  afterAll(async () => { await t?.close(); });
  const get = (url: string, key?: string) => t.app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} });
  const districtOfStation = async (name: string) => (await t.db.query<{ code: string }>(
    `SELECT a.code FROM incidents i JOIN areas a ON a.id = i.location_area_id WHERE i.source = 'police-events' AND i.external_id = $1`, [name])).rows[0].code;

  it('/api/stats counts the district-placed events in their districts and the municipality-level ones as unplaced', async () => {
    const r = await get(`/api/stats?${Q}`, ANALYST);
    expect(r.statusCode).toBe(200);
    const body = r.json() as { meta: { source: string }; total: Row; rows: Row[] };
    expect(body.meta.source).toBe('police-events');
    const by = new Map(body.rows.map((x) => [x.code, x]));
    // district precision, placed by the text: Husbytorget (900012), HÄSSELBY STRAND (900013), the stations' districts
    expect(by.get('HUSBY')!.count).toBe(1);
    expect(by.get('HÄSSELBY STRAND')!.count).toBe(1);
    const radmansgatan = await districtOfStation('900011');
    const slussen = await districtOfStation('900014');
    expect(by.get(radmansgatan)!.count).toBeGreaterThanOrEqual(1);
    expect(by.get(slussen)!.count).toBeGreaterThanOrEqual(1);
    // the shootings of the same file are another source: Tensta has none here
    expect(by.get('TENSTA')!.count).toBe(0);
    // 900003 (basområde Sabbatsberg) lies inside one district; 900011, 900012, 900013, 900014 are districts: 5 placed
    const placed = body.rows.reduce((s, x) => s + (x.count ?? 0), 0);
    expect(placed).toBe(5);
    expect(body.total.count).toBe(placed);
    // the three events known only to Stockholm municipality (900005, 900008, 900009) are in no district's count but
    // reported as possibly having happened in every district of the city, and once in the total
    expect(by.get('HUSBY')!.unplacedAtThisLevel).toBeGreaterThanOrEqual(3);
    expect(body.total.unplacedAtThisLevel).toBeGreaterThanOrEqual(3);
    // Södertälje (900007) lies outside Stockholm's districts: never unplaced "here"
    expect(body.total.unplacedAtThisLevel).toBeLessThanOrEqual(4);
  });

  it('the public sees the same placement with counts below k hidden', async () => {
    const body = (await get(`/api/stats?${Q}`)).json() as { rows: Row[] };
    const husby = body.rows.find((x) => x.code === 'HUSBY')!;
    expect(husby.count).toBeNull();
    for (const x of body.rows) expect(x.count === null || x.count === 0 || x.count >= 5).toBe(true);
  });

  it('hot spots answer with every count 0 and the imprecise events counted in meta; point tiles are empty', async () => {
    const r = await get(`/api/hotspots?${Q}&cellSize=1000&f=json`, ANALYST);
    expect(r.statusCode).toBe(200);
    const h = r.json() as { meta: { n: number; imprecise: number; counts: string }; cells: { count: number; class: string }[] };
    expect(h.meta.n).toBe(0);
    expect(h.meta.imprecise).toBe(10); // every police event of the fixture: none has a point
    expect(h.meta.counts).toContain('no incident of this filter has an exact location');
    expect(h.cells.every((c) => c.count === 0 && !c.class.startsWith('hot'))).toBe(true);
    // a tile over Husby: no hexbin, no point
    const z = 12, x = 2252, y = 1202;
    for (const layer of ['hexbins', 'incidents']) {
      const tile = await get(`/tiles/${layer}/${z}/${x}/${y}.mvt?${Q}`, ANALYST);
      expect([200, 204], layer).toContain(tile.statusCode);
      if (tile.statusCode === 200) expect(tile.rawPayload.length, layer).toBe(0);
    }
  });

  it('places refuse police events with a clear 400: they have no point to count inside a place', async () => {
    const r = await get('/api/places/1/evaluation?source=police-events', ANALYST);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('source');
  });
});
