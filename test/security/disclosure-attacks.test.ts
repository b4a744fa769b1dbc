// The attacks of issue 15, each played as a public client would play it, its conclusion checked against the exact
// data an analyst sees (which shows the attack would work without the disclosure control). On both backends.
// Data: a single shooting in Husby on 2025-03-14 (21:10), two in Rinkeby on 2025-06-02, one in Skärholmen on
// 2025-12-31 and twenty over 2025 in Södermalm; 3,000 thefts spread over the city and 400 robberies around
// Medborgarplatsen in 2025.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseCells } from '../../server/domain/hotspots/compute-hotspots.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

type Row = { areaId: number; code: string; count: number | null; suppressed: boolean; previousCount: number | null };
type Stats = { meta: { period: { from: string; to: string }; roundingBase: number | null; disclosure?: { maxError: number } }; total: Row; rows: Row[] };
type Cell = { i: number; j: number; count: number | null; giZ: number; class: string };

const lon2x = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2y = (lat: number, z: number) => Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
const addDay = (d: string, n = 1) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** 21:10 local (CET in March) on a day */
const evening = (d: string) => new Date(`${d}T20:10:00Z`);

function decode(buf: Buffer | Uint8Array): Record<string, { props: Record<string, unknown> }[]> {
  const vt = new VectorTile(new PbfReader(new Uint8Array(buf)));
  const out: Record<string, { props: Record<string, unknown> }[]> = {};
  for (const name of Object.keys(vt.layers)) {
    const l = vt.layers[name];
    out[name] = Array.from({ length: l.length }, (_, k) => ({ props: l.feature(k).properties as Record<string, unknown> }));
  }
  return out;
}

describe.each(backends)('disclosure attacks on %s', (kind) => {
  let t: TestApp;
  let analyst = '';
  let admin = '';
  const pt: Record<string, { x: number; y: number; lon: number; lat: number; id: number }> = {};
  const get = async (url: string, key?: string) => t.app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} });
  const json = async <T>(url: string, key?: string): Promise<T> => {
    const r = await get(url, key);
    expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
    return r.json() as T;
  };
  const row = (s: Stats, code: string) => s.rows.find((r) => r.code === code)!;

  beforeAll(async () => {
    t = await openTestApp(kind);
    analyst = (await createKey(t.db, { name: 'analyst', role: 'analyst' })).key;
    admin = (await createKey(t.db, { name: 'admin', role: 'admin' })).key;
    for (const code of ['HUSBY', 'RINKEBY', 'SKÄRHOLMEN', 'SÖDERMALM']) {
      const r = await t.db.query<{ x: number; y: number; lon: number; lat: number; id: number }>(
        `SELECT ST_X(p) x, ST_Y(p) y, ST_X(ST_Transform(p, 4326)) lon, ST_Y(ST_Transform(p, 4326)) lat, id
         FROM (SELECT id, ST_PointOnSurface(geom) p FROM areas WHERE area_set_id = 'stadsdelar' AND code = $1) s`, [code]);
      pt[code] = { ...r.rows[0], id: Number(r.rows[0].id) };
    }
    const shot = (id: string, code: string, day: string): IncidentInput => ({
      externalId: id, category: 'injured', precision: 'exact', occurredFrom: evening(day), x: pt[code].x, y: pt[code].y });
    const rng = seedrandom('disclosure-attacks');
    const shootings: IncidentInput[] = [
      shot('husby-1', 'HUSBY', '2025-03-14'),
      shot('rinkeby-1', 'RINKEBY', '2025-06-02'), shot('rinkeby-2', 'RINKEBY', '2025-06-02'),
      shot('skarholmen-1', 'SKÄRHOLMEN', '2025-12-31'),
      ...Array.from({ length: 20 }, (_, k) => ({ ...shot(`sodermalm-${k}`, 'SÖDERMALM', addDay('2025-01-06', k * 17)), x: pt['SÖDERMALM'].x + rng() * 200 })),
    ];
    const e = (await t.db.query<{ x0: number; y0: number; x1: number; y1: number }>(
      `SELECT ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, ST_YMax(e) y1 FROM (SELECT ST_Extent(geom) e FROM areas WHERE area_set_id = 'stadsdelar') s`)).rows[0];
    const day = () => new Date(Date.UTC(2025, 0, 2) + Math.floor(rng() * 360) * 86_400_000 + 43_200_000);
    const crimes: IncidentInput[] = [
      ...Array.from({ length: 3000 }, (_, k) => ({ externalId: `u${k}`, category: 'stold', precision: 'exact' as const, occurredFrom: day(),
        x: e.x0 + rng() * (e.x1 - e.x0), y: e.y0 + rng() * (e.y1 - e.y0) })),
      ...Array.from({ length: 400 }, (_, k) => {
        const r = 120 * Math.sqrt(rng()), a = 2 * Math.PI * rng();
        return { externalId: `c${k}`, category: 'ran', precision: 'exact' as const, occurredFrom: day(), x: 674_620 + r * Math.cos(a), y: 6_579_020 + r * Math.sin(a) };
      }),
    ];
    await t.db.transaction(async (tx) => {
      await writeIncidents(tx, 'shootings', 'test', shootings);
      await writeIncidents(tx, 'crimes', 'test', crimes);
    });
  });
  afterAll(async () => { await t?.close(); });

  it('/api/stats: sliding one-day windows do not tell on which day Husby\'s single shooting happened', async () => {
    const q = (from: string, to: string) => `/api/stats?areaSet=stadsdelar&source=shootings&from=${from}&to=${to}`;
    // the attack works on exact data: the analyst sees the day
    expect(row(await json<Stats>(q('2025-03-14', '2025-03-15'), analyst), 'HUSBY').count).toBe(1);
    // the public: every one-day window of March is the same answer, so no day stands out
    const answers = new Set<string>();
    for (let d = 1; d <= 31; d++) {
      const day = `2025-03-${String(d).padStart(2, '0')}`;
      const h = row(await json<Stats>(q(day, addDay(day))), 'HUSBY');
      answers.add(JSON.stringify([h.count, h.suppressed]));
    }
    expect(answers.size).toBe(1);
    // [d, e) against [d, e + 1 day): no difference, whatever e
    const a = await json<Stats>(q('2025-03-01', '2025-03-14')), b = await json<Stats>(q('2025-03-01', '2025-03-15'));
    expect(b.rows.map((r) => r.count)).toEqual(a.rows.map((r) => r.count));
    // zero is not told apart from one: Husby in February (no shooting) and March (one) look the same
    const feb = row(await json<Stats>(q('2025-02-01', '2025-03-01')), 'HUSBY'), mar = row(await json<Stats>(q('2025-03-01', '2025-04-01')), 'HUSBY');
    expect([feb.count, feb.suppressed]).toEqual([mar.count, mar.suppressed]);
    expect(mar.count).toBeNull();
  });

  it('/api/stats: a custom baseline (compareFrom/compareTo) or a named comparison rule tells nothing that asking for its period does not', async () => {
    const q = (extra: string) => `/api/stats?areaSet=stadsdelar&source=shootings&from=2025-06-01&to=2025-07-01&${extra}`;
    type Prev = Stats & { meta: { previousPeriod: { from: string; to: string; rule: string } } };
    // the attack works on exact data: a one-day baseline gives the day's count as previousCount
    expect(row(await json<Prev>(q('compareFrom=2025-03-14&compareTo=2025-03-15'), analyst), 'HUSBY').previousCount).toBe(1);
    // the public: every one-day baseline of March is counted as March, so the whole answer is the same for each day
    const answers = new Set<string>();
    for (let d = 1; d <= 31; d++) {
      const day = `2025-03-${String(d).padStart(2, '0')}`;
      const s = await json<Prev>(q(`compareFrom=${day}&compareTo=${addDay(day)}`));
      expect(s.meta.previousPeriod, day).toMatchObject({ from: '2025-03-01', to: '2025-04-01', rule: 'custom' });
      answers.add(JSON.stringify([row(s, 'HUSBY'), s.total]));
    }
    expect(answers.size).toBe(1);
    // [d, e) against [d, e + 1 day) as baselines: no difference anywhere (counts, ratios, intervals)
    const a = await json<Prev>(q('compareFrom=2025-03-01&compareTo=2025-03-14')), b = await json<Prev>(q('compareFrom=2025-03-01&compareTo=2025-03-15'));
    expect(b.rows).toEqual(a.rows);
    // the baseline's published counts are the very numbers asking for March itself gives (the same events, the same
    // noise): nothing new, and Husby's single shooting stays "fewer than k"
    const march = await json<Stats>('/api/stats?areaSet=stadsdelar&source=shootings&from=2025-03-01&to=2025-04-01');
    for (const r of a.rows) expect(r.previousCount, r.code).toBe(row(march, r.code).count);
    expect(row(a, 'HUSBY').previousCount).toBeNull();
    // the named rules give public periods too: June against June 2024 or against May 2025, never a day range
    for (const [rule, from, to] of [['same-period-last-year', '2024-06-01', '2024-07-01'], ['preceding-equal-length', '2025-05-01', '2025-06-01']]) {
      const s = await json<Prev>(q(`compare=${rule}`));
      expect(s.meta.previousPeriod).toMatchObject({ from, to, rule });
    }
  });

  it('/api/stats: every published count is within the stated bound of the truth and none is 1..k−1', async () => {
    for (const [source, set] of [['crimes', 'stadsdelar'], ['crimes', 'stadsdelsomraden-2023'], ['shootings', 'stadsdelar']]) {
      const pub = await json<Stats>(`/api/stats?areaSet=${set}&source=${source}&from=2025-01-01&to=2026-01-01`);
      const exact = await json<Stats>(`/api/stats?areaSet=${set}&source=${source}&from=2025-01-01&to=2026-01-01`, analyst);
      const bound = pub.meta.disclosure?.maxError ?? 0;
      for (const [p, x] of [...pub.rows.map((r, i) => [r, exact.rows[i]]), [pub.total, exact.total]] as [Row, Row][]) {
        if (x.count! < 5) expect(p.count).toBeNull();
        else expect(Math.abs(p.count! - x.count!), `${set} ${p.code}`).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('the same events, however the question is put, get the same published count: repeating or rephrasing cannot average the noise away', async () => {
    const base = '/api/stats?areaSet=stadsdelar&source=crimes';
    const a = await json<Stats>(`${base}&from=2025-01-01&to=2026-01-01`);
    const b = await json<Stats>(`${base}&from=2025-01-01&to=2025-12-31`);
    const c = await json<Stats>(`${base}&from=2025-01-01&to=2026-01-01&category=ran,stold`); // every category there is
    const d = await json<Stats>(`${base}&from=2025-01-01&to=2026-01-01`);
    for (const x of [b, c, d]) expect(x.rows.map((r) => r.count)).toEqual(a.rows.map((r) => r.count));
    // and the OGC collection of the same period gives the same figures
    const ogc = await json<{ features: { properties: { code: string; count: number | null } }[] }>(
      '/ogc/collections/stats-stadsdelar-crimes/items?datetime=2025-01-01/2025-12-31&limit=200');
    for (const f of ogc.features) expect(f.properties.count, f.properties.code).toBe(row(a, f.properties.code).count);
  });

  it('area tiles: a year minus the same year without its last day shows nothing of that day', async () => {
    const z = 11, x = lon2x(pt['SKÄRHOLMEN'].lon, z), y = lat2y(pt['SKÄRHOLMEN'].lat, z);
    const tile = async (to: string, key?: string) => get(`/tiles/areas/${z}/${x}/${y}.mvt?areaSet=stadsdelar&source=shootings&from=2025-01-01&to=${to}`, key);
    const ex1 = decode((await tile('2026-01-01', analyst)).rawPayload).areas, ex2 = decode((await tile('2025-12-31', analyst)).rawPayload).areas;
    const sk = (fs: typeof ex1) => fs.find((f) => f.props.code === 'SKÄRHOLMEN')!.props.count;
    expect(Number(sk(ex1)) - Number(sk(ex2))).toBe(1); // the exact view does show the last day's shooting
    const p1 = await tile('2026-01-01'), p2 = await tile('2025-12-31');
    expect(Buffer.compare(p1.rawPayload, p2.rawPayload)).toBe(0);
    // the tile's counts are the public /api/stats counts
    const st = await json<Stats>('/api/stats?areaSet=stadsdelar&source=shootings&from=2025-01-01&to=2026-01-01');
    for (const f of decode(p1.rawPayload).areas) expect(f.props.count ?? null).toBe(row(st, String(f.props.code)).count);
  });

  it('hexbin tiles: no hexagon finer than 125 m and no count below k; a day more changes nothing', async () => {
    const z = 16, x = lon2x(pt.HUSBY.lon, z), y = lat2y(pt.HUSBY.lat, z);
    const tile = async (source: string, to: string, key?: string) => get(`/tiles/hexbins/${z}/${x}/${y}.mvt?source=${source}&from=2025-03-01&to=${to}`, key);
    const ana = await tile('shootings', '2025-03-15', analyst);
    expect(decode(ana.rawPayload).hexbins.map((f) => f.props.count)).toEqual([1]); // the exact view places the one shooting
    expect((await tile('shootings', '2025-03-15')).statusCode).toBe(204);
    // around the robbery cluster the public sees cells, each at least 125 m and k, and the same for [d, e) and [d, e + 1)
    const zc = 15, xc = lon2x(18.0735, zc), yc = lat2y(59.3143, zc);
    const pub = async (to: string) => get(`/tiles/hexbins/${zc}/${xc}/${yc}.mvt?source=crimes&from=2025-01-01&to=${to}`);
    const a = await pub('2025-06-10'), b = await pub('2025-06-11');
    expect(a.statusCode).toBe(200);
    expect(Buffer.compare(a.rawPayload, b.rawPayload)).toBe(0);
    for (const f of decode(a.rawPayload).hexbins) {
      expect(Number(f.props.size)).toBeGreaterThanOrEqual(125);
      expect(Number(f.props.count)).toBeGreaterThanOrEqual(5);
      expect(Number(f.props.count) % 5).toBe(0);
    }
  });

  it('hot spots: giZ, p and meta.n say nothing beyond the published counts (the Gi* equations give back only those)', async () => {
    const body = await json<{ meta: { n: number | null; period: { from: string } }; cells: Cell[] }>(
      '/api/hotspots?source=crimes&from=2025-01-01&to=2026-01-01&cellSize=250&f=json');
    const counts = body.cells.map((c) => c.count ?? 0);
    const again = analyseCells(body.cells.map((c) => ({ i: c.i, j: c.j, geometry: '' })), counts, 250, 0.05);
    again.forEach((c, k) => expect(Math.abs(c.giZ - body.cells[k].giZ)).toBeLessThan(1e-3));
    expect(body.cells.every((c) => c.count === null || (c.count >= 5 && c.count % 5 === 0))).toBe(true);
    expect(body.meta.n === null || body.meta.n % 5 === 0).toBe(true);
    // the exact view has small counts, which the public never sees
    const exact = await json<{ cells: Cell[] }>('/api/hotspots?source=crimes&from=2025-01-01&to=2026-01-01&cellSize=250&f=json', analyst);
    const small = exact.cells.filter((c) => c.count! > 0 && c.count! < 5).length;
    expect(small).toBeGreaterThan(0);
    // the robbery cluster is still found
    const hot = body.cells.filter((c) => c.class === 'hot-99');
    expect(hot.length).toBeGreaterThan(0);
  });

  it('hot spots: a one-day request for a single shooting neither gives n = 1 nor a cell around it', async () => {
    const q = '/api/hotspots?source=shootings&from=2025-03-14&to=2025-03-15&cellSize=250&f=json';
    const exact = await json<{ meta: { n: number }; cells: Cell[] }>(q, analyst);
    expect(exact.meta.n).toBe(1);
    const pub = await json<{ meta: { n: number | null; period: { from: string; to: string } }; cells: Cell[] }>(q);
    expect(pub.meta.period).toMatchObject({ from: '2025-03-01', to: '2025-04-01' });
    expect(pub.meta.n).toBeNull();
    expect(pub.cells.every((c) => c.count === null)).toBe(true);
    expect(pub.cells.every((c) => c.class === 'not-significant')).toBe(true);
    // a 50 m grid is refused for the public
    expect((await get('/api/hotspots?source=shootings&from=2025-03-14&to=2025-03-15&cellSize=50&f=json')).statusCode).toBe(400);
    // the OGC hotspots collection, one day: no exact count either
    const ogc = await json<{ incidents?: number | null; features: { properties: { count: number | null } }[] }>(
      '/ogc/collections/hotspots/items?source=shootings&datetime=2025-03-14&limit=10000');
    expect(ogc.incidents ?? null).toBeNull();
    expect(ogc.features.every((f) => f.properties.count === null)).toBe(true);
  });

  it('place evaluation: free ring widths are refused, and rings and end dates a step apart reveal no single shooting', async () => {
    const ring = (r: number) => {
      const c: number[][] = [];
      for (let i = 0; i <= 8; i++) c.push([pt.HUSBY.lon + (r * Math.cos((i * Math.PI) / 4)) / (111_320 * Math.cos((pt.HUSBY.lat * Math.PI) / 180)), pt.HUSBY.lat + (r * Math.sin((i * Math.PI) / 4)) / 111_320]);
      c[8] = c[0];
      return { type: 'Polygon', coordinates: [c] };
    };
    // a place next to the shooting (the shooting 60 m outside it, in the ring)
    const geom = ring(40);
    geom.coordinates[0] = geom.coordinates[0].map(([lon, lat]) => [lon + 100 / (111_320 * Math.cos((pt.HUSBY.lat * Math.PI) / 180)), lat]);
    const r = await t.app.inject({ method: 'POST', url: '/api/places', headers: { authorization: `Bearer ${admin}` },
      payload: { name: 'Torget', geometry: geom, status: 'active', startDate: '2025-04-01' } });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    const ev = (qs: string, key?: string) => get(`/api/places/${id}/evaluation?source=shootings&${qs}`, key);
    expect((await ev('before=2025-01-01..2025-03-31&after=2025-04-01..2025-12-31&bufferMetres=61')).statusCode).toBe(400);
    type Ev = { counts: Record<string, { before: number | null; after: number | null }>; before: { from: string; to: string } };
    const exact = (await ev('before=2025-01-01..2025-03-31&after=2025-04-01..2025-12-31&bufferMetres=100', analyst)).json() as Ev;
    expect(exact.counts.buffer.before).toBe(1); // the exact view counts the shooting in the ring
    const a = (await ev('before=2025-01-01..2025-03-13&after=2025-04-01..2025-12-31&bufferMetres=100')).json() as Ev;
    const b = (await ev('before=2025-01-01..2025-03-14&after=2025-04-01..2025-12-31&bufferMetres=100')).json() as Ev;
    const c = (await ev('before=2025-01-01..2025-03-14&after=2025-04-01..2025-12-31&bufferMetres=250')).json() as Ev;
    expect(b.counts).toEqual(a.counts); // one day more: the same public period, the same answer
    for (const v of [a, b, c]) for (const reg of Object.values(v.counts)) for (const n of [reg.before, reg.after]) expect(n === null || n >= 5).toBe(true);
  });

  it('area profile: the weekday × hour of a one-day period is the month\'s, and shows no cell below k', async () => {
    const day = (await json<{ meta: { period: { from: string; to: string } }; sources: { source: string; weekdayHour: { matrix: (number | null)[][] } }[] }>(
      `/api/areas/${pt.HUSBY.id}/profile?from=2025-03-14&to=2025-03-15`));
    const month = (await json<typeof day>(`/api/areas/${pt.HUSBY.id}/profile?from=2025-03-01&to=2025-04-01`));
    expect(day.meta.period).toMatchObject({ from: '2025-03-01', to: '2025-04-01' });
    const m = (p: typeof day) => p.sources.find((s) => s.source === 'shootings')!.weekdayHour.matrix;
    expect(m(day)).toEqual(m(month));
    expect(m(day).flat().every((v) => v === null || v >= 5)).toBe(true);
    // the exact view has the Friday 21:00 cell
    const exact = await json<typeof day>(`/api/areas/${pt.HUSBY.id}/profile?from=2025-03-14&to=2025-03-15`, analyst);
    expect(m(exact)[4][21]).toBe(1);
  });
});
