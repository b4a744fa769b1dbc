// Issue 15, permissions by id: a staff key's districts are area ids, and what it may change is decided by geometry.
// Six stadsdelar share their name with a stadsdelsområde (Farsta …): a key for the stadsdel Farsta must not reach
// Hökarängen, which lies in the stadsdelsområde Farsta. A district override must not carry a place out of its
// editor's districts. Authority runs downwards: a key for the stadsdelsområde Järva (2023) edits in Husby.
// On both backends; also the migration of name-based keys and the key management's district forms.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrate.js';
import { createKey, DistrictResolveError, listKeys } from '../../server/domain/keys/api-keys.js';
import { PROJECT_ROOT } from '../../server/config.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

describe.each(backends)('staff districts by area id on %s', (kind) => {
  let t: TestApp;
  const id: Record<string, number> = {};
  const keys: Record<string, string> = {};
  const auth = (who: string) => ({ authorization: `Bearer ${keys[who]}` });
  /** A 60 m circle (WGS84 GeoJSON) around the interior point of an area, shifted by dx, dy metres. */
  const circle = async (areaId: number, r = 60, dx = 0, dy = 0) => JSON.parse((await t.db.query<{ gj: string }>(
    `SELECT ST_AsGeoJSON(ST_Transform(ST_Buffer(ST_Translate(ST_PointOnSurface(geom), $2, $3), $4, 4), 4326), 7) AS gj FROM areas WHERE id = $1`,
    [areaId, dx, dy, r])).rows[0].gj);
  const post = (url: string, who: string, payload: object) => t.app.inject({ method: 'POST', url, headers: auth(who), payload });
  const patch = (url: string, who: string, payload: object) => t.app.inject({ method: 'PATCH', url, headers: auth(who), payload });
  const del = (url: string, who: string) => t.app.inject({ method: 'DELETE', url, headers: auth(who) });
  const place = async (areaId: number, over: Record<string, unknown> = {}) => ({ name: `plats ${areaId}`, geometry: await circle(areaId), ...over });

  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '1000000' });
    const r = await t.db.query<{ area_set_id: string; code: string; id: number }>(
      `SELECT area_set_id, code, id FROM areas WHERE (area_set_id = 'stadsdelar' AND code IN ('FARSTA', 'HÖKARÄNGEN', 'HUSBY', 'SÖDERMALM'))
         OR (area_set_id LIKE 'stadsdelsomraden-%' AND code IN ('Farsta', 'Järva', 'Rinkeby-Kista', 'Södermalm'))`);
    for (const x of r.rows) id[`${x.area_set_id}:${x.code}`] = Number(x.id);
    expect(Object.keys(id)).toHaveLength(10);
    keys.admin = (await createKey(t.db, { name: 'admin', role: 'admin' })).key;
    keys.farsta = (await createKey(t.db, { name: 'sdf farsta (stadsdel)', role: 'staff', districts: ['FARSTA'] })).key; // the old, bare form
    keys.farstaOmrade = (await createKey(t.db, { name: 'sdf farsta (område)', role: 'staff', districts: ['stadsdelsomraden-2023:Farsta'] })).key;
    keys.husby = (await createKey(t.db, { name: 'sdf husby', role: 'staff', districts: ['stadsdelar:HUSBY'] })).key;
    keys.jarva = (await createKey(t.db, { name: 'sdf järva', role: 'staff', districts: [id['stadsdelsomraden-2023:Järva']] })).key;
  });
  afterAll(async () => { await t?.close(); });

  it('a key for the stadsdel FARSTA cannot create or edit a place in Hökarängen (in the stadsdelsområde Farsta): 403', async () => {
    const hok = id['stadsdelar:HÖKARÄNGEN'];
    const c = await post('/api/places', 'farsta', await place(hok));
    expect(c.statusCode).toBe(403);
    expect(c.json().detail).toMatch(/covers Farsta \(stadsdel, id \d+\); the new place is in Hökarängen/);
    // nor with the stadsdelsområde as the place's district
    expect((await post('/api/places', 'farsta', await place(hok, { districtAreaId: id['stadsdelsomraden-2023:Farsta'] }))).statusCode).toBe(403);
    // an existing place there (made by an admin): no edit, goal, measure or delete
    const made = await post('/api/places', 'admin', await place(hok, { name: 'Hökarängens centrum' }));
    expect(made.statusCode).toBe(201);
    const pid = made.json().id;
    expect(made.json().district).toMatchObject({ code: 'HÖKARÄNGEN', areaSetId: 'stadsdelar' });
    expect((await patch(`/api/places/${pid}`, 'farsta', { name: 'x' })).statusCode).toBe(403);
    expect((await patch(`/api/places/${pid}`, 'farsta', { geometry: await circle(id['stadsdelar:FARSTA']) })).statusCode).toBe(403);
    expect((await post(`/api/places/${pid}/measures`, 'farsta', { type: 'lighting', date: '2025-02-01' })).statusCode).toBe(403);
    expect((await del(`/api/places/${pid}`, 'farsta')).statusCode).toBe(403);
    // the stadsdel Farsta itself is theirs; the stadsdelsområde Farsta's key covers Hökarängen
    expect((await post('/api/places', 'farsta', await place(id['stadsdelar:FARSTA']))).statusCode).toBe(201);
    expect((await patch(`/api/places/${pid}`, 'farstaOmrade', { description: 'Belysning' })).statusCode).toBe(200);
  });

  it('a Husby key cannot create a place in Södermalm, even with a district override naming Husby: 403', async () => {
    const husby = id['stadsdelar:HUSBY'];
    const r = await post('/api/places', 'husby', await place(id['stadsdelar:SÖDERMALM'], { districtAreaId: husby }));
    expect(r.statusCode).toBe(403);
    expect(r.json().detail).toMatch(/covers Husby \(stadsdel, id \d+\); .*reaches outside them/);
    expect((await post('/api/places', 'husby', await place(id['stadsdelar:SÖDERMALM']))).statusCode).toBe(403);
    // nor move an own place there by override or polygon, nor name its stadsdelsområde as its district
    const own = (await post('/api/places', 'husby', await place(husby))).json();
    expect((await patch(`/api/places/${own.id}`, 'husby', { geometry: await circle(id['stadsdelar:SÖDERMALM']), districtAreaId: husby })).statusCode).toBe(403);
    expect((await patch(`/api/places/${own.id}`, 'husby', { districtAreaId: id['stadsdelsomraden-2020:Rinkeby-Kista'] })).statusCode).toBe(403);
    expect((await patch(`/api/places/${own.id}`, 'husby', { districtAreaId: id['stadsdelar:SÖDERMALM'] })).statusCode).toBe(403);
    const n = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM places p JOIN areas a ON a.id = $1 WHERE ST_Intersects(p.geom, a.geom)`, [id['stadsdelar:SÖDERMALM']]);
    expect(n.rows[0].n).toBe(0);
  });

  it('a Husby key can create and edit inside Husby, but not a polygon reaching over its border', async () => {
    const husby = id['stadsdelar:HUSBY'];
    const c = await post('/api/places', 'husby', await place(husby, { name: 'Husby torg' }));
    expect(c.statusCode).toBe(201);
    expect(c.json().district).toMatchObject({ id: husby, code: 'HUSBY', overridden: false });
    const pid = c.json().id;
    expect((await patch(`/api/places/${pid}`, 'husby', { description: 'Torget', geometry: await circle(husby, 80) })).statusCode).toBe(200);
    expect((await patch(`/api/places/${pid}`, 'husby', { districtAreaId: husby })).json().district).toMatchObject({ id: husby, overridden: true });
    const goal = { description: 'Färre brott', indicator: { type: 'incidents', source: 'crimes', categories: [] }, baselineFrom: '2024-01-01', baselineTo: '2024-12-31', targetValue: 1, deadline: '2026-12-31' };
    const g = await post(`/api/places/${pid}/goals`, 'husby', goal);
    expect(g.statusCode).toBe(201);
    expect((await patch(`/api/places/${pid}/goals/${g.json().id}`, 'husby', { targetValue: 2 })).statusCode).toBe(200);
    expect((await post(`/api/places/${pid}/goals`, 'farsta', goal)).statusCode).toBe(403);
    const m = await post(`/api/places/${pid}/measures`, 'husby', { type: 'lighting', date: '2025-02-01', description: 'Ny belysning' });
    expect(m.statusCode).toBe(201);
    // a 400 m circle around a point on Husby's border reaches outside Husby
    const edge = JSON.parse((await t.db.query<{ gj: string }>(
      `SELECT ST_AsGeoJSON(ST_Transform(ST_Buffer(ST_ClosestPoint(ST_Boundary(geom), ST_PointOnSurface(geom)), 400, 4), 4326), 7) AS gj FROM areas WHERE id = $1`, [husby])).rows[0].gj);
    expect((await patch(`/api/places/${pid}`, 'husby', { geometry: edge })).statusCode).toBe(403);
    expect((await del(`/api/places/${pid}`, 'husby')).statusCode).toBe(204);
  });

  it('a key for the stadsdelsområde Järva (2023) edits in Husby, but not in Södermalm', async () => {
    const husby = id['stadsdelar:HUSBY'];
    const c = await post('/api/places', 'husby', await place(husby, { name: 'Husby gård' }));
    expect(c.statusCode).toBe(201);
    const pid = c.json().id;
    expect((await patch(`/api/places/${pid}`, 'jarva', { description: 'Järva tar över' })).statusCode).toBe(200);
    expect((await post(`/api/places/${pid}/measures`, 'jarva', { type: 'guards', date: '2025-03-01' })).statusCode).toBe(201);
    // the stadsdelsområde of 2020 inside Järva may be the district too
    expect((await patch(`/api/places/${pid}`, 'jarva', { districtAreaId: id['stadsdelsomraden-2020:Rinkeby-Kista'] })).statusCode).toBe(200);
    expect((await post('/api/places', 'jarva', await place(husby, { name: 'Husby ny' }))).statusCode).toBe(201);
    expect((await post('/api/places', 'jarva', await place(id['stadsdelar:SÖDERMALM']))).statusCode).toBe(403);
    // and the Husby key does not reach the place once its district is the stadsdelsområde
    expect((await patch(`/api/places/${pid}`, 'husby', { name: 'x' })).statusCode).toBe(403);
    expect((await del(`/api/places/${pid}`, 'jarva')).statusCode).toBe(204);
  });

  it('saves reports only for areas within the key\'s districts, by id', async () => {
    const body = (areaId: number) => ({ areaId, from: '2024-01-01', to: '2024-12-31', title: 'Lägesbild' });
    // today's names matched "Farsta" to the stadsdelsområde too
    expect((await post('/api/reports', 'farsta', body(id['stadsdelar:HÖKARÄNGEN']))).statusCode).toBe(403);
    expect((await post('/api/reports', 'farsta', body(id['stadsdelsomraden-2023:Farsta']))).statusCode).toBe(403);
    expect((await post('/api/reports', 'farstaOmrade', body(id['stadsdelar:HÖKARÄNGEN']))).statusCode).toBe(201);
    expect((await post('/api/reports', 'farstaOmrade', body(id['stadsdelsomraden-2020:Farsta']))).statusCode).toBe(201);
    expect((await post('/api/reports', 'jarva', body(id['stadsdelar:HUSBY']))).statusCode).toBe(201);
    const r = await post('/api/reports', 'husby', body(id['stadsdelsomraden-2023:Järva']));
    expect(r.statusCode).toBe(403);
    expect(r.json().detail).toMatch(/covers Husby \(stadsdel, id \d+\), which does not include Järva/);
  });

  it('key management resolves stadsdelar:HUSBY, bare HUSBY and ids to area ids and refuses unknown or non-district names', async () => {
    const husby = String(id['stadsdelar:HUSBY']);
    for (const d of ['stadsdelar:HUSBY', 'HUSBY', 'husby', 'stadsdelar:Husby', husby, Number(husby)]) {
      const k = await createKey(t.db, { name: `k ${d}`, role: 'staff', districts: [d] });
      expect(k.districts, String(d)).toEqual([husby]);
      expect(k.districtAreas).toEqual([{ id: Number(husby), areaSetId: 'stadsdelar', code: 'HUSBY', name: 'Husby' }]);
    }
    // FARSTA bare is the stadsdel; the stadsdelsområde needs its set
    expect((await createKey(t.db, { name: 'f', role: 'staff', districts: ['FARSTA', 'stadsdelsomraden-2023:FARSTA', 'stadsdelsomraden-2023:JÄRVA'] })).districts)
      .toEqual([id['stadsdelar:FARSTA'], id['stadsdelsomraden-2023:Farsta'], id['stadsdelsomraden-2023:Järva']].map(String));
    for (const [bad, msg] of [['ATLANTIS', /ATLANTIS: no stadsdel/], ['Järva', /Järva: not a stadsdel; for a stadsdelsområde write stadsdelsomraden-2023:Järva/],
      ['stadsdelar:ATLANTIS', /no area "ATLANTIS" in the area set stadsdelar/], ['nosuchset:HUSBY', /no area set "nosuchset"/],
      ['999999999', /no area has id 999999999/], ['lan-stockholm:01', /is a county .*must be a stadsdel or stadsdelsområde/]] as const) {
      await expect(createKey(t.db, { name: 'bad', role: 'staff', districts: [bad] }), bad).rejects.toThrow(DistrictResolveError);
      await expect(createKey(t.db, { name: 'bad', role: 'staff', districts: [bad] }), bad).rejects.toThrow(msg);
    }
    // the HTTP API: the same forms, stored as ids, listed with names; an unknown one is a 400 naming it
    const ok = await post('/api/keys', 'admin', { name: 'api', role: 'staff', districts: ['stadsdelar:HUSBY', 'stadsdelsomraden-2023:Järva'] });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().districts).toEqual([husby, String(id['stadsdelsomraden-2023:Järva'])]);
    const listed = (await t.app.inject({ url: '/api/keys', headers: auth('admin') })).json().find((k: { id: number }) => k.id === ok.json().id);
    expect(listed.districtAreas.map((a: { name: string }) => a.name)).toEqual(['Husby', 'Järva']);
    const bad = await post('/api/keys', 'admin', { name: 'api', role: 'staff', districts: ['HUSBY', 'Atlantis'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/Atlantis: no stadsdel has this code/);
    expect(bad.json().districtErrors).toEqual([{ entry: 'Atlantis', reason: 'no stadsdel has this code' }]);
    const stored = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE NOT (districts <@ ARRAY(SELECT id::text FROM areas))`);
    expect(stored.rows[0].n).toBe(0);
  });

  it('migration 012 turns name-based keys into area ids: stadsdel first, then stadsdelsområde 2023, 2020; drops the rest', async () => {
    await t.db.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_districts_are_ids`);
    await t.db.query(`DELETE FROM schema_migrations WHERE name = '012_staff_districts_by_id.sql'`);
    const r = await t.db.query<{ id: number }>(`INSERT INTO api_keys (name, role, districts, key_hash) VALUES
      ('old', 'staff', ARRAY['FARSTA', 'husby', 'Järva', 'JÄRVA', 'rinkeby-kista', 'ATLANTIS', ' 7 ', 'Södermalm', 'HUSBY'], 'old-hash') RETURNING id`);
    expect(await migrate(t.db)).toEqual(['012_staff_districts_by_id.sql']);
    const k = (await listKeys(t.db)).find((x) => x.id === Number(r.rows[0].id))!;
    expect(k.districts).toEqual([id['stadsdelar:FARSTA'], id['stadsdelar:HUSBY'], id['stadsdelsomraden-2023:Järva'],
      id['stadsdelsomraden-2020:Rinkeby-Kista'], 7, id['stadsdelar:SÖDERMALM']].map(String));
    await expect(t.db.query(`UPDATE api_keys SET districts = ARRAY['HUSBY'] WHERE id = $1`, [r.rows[0].id])).rejects.toThrow(/api_keys_districts_are_ids/);
  });

  it.runIf(kind === 'postgres')('the users CLI takes the same forms and lists ids with names', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/users.ts', ...args], {
      cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: t.config.databaseUrl!, LOG_LEVEL: 'silent' }, timeout: 60_000,
    });
    const c = run('create-key', '--name', 'cli järva', '--role', 'staff', '--districts', 'stadsdelar:HUSBY,stadsdelsomraden-2023:Järva');
    expect(c.status, c.stderr).toBe(0);
    expect(c.stdout).toContain(`districts ${id['stadsdelar:HUSBY']} Husby (stadsdelar:HUSBY), ${id['stadsdelsomraden-2023:Järva']} Järva (stadsdelsomraden-2023:Järva)`);
    const l = run('list-keys');
    expect(l.stdout).toMatch(new RegExp(`cli järva  ${id['stadsdelar:HUSBY']} Husby \\(stadsdelar:HUSBY\\)`));
    const bad = run('create-key', '--name', 'x', '--role', 'staff', '--districts', 'Atlantis');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Atlantis: no stadsdel has this code');
  });
});
