// Hostile imports through POST /api/imports/:kind as admin: malformed CSV, absurd values, broken and huge
// geometries, wrong CRS, duplicates, archives. Each is refused with a 4xx problem+json that says what is wrong,
// and nothing at all is written (row counts of every affected table unchanged).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const CSV_HEAD = 'id,occurred_from,occurred_to,category,x,y\n';
const ok = (id: string) => `${id},2025-03-01T12:00:00+01:00,,ran,670000,6580000\n`;
const AREA_OPTS = 'areaSet=hostile&level=custom&vintage=2025&codeProperty=code&nameProperty=name';

function fc(features: unknown[], extra: Record<string, unknown> = {}) {
  return JSON.stringify({ type: 'FeatureCollection', ...extra, features });
}
const feature = (code: string, coordinates: unknown, type = 'Polygon') => ({ type: 'Feature', properties: { code, name: code }, geometry: { type, coordinates } });
const square = (x: number, y: number, d = 0.01) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];

describe.each(backends)('hostile imports on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '100000' });
    admin = (await createKey(t.db, { name: 'importer', role: 'admin' })).key;
  });
  afterAll(async () => { await t?.close(); });

  const counts = async () => (await t.db.query<Record<string, number>>(`SELECT
      (SELECT count(*) FROM incidents)::int incidents, (SELECT count(*) FROM import_batches)::int batches,
      (SELECT count(*) FROM area_sets)::int sets, (SELECT count(*) FROM areas)::int areas, (SELECT count(*) FROM area_day_counts)::int rollup,
      (SELECT count(*) FROM places)::int places`)).rows[0];

  async function refused(kind_: string, query: string, body: string | Buffer, contentType = 'text/csv', why?: RegExp) {
    const before = await counts();
    const r = await t.app.inject({ method: 'POST', url: `/api/imports/${kind_}${query ? `?${query}` : ''}`, headers: { authorization: `Bearer ${admin}`, 'content-type': contentType }, payload: body });
    const label = `${kind_} ${String(body).slice(0, 60)}…: ${r.statusCode} ${r.body.slice(0, 300)}`;
    expect(r.statusCode, label).toBeGreaterThanOrEqual(400);
    expect(r.statusCode, label).toBeLessThan(500);
    expect(String(r.headers['content-type']), label).toContain('application/problem+json');
    const p = r.json();
    expect(p.detail.length, label).toBeGreaterThan(10);
    if (why) expect(JSON.stringify(p), label).toMatch(why);
    expect(await counts(), label).toEqual(before);
    return p;
  }

  it('accepts a good file (the baseline these refusals are measured against)', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/imports/crimes', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, payload: CSV_HEAD + ok('good1') });
    expect(r.statusCode, r.body).toBeLessThan(300);
    expect((await counts()).incidents).toBe(1);
  });

  it('refuses malformed CSV: unbalanced quotes, wrong column count, a 10 MB line, no header', async () => {
    await refused('crimes', '', CSV_HEAD + ok('a1') + 'a2,"2025-03-01T12:00:00+01:00,,ran,670000,6580000\n' + ok('a3'), 'text/csv', /line|quote/i);
    await refused('crimes', '', CSV_HEAD + ok('b1') + 'b2,2025-03-01T12:00:00+01:00,ran\n', 'text/csv', /line 3|column/i);
    await refused('crimes', '', CSV_HEAD + ok('c1') + `c2,2025-03-01T12:00:00+01:00,,${'x'.repeat(10 * 1024 * 1024)},670000,6580000\n`, 'text/csv');
    await refused('crimes', '', 'just some text\nwithout the columns\n', 'text/csv', /column|header|id/i);
    await refused('crimes', '', '', 'text/csv');
  });

  it('refuses impossible values: NaN/Infinity coordinates, the year 10000, points outside Sweden, duplicate ids', async () => {
    await refused('crimes', '', CSV_HEAD + ok('d1') + 'd2,2025-03-01T12:00:00+01:00,,ran,NaN,6580000\n', 'text/csv', /line 3/);
    await refused('crimes', '', CSV_HEAD + ok('e1') + 'e2,2025-03-01T12:00:00+01:00,,ran,670000,Infinity\n', 'text/csv', /line 3/);
    await refused('crimes', '', CSV_HEAD + ok('f1') + 'f2,10000-01-01T00:00:00Z,,ran,670000,6580000\n', 'text/csv', /line 3/);
    await refused('crimes', '', CSV_HEAD + ok('g1') + 'g2,2025-02-30T12:00:00+01:00,,ran,670000,6580000\n', 'text/csv', /line 3/);
    await refused('crimes', '', CSV_HEAD + ok('h1') + 'h2,2025-03-01T12:00:00+01:00,,ran,1e308,-1e308\n', 'text/csv', /line 3/);
    await refused('crimes', '', CSV_HEAD + ok('i1') + ok('i1'), 'text/csv', /line 3|duplicate|repeat/i);
    await refused('crimes', '', CSV_HEAD + ok('j1') + `j2,2025-03-01T12:00:00+01:00,,=HYPERLINK("http://x"),670000,'; DROP TABLE incidents;--\n`, 'text/csv', /line 3/);
  });

  it('refuses broken geometry: self-intersecting, empty, 1,000,000 vertices, NaN, wrong CRS, duplicate codes', async () => {
    const bowtie = [[[18.0, 59.3], [18.02, 59.32], [18.02, 59.3], [18.0, 59.32], [18.0, 59.3]]];
    await refused('areas', AREA_OPTS, fc([feature('A', square(18.0, 59.3)), feature('B', bowtie)]), 'application/geo+json', /self|valid|intersect/i);
    await refused('areas', AREA_OPTS, fc([feature('A', square(18.0, 59.3)), feature('B', [])]), 'application/geo+json', /empty|coordinates|geometry/i);
    await refused('areas', AREA_OPTS, fc([]), 'application/geo+json');
    const ring: number[][] = [];
    for (let i = 0; i < 1_000_000; i++) { const a = (2 * Math.PI * i) / 1_000_000; ring.push([+(18.05 + 0.01 * Math.cos(a)).toFixed(7), +(59.33 + 0.005 * Math.sin(a)).toFixed(7)]); }
    ring.push(ring[0]);
    await refused('areas', AREA_OPTS, fc([feature('BIG', [ring])]), 'application/geo+json', /vertices/i);
    await refused('areas', AREA_OPTS, fc([feature('A', [[[18.0, 59.3], ['NaN', 59.3], [18.01, 59.31], [18.0, 59.3]]])]), 'application/geo+json');
    await refused('areas', AREA_OPTS, fc([feature('A', [[[18.0, 59.3], [null, 59.3], [18.01, 59.31], [18.0, 59.3]]])]), 'application/geo+json');
    // SWEREF 99 TM metres declared (by default) as WGS84 degrees
    await refused('areas', AREA_OPTS, fc([feature('A', [[[670000, 6580000], [671000, 6580000], [671000, 6581000], [670000, 6580000]]])]), 'application/geo+json');
    await refused('areas', AREA_OPTS, fc([feature('A', square(18.0, 59.3)), feature('A', square(18.1, 59.3))]), 'application/geo+json', /duplicate|repeat|A/i);
    await refused('areas', AREA_OPTS, '{"type":"FeatureCollection","features":[', 'application/geo+json');
    await refused('areas', AREA_OPTS, fc([feature('P', [18.0, 59.3], 'Point')]), 'application/geo+json');
  });

  it('a damaged ZIP is refused before anything is unpacked: as crimes, and as the zipped Shapefile an areas import accepts', async () => {
    const zipHeader = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]), Buffer.alloc(200, 0)]);
    await refused('crimes', '', zipHeader, 'application/zip');
    await refused('areas', AREA_OPTS, zipHeader, 'application/zip');
    await refused('crimes', '', zipHeader, 'text/csv');
  });
});
