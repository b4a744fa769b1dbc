// Issue 16, "finish it in the tool": the staff text (section 7) of a saved lägesbild is saved with versions — who,
// when, which fields — and an edit made from an old version is refused with 409 instead of overwriting a text its
// author has not seen. Staff of another district get 403 and write nothing. On both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';
import { districtId } from './seed.js';

type Version = { version: number; current: boolean; savedBy: string; savedByName: string | null; savedAt: string; changed: string[]; title: string };

describe.each(backends)('saved lägesbild staff text versions on %s', (kind) => {
  let t: TestApp;
  let husby: number;
  let reportId: number;
  const keys: Record<string, { key: string; id: number }> = {};
  const auth = (who: string) => (keys[who] ? { authorization: `Bearer ${keys[who].key}` } : {});
  const get = (url: string, who = 'public') => t.app.inject({ method: 'GET', url, headers: auth(who) });
  const patch = (who: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'PATCH', url: `/api/reports/${reportId}`, payload, headers: { ...auth(who), ...headers } });
  const versions = async (who = 'husby') => {
    const r = await get(`/api/reports/${reportId}/versions`, who);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { reportId: number; currentVersion: number; versions: Version[] };
  };
  const current = async () => (await get(`/api/reports/${reportId}?f=json`, 'husby')).json() as {
    version: number; updatedBy: string; updatedByName: string | null; staffText: { priorities: string; causalAnalysis: Record<string, string>; actionPlan: { goals: { goal: string }[] } };
  };

  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '1000000' });
    husby = await districtId(t.db, 'HUSBY');
    for (const [who, districts] of [['husby', ['stadsdelar:HUSBY']], ['farsta', ['stadsdelar:FARSTA']]] as const) {
      const k = await createKey(t.db, { name: `sdf ${who}`, role: 'staff', districts: [...districts] });
      keys[who] = { key: k.key, id: k.id };
    }
    const a = await createKey(t.db, { name: 'analys', role: 'analyst' });
    keys.analyst = { key: a.key, id: a.id };
  });
  afterAll(async () => { await t?.close(); });

  it('saving a lägesbild writes its staff text as version 1, naming the fields filled in', async () => {
    const body = {
      areaId: husby, from: '2025-01-01', to: '2026-01-01', title: 'Lägesbild Husby 2025', evaluatePlaces: false,
      staffText: { causalAnalysis: { preparation: 'Torget kvällstid; polis, fastighetsägare, SDF.' } },
    };
    const r = await t.app.inject({ method: 'POST', url: '/api/reports', payload: body, headers: auth('husby') });
    expect(r.statusCode, r.body).toBe(201);
    reportId = r.json().id;
    expect(r.json()).toMatchObject({ version: 1, updatedBy: `key:${keys.husby.id}`, updatedByName: 'sdf husby' });
    const v = await versions();
    expect(v.currentVersion).toBe(1);
    expect(v.versions).toEqual([expect.objectContaining({ version: 1, current: true, savedBy: `key:${keys.husby.id}`, savedByName: 'sdf husby', changed: ['title', 'causalAnalysis.preparation'] })]);
  });

  it('a staff key of another district gets 403 on saving, and nothing is written', async () => {
    const before = await current();
    const r = await patch('farsta', { baseVersion: 1, staffText: { priorities: 'Farstas prioritering' } });
    expect(r.statusCode).toBe(403);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    expect(r.json().detail).toMatch(/covers Farsta .*does not include this report's area, Husby/);
    expect((await t.app.inject({ method: 'POST', url: '/api/reports', payload: { areaId: husby, evaluatePlaces: false }, headers: auth('farsta') })).statusCode).toBe(403);
    expect(await current()).toEqual(before);
    expect((await versions()).versions).toHaveLength(1);
    // reading is open to every reader of saved reports, not to the public
    expect((await get(`/api/reports/${reportId}/versions`, 'farsta')).statusCode).toBe(200);
    expect((await get(`/api/reports/${reportId}/versions`)).statusCode).toBe(401);
    expect((await get(`/api/reports/${reportId}/versions/1`)).statusCode).toBe(401);
  });

  it('every save is a version: who, when and which fields changed; an old version can be read back', async () => {
    const one = await patch('husby', { baseVersion: 1, staffText: { causalAnalysis: { likelyCauses: 'Dålig belysning och få vuxna ute' } } });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().version).toBe(2);
    // the second save names its base version with If-Match, as an ETag
    const two = await patch('husby', { staffText: { priorities: 'Otrygghet vid torget', actionPlan: { goals: [{ goal: 'Färre rån vid torget', timeBound: '2027-06-30' }] } } }, { 'if-match': '"2"' });
    expect(two.statusCode, two.body).toBe(200);
    expect(two.json()).toMatchObject({ version: 3, updatedByName: 'sdf husby' });
    const v = await versions();
    expect(v.currentVersion).toBe(3);
    expect(v.versions.map((x) => [x.version, x.current, x.changed])).toEqual([
      [3, true, ['priorities', 'actionPlan.goals']],
      [2, false, ['causalAnalysis.likelyCauses']],
      [1, false, ['title', 'causalAnalysis.preparation']],
    ]);
    expect(v.versions.every((x) => x.savedBy === `key:${keys.husby.id}`)).toBe(true);
    const times = v.versions.map((x) => Date.parse(x.savedAt));
    expect(times.every((x) => Number.isFinite(x))).toBe(true);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // version 2 as it was: the cause written, the priorities not yet
    const old = await get(`/api/reports/${reportId}/versions/2`, 'husby');
    expect(old.statusCode, old.body).toBe(200);
    expect(old.json()).toMatchObject({ reportId, version: 2, current: false });
    expect(old.json().staffText.causalAnalysis).toMatchObject({ preparation: 'Torget kvällstid; polis, fastighetsägare, SDF.', likelyCauses: 'Dålig belysning och få vuxna ute' });
    expect(old.json().staffText.priorities).toBe('');
    expect(old.json().staffText.actionPlan.goals).toEqual([]);
    expect((await get(`/api/reports/${reportId}/versions/9`, 'husby')).statusCode).toBe(404);
    // the document shows the current text
    const html = (await get(`/api/reports/${reportId}?f=html`, 'husby')).body;
    for (const s of ['Dålig belysning och få vuxna ute', 'Otrygghet vid torget', 'Färre rån vid torget']) expect(html).toContain(s);
  });

  it('a save made from an older version gets 409 with who saved the current one, and changes nothing', async () => {
    const before = await current();
    expect(before.version).toBe(3);
    const stale = await patch('husby', { baseVersion: 2, staffText: { priorities: 'Skriver över utan att ha sett version 3' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toMatch(/problem\+json/);
    expect(stale.json()).toMatchObject({ status: 409, currentVersion: 3, baseVersion: 2, savedByName: 'sdf husby' });
    expect(stale.json().detail).toMatch(/version 3.*not saved/);
    expect((await patch('husby', { staffText: { comments: 'x' } }, { 'if-match': 'W/"1"' })).statusCode).toBe(409);
    expect(await current()).toEqual(before);
    expect((await versions()).versions).toHaveLength(3);
    // saving again on top of the current version works (and keeps the other text as version 3)
    const again = await patch('analyst', { baseVersion: 3, staffText: { priorities: 'Otrygghet vid torget och i gångtunneln' } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ version: 4, updatedBy: `key:${keys.analyst.id}`, updatedByName: 'analys' });
    expect((await get(`/api/reports/${reportId}/versions/3`, 'husby')).json().staffText.priorities).toBe('Otrygghet vid torget');
  });

  it('of two saves from the same version at the same time exactly one wins; a save that changes nothing adds no version', async () => {
    const [a, b] = await Promise.all([
      patch('husby', { baseVersion: 4, staffText: { comments: 'Från den ena' } }),
      patch('analyst', { baseVersion: 4, staffText: { comments: 'Från den andra' } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? 'Från den ena' : 'Från den andra';
    expect(((await current()).staffText as unknown as { comments: string }).comments).toBe(winner);
    expect((await versions()).currentVersion).toBe(5);
    const same = await patch('husby', { baseVersion: 5, staffText: { comments: winner } });
    expect(same.statusCode).toBe(200);
    expect(same.json().version).toBe(5);
    expect((await versions()).versions).toHaveLength(5);
  });
});
