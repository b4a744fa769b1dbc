// The places API end to end on both backends: CRUD of places, goals and measures; validation; district-scoped
// roles; the audit trail; goal status from measured baselines; the sample places.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { ensureSamplePlaces } from '../../server/reference/sample-places.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const HUSBY: [number, number] = [17.927332, 59.409086];
const RINKEBY: [number, number] = [17.928003, 59.388364];
const M_LAT = 1 / 111_320;
const M_LON = 1 / (111_320 * Math.cos((59.4 * Math.PI) / 180));

/** An octagon of radius r metres around a WGS84 point. */
function octagon([lon, lat]: [number, number], r = 80) {
  const ring: [number, number][] = [];
  for (let i = 0; i < 8; i++) {
    const a = (i * Math.PI) / 4;
    ring.push([+(lon + r * Math.cos(a) * M_LON).toFixed(7), +(lat + r * Math.sin(a) * M_LAT).toFixed(7)]);
  }
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}
/** A square of side s metres with its south-west corner at p, in metre offsets turned into degrees. */
const offsetRing = ([lon, lat]: [number, number], pts: [number, number][]) => pts.map(([x, y]) => [lon + x * M_LON, lat + y * M_LAT]);

describe.each(backends)('places API on %s', (kind) => {
  let t: TestApp;
  const keys: Record<string, { id: number; key: string }> = {};
  const auth = (who: string) => ({ authorization: `Bearer ${keys[who].key}` });
  let placeId = 0;

  beforeAll(async () => {
    t = await openTestApp(kind);
    for (const [who, role, districts] of [['husby', 'staff', ['stadsdelar:HUSBY']], ['rinkeby', 'staff', ['stadsdelar:RINKEBY']], ['admin', 'admin', []], ['analyst', 'analyst', []]] as const) {
      const k = await createKey(t.db, { name: `test ${who}`, role, districts: [...districts] });
      keys[who] = { id: k.id, key: k.key };
    }
    // crimes: 8 inside the Husby place in 2024, 4 in 2025, plus two far away that fix the data's coverage to 2024–2025
    const rows: IncidentInput[] = [];
    const at = (ext: string, when: string, x: number, y: number): IncidentInput => ({ externalId: ext, category: '0101', occurredFrom: new Date(when), x, y, precision: 'exact' });
    const c = await t.db.query<{ x: number; y: number }>(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 3006) AS p) s`, HUSBY);
    const { x, y } = c.rows[0];
    for (let i = 0; i < 8; i++) rows.push(at(`in-2024-${i}`, `2024-0${1 + (i % 9)}-15T12:00:00Z`, x + i * 3, y - i * 3));
    for (let i = 0; i < 4; i++) rows.push(at(`in-2025-${i}`, `2025-0${2 + i}-10T12:00:00Z`, x - i * 4, y + i * 2));
    rows.push(at('far-first', '2024-01-01T10:00:00Z', 674000, 6580000), at('far-last', '2025-12-31T10:00:00Z', 674000, 6580000));
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'test', rows));
  });
  afterAll(async () => { await t?.close(); });

  const post = (url: string, who: string | null, payload: unknown) => t.app.inject({ method: 'POST', url, headers: who ? auth(who) : {}, payload: payload as object });
  const patch = (url: string, who: string | null, payload: unknown) => t.app.inject({ method: 'PATCH', url, headers: who ? auth(who) : {}, payload: payload as object });
  const del = (url: string, who: string | null) => t.app.inject({ method: 'DELETE', url, headers: who ? auth(who) : {} });
  const newPlace = (over: Record<string, unknown> = {}) => ({
    name: 'Husby torg', geometry: octagon(HUSBY), status: 'active', startDate: '2025-01-01',
    partners: [{ organisation: 'Stadsdelsförvaltningen', role: 'sammankallande' }, { organisation: 'Polisen', role: 'medverkande' }], ...over,
  });

  it('refuses writes by the public (401), analysts and staff of another district (403)', async () => {
    for (const [who, status] of [[null, 401], ['analyst', 403], ['rinkeby', 403]] as const) {
      const r = await post('/api/places', who, newPlace());
      expect(r.statusCode, String(who)).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await t.app.inject('/api/places')).json()).toEqual([]);
  });

  it('lets staff of the district create a place; the district is computed and the change audited', async () => {
    const r = await post('/api/places', 'husby', newPlace());
    expect(r.statusCode).toBe(201);
    const p = r.json();
    placeId = p.id;
    expect(r.headers.location).toBe(`/api/places/${p.id}`);
    expect(p).toMatchObject({ name: 'Husby torg', status: 'active', startDate: '2025-01-01', synthetic: false, goals: [], measures: [] });
    expect(p.district).toMatchObject({ code: 'HUSBY', name: 'Husby', areaSetId: 'stadsdelar', parentCode: 'Rinkeby-Kista', overridden: false });
    expect(p.partners).toHaveLength(2);
    expect(p.areaM2).toBeGreaterThan(15_000); // octagon of radius 80 m ≈ 18,100 m²
    expect(p.areaM2).toBeLessThan(20_000);
    expect(p.geometry.type).toBe('MultiPolygon');
    const a = await t.db.query<{ actor: string; role: string; action: string; target: string; detail: { fields: string[] } }>(
      `SELECT actor, role, action, target, detail FROM audit_log WHERE action LIKE 'place.%' ORDER BY id`);
    expect(a.rows).toHaveLength(1);
    expect(a.rows[0]).toMatchObject({ actor: `key:${keys.husby.id}`, role: 'staff', action: 'place.create', target: `place:${p.id}` });
    expect(a.rows[0].detail.fields).toEqual(['description', 'geometry', 'name', 'partners', 'startDate', 'status', 'synthetic']);
    expect(JSON.stringify(a.rows[0].detail)).not.toContain('Husby torg'); // what changed, not the values
  });

  it('lists places as JSON and as GeoJSON, and serves one with its polygon', async () => {
    const list = (await t.app.inject('/api/places')).json();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: placeId, name: 'Husby torg', status: 'active', synthetic: false, goalCount: 0, measureCount: 0 });
    expect(list[0].geometry).toBeUndefined();
    const gj = await t.app.inject('/api/places?f=geojson');
    expect(gj.headers['content-type']).toContain('application/geo+json');
    const f = gj.json().features[0];
    expect(f.properties.id).toBe(placeId);
    const [lon, lat] = f.geometry.coordinates[0][0][0];
    expect(Math.abs(lon - HUSBY[0])).toBeLessThan(0.002);
    expect(Math.abs(lat - HUSBY[1])).toBeLessThan(0.001);
    expect((await t.app.inject('/api/places?status=planned')).json()).toEqual([]);
    const one = await t.app.inject(`/api/places/${placeId}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().geometry.type).toBe('MultiPolygon');
  });

  it('validates places: bad geometry, outside Sweden, unknown fields, bad dates and status', async () => {
    const bowtie = { type: 'Polygon', coordinates: [offsetRing(HUSBY, [[0, 0], [100, 100], [100, 0], [0, 100], [0, 0]])] };
    const open = { type: 'Polygon', coordinates: [offsetRing(HUSBY, [[0, 0], [100, 0], [100, 100], [0, 100]])] };
    const swapped = { type: 'Polygon', coordinates: [octagon(HUSBY).coordinates[0].map(([a, b]) => [b, a])] };
    const huge = { type: 'Polygon', coordinates: [[...Array.from({ length: 5200 }, (_, i) => [HUSBY[0] + 0.01 * Math.cos(i / 5200 * 2 * Math.PI), HUSBY[1] + 0.005 * Math.sin(i / 5200 * 2 * Math.PI)]), [HUSBY[0] + 0.01, HUSBY[1]]]] };
    huge.coordinates[0][0] = [HUSBY[0] + 0.01, HUSBY[1]];
    const cases: [Record<string, unknown>, RegExp][] = [
      [newPlace({ geometry: bowtie }), /geometry.*not valid.*area/i],
      [newPlace({ geometry: open }), /geometry.*not closed/i],
      [newPlace({ geometry: swapped }), /geometry.*outside Sweden/i],
      [newPlace({ geometry: huge }), /geometry.*5200 vertices|geometry.*at most 5000/i],
      [newPlace({ geometry: { type: 'Point', coordinates: HUSBY } }), /geometry/],
      [newPlace({ geometry: { type: 'Polygon', coordinates: [[[HUSBY[0], HUSBY[1]], [Number.NaN, 1], [HUSBY[0], HUSBY[1]], [HUSBY[0], HUSBY[1]]]] } }), /geometry/],
      [newPlace({ colour: 'red' }), /colour/],
      [newPlace({ status: 'finished' }), /status/],
      [newPlace({ startDate: '2025-02-30' }), /startDate/],
      [newPlace({ endDate: '2024-01-01' }), /endDate/],
      [newPlace({ name: '' }), /name/],
      [newPlace({ partners: [{ organisation: '' }] }), /partners/],
      [newPlace({ districtAreaId: 999999999 }), /districtAreaId/],
    ];
    for (const [body, msg] of cases) {
      const r = await post('/api/places', 'admin', body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().detail).toMatch(msg);
    }
    expect((await t.app.inject('/api/places')).json()).toHaveLength(1);
  });

  it('repairs a polygon whose self-intersection is tiny, and says so in the audit trail', async () => {
    // a 100 m square whose closing edge crosses the first edge 0.5 m from the corner
    const ring = offsetRing(RINKEBY, [[0, 0], [100, 0], [100, 100], [0, 100], [0, 1], [1, -1], [0, 0]]);
    const r = await post('/api/places', 'rinkeby', newPlace({ name: 'Lagad yta', geometry: { type: 'Polygon', coordinates: [ring] } }));
    expect(r.statusCode).toBe(201);
    expect(r.json().district.code).toBe('RINKEBY');
    expect(Math.abs(r.json().areaM2 - 10_000)).toBeLessThan(100);
    const a = await t.db.query<{ detail: { repairedGeometry: boolean } }>(`SELECT detail FROM audit_log WHERE target = $1`, [`place:${r.json().id}`]);
    expect(a.rows[0].detail.repairedGeometry).toBe(true);
    expect((await del(`/api/places/${r.json().id}`, 'rinkeby')).statusCode).toBe(204);
  });

  it('patches a place; moving it out of the district needs rights in the new district too', async () => {
    const r = await patch(`/api/places/${placeId}`, 'husby', { description: 'Torget vid tunnelbanan', partners: [{ organisation: 'Bostadsbolaget', role: 'fastighetsägare' }] });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ description: 'Torget vid tunnelbanan', partners: [{ organisation: 'Bostadsbolaget', role: 'fastighetsägare' }] });
    const moved = await patch(`/api/places/${placeId}`, 'husby', { geometry: octagon(RINKEBY) });
    expect(moved.statusCode).toBe(403);
    expect(moved.json().detail).toMatch(/Rinkeby/);
    expect((await patch(`/api/places/${placeId}`, 'rinkeby', { name: 'x' })).statusCode).toBe(403);
    expect((await patch(`/api/places/${placeId}`, null, { name: 'x' })).statusCode).toBe(401);
    expect((await patch(`/api/places/${placeId}`, 'husby', { status: 'over' })).statusCode).toBe(400);
    expect((await patch('/api/places/987654', 'admin', { name: 'x' })).statusCode).toBe(404);
    const a = await t.db.query<{ detail: { fields: string[] } }>(`SELECT detail FROM audit_log WHERE action = 'place.update' ORDER BY id`);
    expect(a.rows.map((x) => x.detail.fields)).toEqual([['description', 'partners']]);
    // an admin may override the district; a redrawn polygon then keeps it
    const rinkebyId = (await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'RINKEBY'`)).rows[0].id;
    const o = await patch(`/api/places/${placeId}`, 'admin', { districtAreaId: Number(rinkebyId) });
    expect(o.json().district).toMatchObject({ code: 'RINKEBY', overridden: true });
    const o2 = await patch(`/api/places/${placeId}`, 'admin', { geometry: octagon(HUSBY, 90) });
    expect(o2.json().district.code).toBe('RINKEBY');
    // … until it is cleared back to computed by the admin (null = none, so set Husby explicitly)
    const husbyId = (await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY'`)).rows[0].id;
    expect((await patch(`/api/places/${placeId}`, 'admin', { districtAreaId: Number(husbyId), geometry: octagon(HUSBY) })).json().district.code).toBe('HUSBY');
  });

  it('adds goals with measured baselines and computes their status', async () => {
    const goal = { description: 'Färre brott i platsen', indicator: { type: 'incidents', source: 'crimes', categories: [] }, baselineFrom: '2024-01-01', baselineTo: '2024-12-31', targetValue: 5, deadline: '2025-12-31' };
    expect((await post(`/api/places/${placeId}/goals`, 'rinkeby', goal)).statusCode).toBe(403);
    const r = await post(`/api/places/${placeId}/goals`, 'husby', goal);
    expect(r.statusCode).toBe(201);
    const g = r.json();
    // staff see the public view: 8 is shown protected (a multiple of 5 within 3 of it), 4 is not shown; the status is
    // computed from the true counts
    expect(g).toMatchObject({ status: 'met', direction: 'decrease', targetValue: 5, suppressed: true, changeFromBaseline: null });
    expect(g.baseline).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
    expect([5, 10]).toContain(g.baseline.value); // 8 ± 1, rounded to a multiple of 5
    expect(g.current).toMatchObject({ from: '2025-01-01', to: '2025-12-31', value: null, count: null, days: 365 });
    const ga = (await t.app.inject({ url: `/api/places/${placeId}/goals/${g.id}`, headers: auth('analyst') })).json();
    expect(ga.current.count).toBe(4);
    expect(ga.current.value).toBeCloseTo(4 * 366 / 365, 2);
    expect(ga.changeFromBaseline.significant).toBe(false); // 8 → 4 is not evidence of a change
    const stored = await t.db.query<{ baseline_value: number }>('SELECT baseline_value FROM place_goals WHERE id = $1', [g.id]);
    expect(stored.rows[0].baseline_value).toBe(8);
    // a stricter target is missed; a later deadline is judged against the straight line
    const missed = (await post(`/api/places/${placeId}/goals`, 'admin', { ...goal, targetValue: 2 })).json();
    expect(missed.status).toBe('missed');
    const later = (await post(`/api/places/${placeId}/goals`, 'admin', { ...goal, targetValue: 0, deadline: '2026-12-31' })).json();
    // after one of two years, the line from 8 to 0 says 4; the measured 4.01 per 366 days is just above it
    expect(later.expectedNow).toBeCloseTo(8 - 8 * (365 / 730), 1);
    expect(later.status).toBe('off-track');
    const early = (await post(`/api/places/${placeId}/goals`, 'admin', { ...goal, baselineFrom: '2025-01-01', baselineTo: '2025-12-31', deadline: '2026-12-31' })).json();
    expect(early.status).toBe('too-early');
    const nob = (await post(`/api/places/${placeId}/goals`, 'admin', { ...goal, baselineFrom: '2020-01-01', baselineTo: '2020-12-31' })).json();
    expect(nob.status).toBe('no-baseline');
    // validation
    for (const [body, msg] of [
      [{ ...goal, baselineTo: '2023-01-01' }, /baselineTo/],
      [{ ...goal, deadline: '2024-06-01' }, /deadline/],
      [{ ...goal, indicator: { type: 'survey', indicator: 'no-such-indicator', group: 'all' } }, /indicator/],
      [{ ...goal, indicator: { type: 'weather' } }, /indicator/],
      [{ ...goal, targetValue: -1 }, /targetValue/],
    ] as const) {
      const b = await post(`/api/places/${placeId}/goals`, 'admin', body);
      expect(b.statusCode, JSON.stringify(body)).toBe(400);
      expect(b.json().detail).toMatch(msg);
    }
    const p = await patch(`/api/places/${placeId}/goals/${g.id}`, 'husby', { targetValue: 3 });
    expect(p.statusCode).toBe(200);
    expect(p.json().status).toBe('missed');
    expect((await del(`/api/places/${placeId}/goals/${missed.id}`, 'husby')).statusCode).toBe(204);
    expect((await t.app.inject(`/api/places/${placeId}/goals/${missed.id}`)).statusCode).toBe(404);
    const list = (await t.app.inject(`/api/places/${placeId}/goals`)).json();
    expect(list).toHaveLength(4);
    const actions = (await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'place.goal.%' ORDER BY id`)).rows.map((x) => x.action);
    expect(actions).toEqual(['place.goal.create', 'place.goal.create', 'place.goal.create', 'place.goal.create', 'place.goal.create', 'place.goal.update', 'place.goal.delete']);
  });

  it('adds, changes and removes measures', async () => {
    const r = await post(`/api/places/${placeId}/measures`, 'husby', { type: 'lighting', date: '2025-02-01', description: 'Ny belysning' });
    expect(r.statusCode).toBe(201);
    const m = r.json();
    expect(m).toMatchObject({ placeId, type: 'lighting', date: '2025-02-01', description: 'Ny belysning' });
    expect((await post(`/api/places/${placeId}/measures`, 'husby', { type: 'magic', date: '2025-02-01' })).statusCode).toBe(400);
    expect((await post(`/api/places/${placeId}/measures`, null, { type: 'guards', date: '2025-02-01' })).statusCode).toBe(401);
    await post(`/api/places/${placeId}/measures`, 'husby', { type: 'guards', date: '2025-01-10' });
    const u = await patch(`/api/places/${placeId}/measures/${m.id}`, 'husby', { type: 'cameras' });
    expect(u.json().type).toBe('cameras');
    const list = (await t.app.inject(`/api/places/${placeId}/measures`)).json();
    expect(list.map((x: { type: string }) => x.type)).toEqual(['guards', 'cameras']); // by date
    expect((await t.app.inject(`/api/places/${placeId}/measures/999999`)).statusCode).toBe(404);
    expect((await del(`/api/places/${placeId}/measures/${m.id}`, 'rinkeby')).statusCode).toBe(403);
    expect((await del(`/api/places/${placeId}/measures/${m.id}`, 'husby')).statusCode).toBe(204);
    const detail = (await t.app.inject(`/api/places/${placeId}`)).json();
    expect(detail.measures).toHaveLength(1);
    expect(detail.goals).toHaveLength(4);
    expect(detail.measureCount).toBe(1);
  });

  it('answers unknown ids with 404 and deletes a place with its goals and measures', async () => {
    for (const u of ['/api/places/424242', '/api/places/424242/evaluation', '/api/places/424242/goals', '/api/places/424242/measures']) {
      const r = await t.app.inject(u);
      expect(r.statusCode, u).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await t.app.inject('/api/places/abc')).statusCode).toBe(400);
    expect((await del(`/api/places/${placeId}`, 'rinkeby')).statusCode).toBe(403);
    expect((await del(`/api/places/${placeId}`, 'husby')).statusCode).toBe(204);
    expect((await t.app.inject(`/api/places/${placeId}`)).statusCode).toBe(404);
    const left = await t.db.query<{ n: number }>('SELECT (SELECT count(*) FROM place_goals)::int + (SELECT count(*) FROM place_measures)::int AS n');
    expect(left.rows[0].n).toBe(0);
    const a = await t.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'place.delete' AND target = $1`, [`place:${placeId}`]);
    expect(a.rows).toEqual([{ actor: `key:${keys.husby.id}` }]);
  });

  it('creates the synthetic sample places once, at the right districts, with goals and measures', async () => {
    expect(await ensureSamplePlaces(t.db)).toBe(5);
    expect(await ensureSamplePlaces(t.db)).toBe(0);
    const list = (await t.app.inject('/api/places')).json() as { name: string; synthetic: boolean; district: { code: string } | null; goalCount: number; measureCount: number; id: number }[];
    expect(list).toHaveLength(5);
    for (const p of list) {
      expect(p.synthetic).toBe(true);
      expect(p.name).toMatch(/\(syntetiskt exempel\)$/);
      expect(p.goalCount).toBeGreaterThan(0);
    }
    const codes = Object.fromEntries(list.map((p) => [p.name.replace(' (syntetiskt exempel)', ''), p.district?.code]));
    expect(codes).toEqual({ 'Husby centrum': 'HUSBY', 'Rinkeby torg': 'RINKEBY', Medborgarplatsen: 'SÖDERMALM', 'Skärholmen centrum': 'SKÄRHOLMEN', 'Tensta centrum': 'TENSTA' });
    const husby = list.find((p) => p.name.startsWith('Husby'))!;
    const ev = await t.app.inject(`/api/places/${husby.id}/evaluation?source=crimes&before=2024-01-01..2024-12-31&after=2025-01-01..2025-12-31`);
    expect(ev.statusCode).toBe(200);
    expect(['improved', 'no-detectable-change', 'worsened', 'displacement-suspected']).toContain(ev.json().verdict);
  });
});
