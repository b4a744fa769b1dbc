// The before/after evaluation on seeded generated incidents with a known injected effect, on both backends:
// −40 % inside a place with the removed incidents displaced into the ring → displacement-suspected; the same fall
// without displacement → improved; no effect (with a common +15 % trend) over three seeds → no-detectable-change.
// Also: the counts equal the generated ones, default periods, suppression for the public, parameter errors.
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../server/db/index.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const M_LAT = 1 / 111_320;
const M_LON = 1 / (111_320 * Math.cos((59.3 * Math.PI) / 180));
function octagon([lon, lat]: [number, number], r = 80) {
  const ring: number[][] = [];
  for (let i = 0; i < 8; i++) ring.push([lon + r * Math.cos((i * Math.PI) / 4) * M_LON, lat + r * Math.sin((i * Math.PI) / 4) * M_LAT]);
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

function poisson(rng: () => number, lambda: number): number {
  // sum of Knuth draws of at most 30 each keeps it exact and fast enough for λ ≤ 2000
  let n = 0, rest = lambda;
  while (rest > 0) {
    const l = Math.exp(-Math.min(rest, 30));
    let k = 0, p = 1;
    do { k++; p *= rng(); } while (p > l);
    n += k - 1; rest -= 30;
  }
  return n;
}
const binomial = (rng: () => number, n: number, p: number) => { let k = 0; for (let i = 0; i < n; i++) if (rng() < p) k++; return k; };

type Region = 'place' | 'ring' | 'control';
type Plan = Record<Region, { before: number; after: number }>;

/** Points inside a region of a place, from PostGIS's seeded ST_GeneratePoints (the ring and control keep 10 m off the ring's edge). */
async function points(db: Queryable, placeId: number, region: Region, n: number, seed: number): Promise<[number, number][]> {
  if (n === 0) return [];
  const geom = {
    place: 'p.geom',
    ring: 'ST_Difference(ST_Buffer(p.geom, 240), p.geom)',
    control: 'ST_Difference(d.geom, ST_Buffer(p.geom, 260))',
  }[region];
  const r = await db.query<{ x: number; y: number }>(
    `SELECT ST_X(g.geom) AS x, ST_Y(g.geom) AS y FROM places p JOIN areas d ON d.id = p.district_area_id,
       LATERAL ST_Dump(ST_GeneratePoints(${geom}, $2::int, $3::int)) g WHERE p.id = $1`, [placeId, n, seed]);
  return r.rows.map((x) => [x.x, x.y]);
}

function dayIn(rng: () => number, year: number): Date {
  const start = Date.UTC(year, 0, 1), days = year === 2024 ? 366 : 365;
  return new Date(start + Math.floor(rng() * days) * 86_400_000 + (6 + Math.floor(rng() * 14)) * 3_600_000 + Math.floor(rng() * 3_600_000));
}

async function generate(db: Queryable, placeId: number, category: string, plan: Plan, seed: number): Promise<void> {
  const rng = seedrandom(`${category}-${seed}`);
  const rows: IncidentInput[] = [];
  let s = seed * 100;
  for (const region of ['place', 'ring', 'control'] as Region[]) {
    for (const [period, year] of [['before', 2024], ['after', 2025]] as const) {
      const pts = await points(db, placeId, region, plan[region][period], ++s);
      pts.forEach(([x, y], i) => rows.push({ externalId: `${category}-${region}-${period}-${i}`, category, occurredFrom: dayIn(rng, year), x, y, precision: 'exact' }));
    }
  }
  await (db as unknown as { transaction: (f: (tx: Queryable) => Promise<unknown>) => Promise<unknown> }).transaction((tx) => writeIncidents(tx, 'crimes', 'test', rows));
}

describe.each(backends)('place evaluation on %s', (kind) => {
  let t: TestApp;
  let analyst = '';
  const place: Record<string, number> = {};
  const plans: Record<string, Plan> = {};

  beforeAll(async () => {
    t = await openTestApp(kind);
    analyst = (await createKey(t.db, { name: 'analyst', role: 'analyst' })).key;
    const admin = (await createKey(t.db, { name: 'admin', role: 'admin' })).key;
    const stations: Record<string, [number, number]> = {
      A: [17.927332, 59.409086], B: [18.101237, 59.236064], C1: [18.133508, 59.276596], C2: [17.843408, 59.366488], C3: [18.082773, 59.258429],
    };
    for (const [k, at] of Object.entries(stations)) {
      const r = await t.app.inject({ method: 'POST', url: '/api/places', headers: { authorization: `Bearer ${admin}` }, payload: { name: `Plats ${k}`, geometry: octagon(at), status: 'active', startDate: '2025-01-01' } });
      expect(r.statusCode, r.body).toBe(201);
      place[k] = r.json().id;
    }
    // A: −40 % inside after the start, the removed incidents displaced into the ring
    {
      const rng = seedrandom('A');
      const t1 = poisson(rng, 150), moved = binomial(rng, t1, 0.4);
      plans.A = { place: { before: poisson(rng, 150), after: t1 - moved }, ring: { before: poisson(rng, 100), after: poisson(rng, 100) + moved }, control: { before: poisson(rng, 1000), after: poisson(rng, 1000) } };
    }
    // B: the same fall, removed incidents simply gone
    {
      const rng = seedrandom('B');
      const t1 = poisson(rng, 150);
      plans.B = { place: { before: poisson(rng, 150), after: t1 - binomial(rng, t1, 0.4) }, ring: { before: poisson(rng, 100), after: poisson(rng, 100) }, control: { before: poisson(rng, 1000), after: poisson(rng, 1000) } };
    }
    // C1–C3: no effect, a common +15 % trend everywhere
    for (const [i, k] of ['C1', 'C2', 'C3'].entries()) {
      const rng = seedrandom(`no-effect-${i + 1}`);
      plans[k] = { place: { before: poisson(rng, 40), after: poisson(rng, 46) }, ring: { before: poisson(rng, 60), after: poisson(rng, 69) }, control: { before: poisson(rng, 600), after: poisson(rng, 690) } };
    }
    // small: a handful at A's place, for the suppression rule
    plans.small = { place: { before: 3, after: 2 }, ring: { before: 6, after: 7 }, control: { before: 50, after: 52 } };
    for (const [k, plan] of Object.entries(plans)) await generate(t.db, place[k === 'small' ? 'A' : k], `test-${k.toLowerCase()}`, plan, Object.keys(plans).indexOf(k) + 1);
    // anchors that fix the data's coverage to 2024-01-01 … 2025-12-31
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'test', [
      { externalId: 'anchor-1', category: 'anchor', occurredFrom: new Date('2024-01-01T08:00:00Z'), x: 674000, y: 6580000, precision: 'exact' },
      { externalId: 'anchor-2', category: 'anchor', occurredFrom: new Date('2025-12-31T08:00:00Z'), x: 674000, y: 6580000, precision: 'exact' },
    ]));
  });
  afterAll(async () => { await t?.close(); });

  const evaluate = (k: string, query: string, who: 'analyst' | 'public' = 'analyst') => t.app.inject({
    url: `/api/places/${place[k]}/evaluation?${query}`, headers: who === 'analyst' ? { authorization: `Bearer ${analyst}` } : {},
  });
  const q = (cat: string) => `source=crimes&category=${cat}&before=2024-01-01..2024-12-31&after=2025-01-01..2025-12-31`;

  it('counts exactly the generated incidents in the place, the ring and the control area', async () => {
    for (const k of ['A', 'B', 'C1']) {
      const e = (await evaluate(k, q(`test-${k.toLowerCase()}`))).json();
      const p = plans[k];
      expect(e.counts.place, k).toMatchObject({ before: p.place.before, after: p.place.after });
      expect(e.counts.buffer, k).toMatchObject({ before: p.ring.before, after: p.ring.after });
      expect(e.counts.control, k).toMatchObject({ before: p.control.before, after: p.control.after });
      expect(e.counts.place.beforePerDay).toBeCloseTo(p.place.before / 366, 10);
      expect(e.counts.place.afterPerDay).toBeCloseTo(p.place.after / 365, 10);
      const sum = (region: 'place' | 'buffer' | 'control', period: string) => e.series.filter((m: { period: string }) => m.period === period).reduce((s: number, m: Record<string, number>) => s + m[region], 0);
      expect(sum('place', 'after')).toBe(p.place.after);
      expect(sum('control', 'before')).toBe(p.control.before);
      expect(e.series).toHaveLength(24);
      expect(e.control).toMatchObject({ isPlaceDistrict: true });
      expect(e.suppressed).toBe(false);
    }
  });

  it('finds the injected −40 % with displacement into the ring: displacement-suspected', async () => {
    const e = (await evaluate('A', q('test-a'))).json();
    expect(e.verdict).toBe('displacement-suspected');
    expect(e.differenceInDifferences.place.ciHigh).toBeLessThan(1);
    expect(e.differenceInDifferences.buffer.ciLow).toBeGreaterThan(1);
    expect(e.wdd.local / e.wdd.localSe).toBeLessThan(-1.96); // the place itself fell
    expect(e.wdd.significant).toBe(false); // but the net effect with the ring is nil: it moved
    expect(e.wdq.wdq).toBeLessThan(0);
    expect(e.sentence.en).toContain(`from ${plans.A.place.before} to ${plans.A.place.after}`);
    expect(e.sentence.sv).toContain('förflyttning');
  });

  it('finds the same fall without displacement: improved, with a DiD CI below 1', async () => {
    const e = (await evaluate('B', q('test-b'))).json();
    expect(e.verdict).toBe('improved');
    const rr = e.differenceInDifferences.place;
    expect(rr.ciHigh).toBeLessThan(1);
    expect(rr.ratio).toBeGreaterThan(0.45);
    expect(rr.ratio).toBeLessThan(0.75);
    expect(e.wdd.significant).toBe(true);
    expect(e.wdd.wdd).toBeLessThan(0);
    expect(e.sentence.en).toMatch(/significant improvement/);
  });

  it('reports no-detectable-change when nothing happened but a common trend (three seeds)', async () => {
    for (const k of ['C1', 'C2', 'C3']) {
      const e = (await evaluate(k, q(`test-${k.toLowerCase()}`))).json();
      expect(e.verdict, `${k}: ${e.sentence.en}`).toBe('no-detectable-change');
      expect(e.differenceInDifferences.place.ciLow).toBeLessThan(1);
      expect(e.differenceInDifferences.place.ciHigh).toBeGreaterThan(1);
    }
  });

  it('defaults to the year before and the time after the start date, and clips to the data', async () => {
    const e = (await evaluate('B', 'category=test-b')).json();
    expect(e.before).toEqual({ from: '2024-01-01', to: '2024-12-31', days: 366 });
    expect(e.after).toEqual({ from: '2025-01-01', to: '2025-12-31', days: 365 });
    expect(e.clippedToData).toBe(false);
    expect(e.verdict).toBe('improved');
    const c = (await evaluate('B', 'category=test-b&before=2023-06-01..2024-12-31&after=2025-01-01..2026-06-30')).json();
    expect(c.clippedToData).toBe(true);
    expect(c.before.from).toBe('2024-01-01');
    expect(c.after.to).toBe('2025-12-31');
  });

  it('hides small counts and what could reveal them from the public; the verdict comes from the published counts', async () => {
    const pub = (await evaluate('A', q('test-small'), 'public')).json();
    const ana = (await evaluate('A', q('test-small'))).json();
    expect(ana.counts.place).toMatchObject({ before: 3, after: 2 });
    expect(ana.differenceInDifferences.place).not.toBeNull();
    expect(pub.counts.place).toEqual({ before: null, after: null, beforePerDay: null, afterPerDay: null });
    expect(pub.counts.buffer.before).toBe(5); // 6 ± 1, rounded to a multiple of 5
    expect(pub.differenceInDifferences.place).toBeNull();
    expect(pub.wdd).toBeNull();
    expect(pub.wdq).toBeNull();
    expect(pub.suppressed).toBe(true);
    expect(pub.verdict).toBe('no-detectable-change'); // nothing in the published counts supports more
    expect(pub.sentence.en).not.toMatch(/\b[1-4]\b/);
    expect(pub.series.every((m: { place: number | null }) => m.place === null || m.place >= 5)).toBe(true);
    // big counts are shown to the public within the stated bound, and the verdict of a clear effect holds
    const big = (await evaluate('A', q('test-a'), 'public')).json();
    expect(Math.abs(big.counts.place.before - plans.A.place.before)).toBeLessThanOrEqual(3);
    expect(big.counts.place.before % 5).toBe(0);
    expect(big.suppressed).toBe(false);
    expect(big.verdict).toBe((await evaluate('A', q('test-a'))).json().verdict);
  });

  it('takes another control area, and answers bad parameters with a 400 naming them', async () => {
    const rk = (await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelsomraden-2020' AND code = 'Rinkeby-Kista'`)).rows[0].id;
    const e = await evaluate('A', `${q('test-a')}&controlAreaId=${rk}&bufferMetres=150`);
    expect(e.statusCode).toBe(200);
    expect(e.json().control).toMatchObject({ code: 'Rinkeby-Kista', isPlaceDistrict: false });
    expect(e.json().bufferMetres).toBe(150);
    for (const [query, param] of [
      ['before=2024-01-01', 'before'], ['before=2024-13-01..2024-12-31', 'before'], ['after=2024-06-01..2025-01-01&before=2024-01-01..2024-12-31', 'after'],
      ['bufferMetres=5000', 'bufferMetres'], ['source=weather', 'source'], ['controlAreaId=99999999', 'controlAreaId'], ['category=a;b', 'category'],
    ]) {
      const r = await evaluate('A', query);
      expect(r.statusCode, query).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().detail, query).toContain(param);
    }
  });
});
