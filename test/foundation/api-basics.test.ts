import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

describe.each(backends)('foundation API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(kind); });
  afterAll(async () => { await t?.close(); });

  it('reports health with the backend and the PostGIS version', async () => {
    const r = await t.app.inject('/api/health');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.database).toBe(kind);
    expect(body.postgis).toMatch(/^3\./);
  });

  it('lists the bundled area sets with their sizes', async () => {
    const sets = (await t.app.inject('/api/area-sets')).json() as { id: string; areaCount: number; level: string }[];
    const byId = Object.fromEntries(sets.map((s) => [s.id, s]));
    expect(byId.stadsdelar.areaCount).toBe(117);
    expect(byId['stadsdelsomraden-2020'].areaCount).toBe(13);
    expect(byId['stadsdelsomraden-2023'].areaCount).toBe(11);
    expect(byId.basomraden.areaCount).toBe(419);
    expect(byId['kommuner-ab'].areaCount).toBe(26);
  });

  it('serves an area set as WGS84 GeoJSON inside Stockholm', async () => {
    const r = await t.app.inject('/api/area-sets/stadsdelar/areas?f=geojson');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/geo+json');
    const fc = r.json();
    expect(fc.features).toHaveLength(117);
    const husby = fc.features.find((f: { properties: { code: string } }) => f.properties.code === 'HUSBY');
    expect(husby.properties.name).toBe('Husby');
    const [lon, lat] = husby.geometry.coordinates[0][0][0];
    expect(lon).toBeGreaterThan(17.8); expect(lon).toBeLessThan(18.0);
    expect(lat).toBeGreaterThan(59.38); expect(lat).toBeLessThan(59.45);
  });

  it('answers a bad parameter with a 400 problem+json naming it', async () => {
    const r = await t.app.inject('/api/area-sets/stadsdelar/areas?f=nonsense');
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().detail).toContain('"f"');
  });

  it('answers an unknown area set and an unknown route with 404 problem+json', async () => {
    for (const u of ['/api/area-sets/nosuch/areas', '/api/nothing-here']) {
      const r = await t.app.inject(u);
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('serves the OpenAPI document', async () => {
    const r = await t.app.inject('/docs/json');
    expect(r.statusCode).toBe(200);
    expect(r.json().openapi).toMatch(/^3\./);
    expect(Object.keys(r.json().paths)).toContain('/api/area-sets/{id}/areas');
  });

  it('keeps the 2023 reorganisation: Järva is Rinkeby-Kista plus Spånga-Tensta', async () => {
    const r = await t.db.query<{ diff: number }>(
      `SELECT abs((SELECT area_m2 FROM areas WHERE area_set_id='stadsdelsomraden-2023' AND code='Järva')
              - (SELECT sum(area_m2) FROM areas WHERE area_set_id='stadsdelsomraden-2020' AND code IN ('Rinkeby-Kista','Spånga-Tensta')))
              / (SELECT area_m2 FROM areas WHERE area_set_id='stadsdelsomraden-2023' AND code='Järva') AS diff`);
    expect(r.rows[0].diff).toBeLessThan(0.01);
  });
});
