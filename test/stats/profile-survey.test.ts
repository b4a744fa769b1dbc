// The area profile (aoristic weekday × hour, breakdowns, survey, places), /api/survey and /api/divergence.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../server/domain/statistics/wilson.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { hashSecret } from '../../server/domain/keys/hash-secret.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const KEY = 'analyst-' + crypto.randomBytes(8).toString('hex');
const results: Record<string, unknown> = {};

describe.each(backends)('area profile, survey and divergence on %s', (kind) => {
  let t: TestApp;
  let husby: number, rinkeby: number;
  const get = async (url: string, key?: string) => {
    const r = await t.app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    t = await openTestApp(kind);
    const pt = async (code: string) => (await t.db.query<{ id: number; x: number; y: number }>(
      `SELECT id, ST_X(p) x, ST_Y(p) y FROM (SELECT id, ST_PointOnSurface(geom) p FROM areas WHERE area_set_id='stadsdelar' AND code=$1) s`, [code])).rows[0];
    const h = await pt('HUSBY'), r = await pt('RINKEBY');
    husby = Number(h.id); rinkeby = Number(r.id);
    // guard reports in Husby: one with a whole-day span (Monday 2024-03-04, local midnight to midnight),
    // one 10:30–12:30 on Tuesday, one exact at Wednesday 18:15 (all local, CET = UTC+1)
    const guard: IncidentInput[] = [
      { externalId: 'day', category: 'avvisning', occurredFrom: new Date('2024-03-03T23:00:00Z'), occurredTo: new Date('2024-03-04T23:00:00Z'), x: h.x, y: h.y, precision: 'exact' },
      { externalId: 'two-hours', category: 'lob', occurredFrom: new Date('2024-03-05T09:30:00Z'), occurredTo: new Date('2024-03-05T11:30:00Z'), x: h.x, y: h.y, precision: 'exact' },
      { externalId: 'exact', category: 'lob', occurredFrom: new Date('2024-03-06T17:15:00Z'), x: h.x, y: h.y, precision: 'exact' },
    ];
    // crimes: 12 in Husby in 2024 (9 'ran', 3 'stold'), 8 in Rinkeby
    const crimes: IncidentInput[] = [
      ...Array.from({ length: 12 }, (_, i) => ({ externalId: `h${i}`, category: i < 9 ? 'ran' : 'stold', occurredFrom: new Date(Date.UTC(2024, i, 10, 12)), x: h.x + i, y: h.y, precision: 'exact' as const })),
      ...Array.from({ length: 8 }, (_, i) => ({ externalId: `r${i}`, category: 'ran', occurredFrom: new Date(Date.UTC(2024, i, 12, 20)), x: r.x + i, y: r.y, precision: 'exact' as const })),
    ];
    await t.db.transaction(async (tx) => {
      await writeIncidents(tx, 'guard-reports', 'file', guard, null);
      await writeIncidents(tx, 'crimes', 'file', crimes, null);
      await tx.query(`INSERT INTO survey_indicators (code, text_sv, text_en, kind, direction) VALUES
        ('otrygg-kvall', 'Känner sig otrygg ute sent en kväll', 'Feels unsafe out late in the evening', 'share', 'higher-is-worse'),
        ('trygg-dag', 'Känner sig trygg dagtid', 'Feels safe in daytime', 'share', 'higher-is-better')`);
      await tx.query(`INSERT INTO survey_waves (id, name, year, area_set_id) VALUES ('tm2021', 'Trygghetsmätning 2021', 2021, 'stadsdelar'), ('tm2023', 'Trygghetsmätning 2023', 2023, 'stadsdelar')`);
      const ins = (w: string, area: number, ind: string, grp: string, n: number, v: number, lo: number | null = null, hi: number | null = null) => tx.query(
        `INSERT INTO survey_results (wave_id, area_id, indicator, grp, respondents, value, ci_low, ci_high, row_hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'x')`, [w, area, ind, grp, n, v, lo, hi]);
      await ins('tm2021', husby, 'otrygg-kvall', 'all', 400, 0.30);
      await ins('tm2023', husby, 'otrygg-kvall', 'all', 400, 0.40);
      await ins('tm2023', husby, 'otrygg-kvall', 'female', 210, 0.5, 0.43, 0.57);
      await ins('tm2023', husby, 'otrygg-kvall', '16-29', 25, 0.44);
      await ins('tm2023', rinkeby, 'otrygg-kvall', 'all', 20, 0.45);
      const others = (await tx.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id='stadsdelar' AND code IN ('AKALLA','KISTA','TENSTA','SPÅNGA') ORDER BY code`)).rows;
      for (const [i, o] of others.entries()) await ins('tm2023', Number(o.id), 'otrygg-kvall', 'all', 300, i === 0 ? 0.6 : 0.1 + 0.05 * i);
      await tx.query(`INSERT INTO places (name, geom, status) SELECT 'Husby centrum', ST_Multi(ST_Buffer(ST_PointOnSurface(geom), 50)), 'active' FROM areas WHERE id = $1`, [husby]);
      await tx.query(`INSERT INTO api_keys (name, role, key_hash) VALUES ('t', 'analyst', $1)`, [hashSecret(KEY)]);
    });
  });
  afterAll(async () => { await t?.close(); });

  it('weekday × hour is aoristic: a whole-day span sums to 1 over its 24 hours, a 2-hour span splits by time', async () => {
    const p = await get(`/api/areas/${husby}/profile?from=2024-01-01&to=2025-01-01`, KEY);
    const guard = p.sources.find((s: { source: string }) => s.source === 'guard-reports');
    const m = guard.weekdayHour.matrix as number[][];
    expect(guard.weekdayHour.weighting).toBe('aoristic');
    const monday = m[0];
    expect(monday.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (const v of monday) expect(v).toBeCloseTo(1 / 24, 6);
    // Tuesday 10:30–12:30 local: 30 min in 10, 60 in 11, 30 in 12
    expect(m[1][10]).toBeCloseTo(0.25, 6); expect(m[1][11]).toBeCloseTo(0.5, 6); expect(m[1][12]).toBeCloseTo(0.25, 6);
    expect(m[2][18]).toBe(1); // the exact one: Wednesday 18:15 local
    expect(m.flat().reduce((a, b) => a + b, 0)).toBeCloseTo(3, 6);
    expect(guard.weekdayHour.total).toBeCloseTo(3, 6);
  });

  it('profile: counts, city reference, crimes by category, monthly series, places, survey, provenance', async () => {
    const p = await get(`/api/areas/${husby}/profile?from=2024-01-01&to=2025-01-01`, KEY);
    expect(p.meta.area.code).toBe('HUSBY');
    const crimes = p.sources.find((s: { source: string }) => s.source === 'crimes');
    expect(crimes.area.count).toBe(12);
    expect(crimes.city.count).toBe(20);
    expect(Object.fromEntries(crimes.byCategory.map((c: { code: string; count: number }) => [c.code, c.count]))).toEqual({ ran: 9, stold: 3 });
    const months = crimes.monthly as { month: string; count: number }[];
    expect(months[0].month).toBe('2022-01');
    expect(months.at(-1)!.month).toBe('2024-12');
    expect(months.filter((x) => x.month.startsWith('2024')).every((x) => x.count === 1)).toBe(true);
    expect(crimes.vsRestOfSet.available).toBe(true);
    expect(p.places.map((x: { name: string }) => x.name)).toContain('Husby centrum');
    expect(p.survey.wave.id).toBe('tm2023');
    expect(p.survey.previousWave.id).toBe('tm2021');
    const all = p.survey.items.find((i: { indicator: string; group: string }) => i.indicator === 'otrygg-kvall' && i.group === 'all');
    expect(all.value).toBe(0.4); expect(all.previousWaveValue).toBe(0.3);
    expect(all.differenceSignificant).toBe(true); // 0.40 vs 0.30, n 400 each: z = 2.98
    expect(p.survey.items.map((i: { group: string }) => i.group)).toEqual(['all', 'female', '16-29']);
    expect(p.meta.provenance.areaSetBatch.kind).toBe('areas');
    results[kind] = p;
  });

  it('the public profile hides small numbers: 12 crimes shown protected, the 3 thefts, the monthly 1s and the matrix cells hidden', async () => {
    const p = await get(`/api/areas/${husby}/profile?from=2024-01-01&to=2025-01-01`);
    expect(p.meta.roundingBase).toBe(5);
    const crimes = p.sources.find((s: { source: string }) => s.source === 'crimes');
    expect([10, 15]).toContain(crimes.area.count); // 12 ± 1, rounded to a multiple of 5
    const cats = Object.fromEntries(crimes.byCategory.map((c: { code: string; count: number | null }) => [c.code, c.count]));
    expect(cats.stold).toBeNull();
    // 12 − 9 would reveal the 3 thefts: the published figures never differ by 3
    if (cats.ran !== null) expect(crimes.area.count - cats.ran).not.toBe(3);
    expect(crimes.monthly.every((m: { count: number | null }) => m.count === null || m.count === 0)).toBe(true);
    const guard = p.sources.find((s: { source: string }) => s.source === 'guard-reports');
    expect(guard.weekdayHour.matrix.flat().every((v: number | null) => v === null || v === 0)).toBe(true);
    expect(guard.area.count).toBeNull();
    const young = p.survey.items.find((i: { group: string }) => i.group === '16-29');
    expect(young.value).toBeNull(); expect(young.suppressed).toBe(true); expect(young.suppression).toBe('primary'); expect(young.respondents).toBeNull();
  });

  it('/api/survey: Wilson CI when the file gave none, the file CI otherwise, wave test, < 30 respondents hidden for the public', async () => {
    const pub = await get('/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall');
    expect(pub.meta.wave.id).toBe('tm2023');
    expect(pub.meta.previousWave.id).toBe('tm2021');
    const h = pub.rows.find((r: { code: string }) => r.code === 'HUSBY');
    const w = wilsonInterval(0.4, 400)!;
    expect(h.ciLow).toBeCloseTo(w.low, 10); expect(h.ciHigh).toBeCloseTo(w.high, 10);
    expect(h.ciSource).toBe('wilson');
    expect(h.differenceSignificant).toBe(true);
    const r = pub.rows.find((x: { code: string }) => x.code === 'RINKEBY');
    expect(r.value).toBeNull(); expect(r.suppressed).toBe(true); expect(r.respondents).toBeNull();
    const an = await get('/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall', KEY);
    expect(an.rows.find((x: { code: string }) => x.code === 'RINKEBY').value).toBe(0.45);
    const fem = await get('/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall&group=female&wave=tm2023');
    const hf = fem.rows.find((x: { code: string }) => x.code === 'HUSBY');
    expect([hf.ciLow, hf.ciHigh, hf.ciSource]).toEqual([0.43, 0.57, 'file']);
    const csv = await t.app.inject('/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall&f=csv&sep=semicolon');
    expect(csv.body.charCodeAt(0)).toBe(0xfeff);
    expect(csv.body).toContain(';HUSBY;Husby;0,4;');
    expect((await get('/api/survey/waves')).map((x: { id: string }) => x.id)).toEqual(['tm2023', 'tm2021']);
    expect((await get('/api/survey/indicators')).map((x: { code: string }) => x.code)).toEqual(['otrygg-kvall', 'trygg-dag']);
    expect((await t.app.inject('/api/survey?areaSet=stadsdelar&indicator=nope')).statusCode).toBe(400); // with the valid codes (issue 17)
    expect((await t.app.inject('/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall&group=children')).statusCode).toBe(400);
  });

  it('/api/divergence: z-scores relative to the scored areas, class by |zFear − zCrime| > 1', async () => {
    const d = await get('/api/divergence?areaSet=stadsdelar&indicator=otrygg-kvall&source=crimes&from=2024-01-01&to=2025-01-01', KEY);
    expect(d.meta.threshold).toBe(1);
    const scored = d.rows.filter((r: { class: string | null }) => r.class !== null);
    // every area with a survey value and a known population is scored: Husby, Rinkeby (the analyst sees n=20) and the others seeded
    expect(scored.length).toBe(d.rows.filter((r: { surveyValue: number | null; ratePer1000: number | null }) => r.surveyValue !== null && r.ratePer1000 !== null).length);
    expect(scored.length).toBeGreaterThanOrEqual(5);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
    const fear = scored.map((r: { surveyValue: number }) => r.surveyValue), crime = scored.map((r: { ratePer1000: number }) => r.ratePer1000);
    for (const r of scored) {
      expect(r.zFear).toBeCloseTo((r.surveyValue - mean(fear)) / sd(fear), 2);
      expect(r.zCrime).toBeCloseTo((r.ratePer1000 - mean(crime)) / sd(crime), 2);
      const gap = r.zFear - r.zCrime;
      expect(r.class).toBe(gap > 1 ? 'fear-above-crime' : gap < -1 ? 'crime-above-fear' : 'aligned');
    }
    // the first seeded area (alphabetically AKALLA): the highest insecurity, no registered crime
    expect(scored.find((r: { surveyValue: number }) => r.surveyValue === 0.6).class).toBe('fear-above-crime');
    const gj = await t.app.inject('/api/divergence?areaSet=stadsdelar&indicator=otrygg-kvall&from=2024-01-01&to=2025-01-01&f=geojson');
    expect(gj.json().features).toHaveLength(117);
    // the CSV states the period of the crime rates with its last day inclusive
    const csv = (await t.app.inject('/api/divergence?areaSet=stadsdelar&indicator=otrygg-kvall&from=2024-01-01&to=2025-01-01&f=csv')).body.trim().split('\r\n');
    expect(csv[0].split(',').slice(-2)).toEqual(['periodFrom', 'periodLastDay']);
    expect(csv[1].split(',').slice(-2)).toEqual([d.meta.period.from, '2024-12-31']);
  });

  it('unknown area → 404', async () => {
    expect((await t.app.inject('/api/areas/999999999/profile')).statusCode).toBe(404);
  });
});

describe('both backends', () => {
  it.runIf(backends.length === 2)('give the same profile', () => {
    const strip = (p: any) => JSON.parse(JSON.stringify(p, (k, v) => (['generatedAt', 'dataVersion', 'provenance', 'id', 'areaId', 'importedAt'].includes(k) ? null : v)) ?? 'null');
    expect(strip(results.postgres)).toEqual(strip(results.embedded));
  });
});
