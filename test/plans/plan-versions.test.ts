// Issue 18, "versions and audit: who changed what, when; a decided plan is frozen and a revision is a new version".
// Every kept version says who saved it, when, and what changed against the version before (priorities, indicators,
// measures added, removed or changed, with the fields). A revision of a published plan is a draft: until it is
// published in turn, the public keeps reading the published version — never the draft's text, never who saved it.
// On both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

type Change = { subject: string; change: string; id: string | null; label: string; fields: string[] };
type Version = { version: number; status: string; title: string; savedBy: string | null; savedAt: string; changes: Change[] };
type Plan = { id: number; status: string; version: number; title: string; updatedBy: string; plan: { measures: { id: string; title: string; owner: string }[] } };

describe.each(backends)('action plan versions on %s', (kind) => {
  let t: TestApp;
  let husby = 0;
  const keys: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: keys[who] ? { authorization: `Bearer ${keys[who]}` } : {} });
  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: object) => {
    const r = await call(method, url, who, payload);
    expect(r.statusCode, r.body).toBe(method === 'POST' && url === '/api/action-plans' ? 201 : 200);
    return r.json();
  };
  const measures = (extra: object[] = []) => [
    { id: 'belysning', title: 'Bättre belysning', owner: 'Trafikkontoret', priorityIds: ['torget'] },
    ...extra,
  ];
  const plan = (m: object[]) => ({
    priorities: [{ id: 'torget', title: 'Otrygghet vid torget', origin: { kind: 'own' }, causalAnalysis: { likelyCauses: 'Mörker' } }],
    measures: m,
  });

  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '1000000' });
    husby = Number((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY'`)).rows[0].id);
    keys.husby = (await createKey(t.db, { name: 'Husby SDF', role: 'staff', districts: ['stadsdelar:HUSBY'] })).key;
    keys.analyst = (await createKey(t.db, { name: 'Analytiker', role: 'analyst', districts: [] })).key;
  });
  afterAll(async () => { await t?.close(); });

  it('each version says who saved it and what changed; the public keeps the published version while a revision is drafted', async () => {
    const p = await ok('POST', '/api/action-plans', 'husby', { areaId: husby, title: 'Åtgärdsplan Husby', plan: plan(measures()) }) as Plan;
    // v2: an owner changed and a measure added; v3 decided; v4 published; v5 revised; v6 a draft-only measure
    await ok('PUT', `/api/action-plans/${p.id}`, 'husby', { baseVersion: 1, plan: plan([{ ...measures()[0], owner: 'Exploateringskontoret' }, { id: 'vandring', title: 'Trygghetsvandringar', owner: 'SDF', priorityIds: [] }]) });
    await ok('POST', `/api/action-plans/${p.id}/decide`, 'husby', { baseVersion: 2 });
    await ok('POST', `/api/action-plans/${p.id}/publish`, 'husby', { baseVersion: 3 });
    await ok('POST', `/api/action-plans/${p.id}/revise`, 'husby', { baseVersion: 4 });
    await ok('PUT', `/api/action-plans/${p.id}`, 'husby', { baseVersion: 5, title: 'Åtgärdsplan Husby, reviderad', plan: plan([{ ...measures()[0], owner: 'Exploateringskontoret' }, { id: 'kameror', title: 'Utkast: kameror i tunneln', owner: 'SDF', priorityIds: [] }]) });

    // staff and analysts: every version, who saved it, and what changed
    const all = (await ok('GET', `/api/action-plans/${p.id}/versions`, 'husby') as { versions: Version[] }).versions;
    expect(all.map((v) => `${v.version}:${v.status}`)).toEqual(['6:draft', '5:draft', '4:published', '3:decided', '2:draft', '1:draft']);
    expect(all.every((v) => /^key:\d+$/.test(v.savedBy ?? ''))).toBe(true);
    const at = (n: number) => all.find((v) => v.version === n)!.changes;
    expect(at(1)).toEqual([]);
    expect(at(2)).toEqual([
      { subject: 'measure', change: 'changed', id: 'belysning', label: 'Bättre belysning', fields: ['owner'] },
      { subject: 'measure', change: 'added', id: 'vandring', label: 'Trygghetsvandringar', fields: [] },
    ]);
    expect(at(3)).toEqual([{ subject: 'status', change: 'changed', id: null, label: 'decided', fields: [] }]);
    expect(at(6)).toEqual(expect.arrayContaining([
      { subject: 'title', change: 'changed', id: null, label: 'Åtgärdsplan Husby, reviderad', fields: [] },
      { subject: 'measure', change: 'added', id: 'kameror', label: 'Utkast: kameror i tunneln', fields: [] },
      { subject: 'measure', change: 'removed', id: 'vandring', label: 'Trygghetsvandringar', fields: [] },
    ]));
    expect(((await ok('GET', `/api/action-plans/${p.id}`, 'husby')) as Plan)).toMatchObject({ status: 'draft', version: 6 });

    // the public: the published version 4, as it was published — not the draft, not who saved it
    const pub = await ok('GET', `/api/action-plans/${p.id}`, 'public') as Plan;
    expect(pub).toMatchObject({ status: 'published', version: 4, title: 'Åtgärdsplan Husby' });
    expect(pub.plan.measures.map((m) => m.title)).toEqual(['Bättre belysning', 'Trygghetsvandringar']);
    expect(JSON.stringify(pub)).not.toMatch(/kameror|key:\d/);
    const listed = (await ok('GET', `/api/action-plans?areaId=${husby}`, 'public') as { plans: Plan[] }).plans;
    expect(listed.map((x) => `${x.id}:${x.version}:${x.status}`)).toEqual([`${p.id}:4:published`]);
    const pubVersions = (await ok('GET', `/api/action-plans/${p.id}/versions`, 'public') as { versions: Version[] }).versions;
    expect(pubVersions.map((v) => [v.version, v.status, v.savedBy])).toEqual([[4, 'published', null]]);
    expect(JSON.stringify(pubVersions)).not.toMatch(/kameror|Utkast|key:\d/);
    const followUp = await call('GET', `/api/action-plans/${p.id}/follow-up?f=html`, 'public');
    expect(followUp.statusCode, followUp.body).toBe(200);
    expect(followUp.body).toContain('Trygghetsvandringar');
    expect(followUp.body).not.toMatch(/kameror|key:\d/);

    // published again: the public reads the new version
    await ok('POST', `/api/action-plans/${p.id}/decide`, 'husby', { baseVersion: 6 });
    await ok('POST', `/api/action-plans/${p.id}/publish`, 'husby', { baseVersion: 7 });
    expect(await ok('GET', `/api/action-plans/${p.id}`, 'public')).toMatchObject({ status: 'published', version: 8, title: 'Åtgärdsplan Husby, reviderad' });
  });

  it('a plan never published stays a 404 to the public, its versions too', async () => {
    const p = await ok('POST', '/api/action-plans', 'husby', { areaId: husby, title: 'Utkast', plan: plan(measures()) }) as Plan;
    for (const url of [`/api/action-plans/${p.id}`, `/api/action-plans/${p.id}/versions`, `/api/action-plans/${p.id}/follow-up`]) {
      expect((await call('GET', url, 'public')).statusCode, url).toBe(404);
    }
  });
});
