// Issue 15, extents and provenance: the OGC temporal extents and the import batches' first/last dates used to give
// the public the exact time of the first and the last shooting. An attacker imports nothing, only reads: no public
// response may carry those days or times, only month bounds (first day of the first month, last day of the last
// month, local time); analysts and admins still see the exact instants.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { importOptionsSchema } from '../../server/ingest/import-options.js';
import { runImport } from '../../server/ingest/run-import.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

// the first and the last shooting, local time (CET in March, CEST in October)
const FIRST = '2024-03-17T21:14:00+01:00', LAST = '2025-10-02T03:40:00+02:00';
const FIRST_UTC = '2024-03-17T20:14:00.000Z', LAST_UTC = '2025-10-02T01:40:00.000Z';
/** What must not reach the public: the two days and the times, local and UTC, in any format. */
const SECRETS = ['2024-03-17', '2025-10-02', '21:14', '20:14', '03:40', '01:40', '17 mar', '2 okt', '2 oct'];
const MONTH_FIRST = '2024-03-01', MONTH_LAST = '2025-10-31';

/** The secrets found in a text (or a value as JSON); importedAt is the time of the import, not of an event: left out. */
function leaks(v: string | unknown): string[] {
  const low = (typeof v === 'string' ? v : JSON.stringify(v, (k, x) => (k === 'importedAt' ? undefined : x))).toLowerCase();
  return SECRETS.filter((s) => low.includes(s));
}

describe.each(backends)('extents and provenance disclosure on %s', (kind) => {
  let t: TestApp;
  let analyst: string, staff: string;
  let husby: number;
  const get = async (url: string, auth?: string) => {
    const r = await t.app.inject({ url, headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
    return r;
  };

  beforeAll(async () => {
    t = await openTestApp(kind);
    const pt = (await t.db.query<{ id: number; x: number; y: number }>(
      `SELECT id, ST_X(p) x, ST_Y(p) y FROM (SELECT id, ST_PointOnSurface(geom) p FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY') s`)).rows[0];
    husby = Number(pt.id);
    // 12 shootings in Husby: the first and the last at known minutes, ten in between
    const lines = ['id,occurred_at,x,y,outcome,confirmed', `S-first,${FIRST},${pt.x},${pt.y},injured,true`, `S-last,${LAST},${pt.x + 5},${pt.y},none,true`];
    for (let i = 0; i < 10; i++) lines.push(`S-${i},2024-${String(5 + i % 7).padStart(2, '0')}-1${i % 9}T12:00:00+02:00,${pt.x + i},${pt.y + 3},${i % 2 ? 'none' : 'injured'},true`);
    const s = await runImport(t.db, { kind: 'shootings', options: importOptionsSchema.parse({}), input: Readable.from([Buffer.from(lines.join('\n') + '\n')]), fileName: 'shootings.csv' });
    expect(s.inserted).toBe(12);
    analyst = (await createKey(t.db, { name: 'extent analyst', role: 'analyst' })).key;
    staff = (await createKey(t.db, { name: 'extent staff', role: 'staff', districts: ['HUSBY'] })).key;
  });
  afterAll(async () => { await t?.close(); });

  it('OGC: the collection list and every collection document show the public month bounds only; analysts the instants', async () => {
    for (const who of [undefined, staff]) {
      const list = await get('/ogc/collections', who);
      expect(leaks(list.body), 'collections').toEqual([]);
      const ids = (list.json().collections as { id: string }[]).map((c) => c.id);
      for (const id of ids) {
        const c = await get(`/ogc/collections/${id}`, who);
        expect(leaks(c.body), id).toEqual([]);
      }
      const html = await get('/ogc/collections/stats-stadsdelar-shootings?f=html', who);
      expect(leaks(html.body), 'html').toEqual([]);
      const doc = (await get('/ogc/collections/stats-stadsdelar-shootings', who)).json();
      expect(doc.extent.temporal.interval).toEqual([[MONTH_FIRST, MONTH_LAST]]);
    }
    const exact = (await get('/ogc/collections/stats-stadsdelar-shootings', analyst)).json();
    expect(exact.extent.temporal.interval).toEqual([[FIRST_UTC, LAST_UTC]]);
    const inc = (await get('/ogc/collections/incidents', analyst)).json();
    expect(inc.extent.temporal.interval[0][1]).toBe(LAST_UTC);
  });

  it('/api/stats and the profile: meta.provenance gives the batch span as month bounds; analysts the instants', async () => {
    for (const who of [undefined, staff]) {
      const st = (await get('/api/stats?areaSet=stadsdelar&source=shootings&from=2024-01-01&to=2026-01-01', who)).json();
      expect(leaks(st.meta.provenance), 'stats').toEqual([]);
      const b = st.meta.provenance.incidentBatches.find((x: { fileName: string }) => x.fileName === 'shootings.csv');
      expect([b.firstOccurred, b.lastOccurred]).toEqual([MONTH_FIRST, MONTH_LAST]);
      const p = (await get(`/api/areas/${husby}/profile?from=2024-01-01&to=2026-01-01`, who)).json();
      expect(leaks(p.meta.provenance), 'profile').toEqual([]);
    }
    const st = (await get('/api/stats?areaSet=stadsdelar&source=shootings&from=2024-01-01&to=2026-01-01', analyst)).json();
    const b = st.meta.provenance.incidentBatches.find((x: { fileName: string }) => x.fileName === 'shootings.csv');
    expect([b.firstOccurred, b.lastOccurred]).toEqual([FIRST_UTC, LAST_UTC]);
  });

  it('the lägesbild JSON: the data-sources section gives month bounds; analysts the local days', async () => {
    for (const who of [undefined, staff]) {
      const c = (await get(`/api/reports/lagesbild?areaId=${husby}&from=2024-01-01&to=2026-01-01&f=json`, who)).json();
      expect(leaks(c.sources), 'sources').toEqual([]);
      const s = c.sources.find((x: { source: string }) => x.source === 'shootings');
      expect([s.firstDay, s.lastDay]).toEqual([MONTH_FIRST, MONTH_LAST]);
    }
    const c = (await get(`/api/reports/lagesbild?areaId=${husby}&from=2024-01-01&to=2026-01-01&f=json`, analyst)).json();
    const s = c.sources.find((x: { source: string }) => x.source === 'shootings');
    expect([s.firstDay, s.lastDay]).toEqual(['2024-03-17', '2025-10-02']);
  });
});
