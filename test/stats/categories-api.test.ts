// GET /api/categories on both backends: declared labels and groups, undeclared codes labelled by their code (for the
// public only when they have at least k incidents), validation, and the codes working as a filter on /api/stats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { hashSecret } from '../../server/domain/keys/hash-secret.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const ANALYST = 'test-analyst-key-categories-0123456789';
type Cat = { code: string; label_sv: string; label_en: string; group: string | null; group_label_sv: string | null; group_label_en: string | null; labelled: boolean };

describe.each(backends)('GET /api/categories on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind);
    await t.db.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('analyst', 'analyst', $1)`, [hashSecret(ANALYST)]);
    const husby = (await t.db.query<{ x: number; y: number }>(
      `SELECT ST_X(p) x, ST_Y(p) y FROM (SELECT ST_PointOnSurface(geom) p FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY') s`)).rows[0];
    const rows: IncidentInput[] = [];
    const at = (d: number) => new Date(Date.UTC(2025, 2, d, 12));
    // an undeclared code with 6 incidents (≥ k) and a rare one with 2 (< k), plus declared misshandel
    for (let i = 0; i < 6; i++) rows.push({ externalId: `n${i}`, category: 'nyttbrott', occurredFrom: at(i + 1), x: husby.x, y: husby.y, precision: 'exact' });
    for (let i = 0; i < 2; i++) rows.push({ externalId: `s${i}`, category: 'sallsynt', occurredFrom: at(i + 10), x: husby.x, y: husby.y, precision: 'exact' });
    for (let i = 0; i < 3; i++) rows.push({ externalId: `m${i}`, category: 'misshandel', occurredFrom: at(i + 15), x: husby.x, y: husby.y, precision: 'exact' });
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', rows));
  });
  afterAll(async () => { await t?.close(); });
  const get = (url: string, key?: string) => t.app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} });

  it('lists the declared categories of a source with Swedish and English labels and their group', async () => {
    const r = await get('/api/categories');
    expect(r.statusCode).toBe(200);
    const cats = r.json() as Cat[];
    expect(cats.find((c) => c.code === 'misshandel')).toEqual({ code: 'misshandel', label_sv: 'Misshandel', label_en: 'Assault', group: 'vald', group_label_sv: 'Våldsbrott', group_label_en: 'Violent crime', labelled: true });
    const declared = (await t.db.query<{ n: number }>(`SELECT count(*)::int n FROM categories WHERE source = 'crimes'`)).rows[0].n;
    expect(cats.filter((c) => c.labelled)).toHaveLength(declared);
    // grouped: all codes of a group are adjacent
    const groups = cats.map((c) => c.group);
    expect(groups.filter((g, i) => i === 0 || g !== groups[i - 1])).toHaveLength(new Set(groups).size);
    const police = (await get('/api/categories?source=police-events')).json() as Cat[];
    expect(police.find((c) => c.code === 'ran')?.label_en).toBe('Robbery');
  });

  it('adds undeclared codes labelled by their code; the public sees only those with at least k incidents', async () => {
    const ana = (await get('/api/categories?source=crimes', ANALYST)).json() as Cat[];
    expect(ana.find((c) => c.code === 'nyttbrott')).toMatchObject({ label_sv: 'nyttbrott', label_en: 'nyttbrott', group: null, labelled: false });
    expect(ana.find((c) => c.code === 'sallsynt')).toMatchObject({ labelled: false });
    const pub = (await get('/api/categories?source=crimes')).json() as Cat[];
    expect(pub.some((c) => c.code === 'nyttbrott')).toBe(true);
    expect(pub.some((c) => c.code === 'sallsynt')).toBe(false);
  });

  it('validates the source and is listed in the OpenAPI document (the web app shows its filter from it)', async () => {
    const bad = await get('/api/categories?source=weather');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body).toContain('source');
    const doc = (await get('/docs/json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/categories');
  });

  it('its codes filter /api/stats: a group of codes counts exactly those incidents', async () => {
    const q = '/api/stats?areaSet=stadsdelar&source=crimes&from=2025-03-01&to=2025-04-01';
    const count = async (cats: string) => ((await get(`${q}&category=${encodeURIComponent(cats)}`, ANALYST)).json() as { total: { count: number } }).total.count;
    expect(await count('nyttbrott')).toBe(6);
    expect(await count('nyttbrott,misshandel')).toBe(9);
  });
});
