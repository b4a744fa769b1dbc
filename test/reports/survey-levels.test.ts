// Issue 16, survey at any level. The safety survey is reported for the 117 stadsdelar; a report, a profile or
// /api/survey for another level used to show the figures of the district the area's interior point fell in — for the
// district area Järva those of Husby, with a note that had the relation backwards. Now (survey/survey-basis.ts,
// survey-pooling.ts): an area that CONTAINS survey areas gets their population-weighted stratified estimate
// (p = Σ N_h p_h / Σ N_h, n = Σ n_h), an area INSIDE one gets that one's figures under its own name, a partial
// overlap gets none. Checked here on the sample data (the real boundaries and population, the synthetic survey),
// with the estimator computed independently from /api/survey's district figures and /api/stats' populations.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { PUBLIC, type Principal } from '../../server/domain/access/principal.js';
import { buildLagesbild } from '../../server/domain/reports/build-lagesbild.js';
import { importOptionsSchema } from '../../server/ingest/import-options.js';
import { runImport } from '../../server/ingest/run-import.js';
import type { LagesbildContent } from '../../server/domain/reports/types.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const PERIOD = 'from=2025-01-01&to=2026-01-01';
const Z95 = 1.959963984540054;
// Järva (stadsdelsomraden-2023) is Rinkeby-Kista and Spånga-Tensta: these eleven stadsdelar
const JARVA = ['Akalla', 'Bromsten', 'Flysta', 'Hansta', 'Husby', 'Kista', 'Lunda', 'Rinkeby', 'Solhem', 'Sundby', 'Tensta'];

type Row = { areaId: number; code: string; name: string; value: number | null; ciLow: number | null; ciHigh: number | null; respondents: number | null;
  suppressed: boolean; strataUsed: number | null; strataOmitted: { areaId: number; name: string; reason: string }[];
  basis: { kind: string; surveyArea: { name: string } | null; strata: { areaId: number; name: string; population: number | null }[]; overlapping: { name: string }[];
    population: { year: number | null; areaSetId: string } | null; text: { sv: string; en: string } } };

/** The stated estimator, computed here from the districts' own figures and populations. */
function stratified(parts: { N: number; p: number; n: number }[]) {
  const N = parts.reduce((s, x) => s + x.N, 0);
  const p = parts.reduce((s, x) => s + x.N * x.p, 0) / N;
  const v = parts.reduce((s, x) => s + (x.N / N) ** 2 * x.p * (1 - x.p) / x.n, 0);
  return { p, n: parts.reduce((s, x) => s + x.n, 0), lo: Math.max(0, p - Z95 * Math.sqrt(v)), hi: Math.min(1, p + Z95 * Math.sqrt(v)) };
}
const pct = (x: number) => Math.round(x * 1000) / 10;

describe.each(backends)('survey at any level, on the sample data, on %s', (kind) => {
  let t: TestApp;
  let analyst: string;
  const ids: Record<string, number> = {};
  const get = async (url: string, who: 'public' | 'analyst' = 'public') => {
    const r = await t.app.inject({ url, headers: who === 'analyst' ? { authorization: `Bearer ${analyst}` } : {} });
    expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
    return r;
  };
  const json = async (url: string, who: 'public' | 'analyst' = 'public') => (await get(url, who)).json();
  // the report's content as GET /api/reports/lagesbild?f=json builds it, without the map image and place evaluations (slow, not about the survey)
  const report = async (areaId: number, who: 'public' | 'analyst' = 'public'): Promise<LagesbildContent> => {
    const principal: Principal = who === 'analyst' ? { role: 'analyst', keyId: null, districts: [], via: 'api-key' } : PUBLIC;
    return buildLagesbild(t.db, { areaId, from: '2025-01-01', to: '2026-01-01', lang: 'sv', evaluatePlaces: false },
      { disclosure: await t.app.disclosureOf(principal), surveyMinRespondents: t.config.surveyMinRespondents, principal });
  };
  const areaId = async (set: string, code: string) => Number((await t.db.query<{ id: number }>('SELECT id FROM areas WHERE area_set_id = $1 AND code = $2', [set, code])).rows[0].id);

  let population: Map<number, number>;
  let populationYear: number;
  /** The districts' own figures as /api/survey publishes them to the viewer. */
  const cache = new Map<string, Promise<Row[]>>();
  const districtRows = (indicator: string, group: string, wave: string, who: 'public' | 'analyst') => {
    const url = `/api/survey?areaSet=stadsdelar&indicator=${indicator}&group=${encodeURIComponent(group)}&wave=${wave}`;
    if (!cache.has(url + who)) cache.set(url + who, json(url, who).then((j) => j.rows as Row[]));
    return cache.get(url + who)!;
  };

  beforeAll(async () => {
    t = await openTestApp(kind);
    process.env.SAMPLE_CRIMES = '3000'; // the survey sample does not depend on the number of crimes
    const { ensureSampleData } = await import('../../server/reference/sample-data.js');
    await ensureSampleData(t.db);
    analyst = (await createKey(t.db, { name: 'survey levels analyst', role: 'analyst' })).key;
    ids.jarva = await areaId('stadsdelsomraden-2023', 'Järva');
    ids.rinkebyKista2020 = await areaId('stadsdelsomraden-2020', 'Rinkeby-Kista');
    ids.husby = await areaId('stadsdelar', 'HUSBY');
    ids.sodraHusby = Number((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'basomraden' AND name = 'Södra Husby'`)).rows[0].id);
    const stats = await json(`/api/stats?areaSet=stadsdelar&source=crimes&${PERIOD}`, 'analyst');
    population = new Map(stats.rows.map((r: { areaId: number; population: number }) => [r.areaId, r.population]));
    populationYear = stats.meta.populationYear;
  });
  afterAll(async () => { await t?.close(); });

  it('the Järva report\'s scope counts equal /api/stats for Järva and the same period, in each viewer\'s view', async () => {
    for (const who of ['public', 'analyst'] as const) {
      const c = await report(ids.jarva, who);
      expect(c.scope.sources.length).toBeGreaterThan(0);
      for (const s of c.scope.sources) {
        const st = await json(`/api/stats?areaSet=stadsdelsomraden-2023&source=${s.source}&from=2025-01-01&to=2026-01-01`, who);
        const row = st.rows.find((r: { areaId: number }) => r.areaId === ids.jarva);
        expect({ who, source: s.source, count: s.count, previous: s.previousCount })
          .toEqual({ who, source: s.source, count: row.count, previous: row.previousCount });
      }
    }
  });

  it('the Järva report pools its eleven districts: n is their sum and the share is the population-weighted estimate (analyst, every figure)', async () => {
    const c = await report(ids.jarva, 'analyst');
    expect(c.insecurity.wave?.id).toBe('2024');
    const wave = c.insecurity.wave!.id;
    const husbyAll = (await districtRows('otrygg-kvall', 'all', wave, 'analyst')).find((r) => r.name === 'Husby')!;
    let checked = 0;
    expect(c.insecurity.indicators.length).toBeGreaterThanOrEqual(4);
    for (const ind of c.insecurity.indicators.filter((i) => i.kind === 'share')) {
      for (const g of ind.groups) {
        const all = (await districtRows(ind.code, g.group, wave, 'analyst')).filter((r) => JARVA.includes(r.name));
        expect(all).toHaveLength(11);
        // a district without respondents in a group has no figure to pool
        const rows = all.filter((r) => r.respondents! > 0);
        const N = (rs: Row[]) => rs.reduce((s, r) => s + population.get(r.areaId)!, 0);
        if (N(rows) / N(all) < 0.9) { expect(g.value, `${ind.code} ${g.group}`).toBeNull(); continue; }
        const e = stratified(rows.map((r) => ({ N: population.get(r.areaId)!, p: r.value!, n: r.respondents! })));
        expect(g.respondents, `${ind.code} ${g.group} n`).toBe(e.n);
        expect(g.value, `${ind.code} ${g.group} value`).toBeCloseTo(pct(e.p), 9);
        expect(g.ciLow, `${ind.code} ${g.group} ci`).toBeCloseTo(pct(e.lo), 9);
        expect(g.ciHigh, `${ind.code} ${g.group} ci`).toBeCloseTo(pct(e.hi), 9);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(16);
    // no longer Husby's figures under Järva's name
    const all = c.insecurity.indicators.find((i) => i.code === 'otrygg-kvall')!.groups.find((g) => g.group === 'all')!;
    expect(all.respondents).toBeGreaterThan(husbyAll.respondents!);
    // the report says how: the strata and their weights (the population /api/stats uses)
    const basis = c.insecurity.basis!;
    expect(basis.kind).toBe('pooled');
    expect(basis.strata.map((s) => s.name).sort((a, b) => a.localeCompare(b, 'sv'))).toEqual(JARVA);
    expect(basis.population).toMatchObject({ areaSetId: 'stadsdelar', year: populationYear });
    for (const s of basis.strata) expect(s.population, s.name).toBe(population.get(s.areaId));
    const notes = (c.notes.insecurity ?? []).join(' ');
    expect(notes).toContain('Värdena för Järva är deras medelvärde vägt med folkmängden');
    expect(notes).not.toMatch(/som området ligger i|avser Husby/);
  });

  it('the public Järva report pools only the districts whose figures the public sees, names those left out, and no hidden district can be worked out', async () => {
    const c = await report(ids.jarva);
    const wave = c.insecurity.wave!.id;
    let shown = 0;
    for (const ind of c.insecurity.indicators.filter((i) => i.kind === 'share')) {
      for (const g of ind.groups) {
        const pub = (await districtRows(ind.code, g.group, wave, 'public')).filter((r) => JARVA.includes(r.name));
        const used = pub.filter((r) => r.value !== null);
        const N = (rs: Row[]) => rs.reduce((s, r) => s + population.get(r.areaId)!, 0);
        if (g.value === null) {
          // hidden only because the published districts hold too little of the population
          expect(N(used) / N(pub), `${ind.code} ${g.group}`).toBeLessThan(0.9);
          continue;
        }
        shown++;
        expect(N(used) / N(pub)).toBeGreaterThanOrEqual(0.9);
        const e = stratified(used.map((r) => ({ N: population.get(r.areaId)!, p: r.value!, n: r.respondents! })));
        expect(g.respondents, `${ind.code} ${g.group} n`).toBe(e.n);
        expect(g.value, `${ind.code} ${g.group} value`).toBeCloseTo(pct(e.p), 9);
        // the attack: the pooled area minus the other published districts, for each hidden one (its true value from the analyst)
        const hidden = pub.filter((r) => r.value === null);
        if (!hidden.length) continue;
        const exact = (await districtRows(ind.code, g.group, wave, 'analyst')).filter((r) => JARVA.includes(r.name));
        for (const h of hidden) {
          const truth = exact.find((r) => r.areaId === h.areaId)!;
          const derived = (e.p * (N(used) + population.get(h.areaId)!) - used.reduce((s, r) => s + population.get(r.areaId)! * r.value!, 0)) / population.get(h.areaId)!;
          if (truth.value !== null) expect(Math.abs(derived - truth.value), `${h.name} ${ind.code} ${g.group} derivable`).toBeGreaterThan(1e-6);
        }
      }
    }
    expect(shown).toBeGreaterThan(0);
    // the profile says which districts each figure leaves out, and why
    const p = await json(`/api/areas/${ids.jarva}/profile?${PERIOD}`);
    for (const i of p.survey.items as (Row & { indicator: string; group: string })[]) {
      const pub = (await districtRows(i.indicator, i.group, wave, 'public')).filter((r) => JARVA.includes(r.name));
      expect(i.strataOmitted.filter((o) => o.reason === 'hidden').map((o) => o.name).sort()).toEqual(pub.filter((r) => r.suppressed).map((r) => r.name).sort());
    }
  });

  it('/api/survey serves every level: pooled district areas, borrowed basområden named by their district, partial overlaps not available', async () => {
    const c = await report(ids.jarva);
    const areas2023 = (await json('/api/survey?areaSet=stadsdelsomraden-2023&indicator=otrygg-kvall')).rows as Row[];
    expect(areas2023.map((r) => r.basis.kind)).toEqual(areas2023.map(() => 'pooled'));
    const jarva = areas2023.find((r) => r.name === 'Järva')!;
    const inReport = c.insecurity.indicators.find((i) => i.code === 'otrygg-kvall')!.groups.find((g) => g.group === 'all')!;
    expect([pct(jarva.value!), jarva.respondents]).toEqual([inReport.value, inReport.respondents]);
    expect(jarva.basis.strata.map((s) => s.name).sort((a, b) => a.localeCompare(b, 'sv'))).toEqual(JARVA);
    // 2020: Akalla and Husby are split between Rinkeby-Kista and Spånga-Tensta — not available there
    const areas2020 = (await json('/api/survey?areaSet=stadsdelsomraden-2020&indicator=otrygg-kvall')).rows as Row[];
    for (const name of ['Rinkeby-Kista', 'Spånga-Tensta']) {
      const r = areas2020.find((x) => x.name === name)!;
      expect([r.basis.kind, r.value, r.respondents]).toEqual(['not-available', null, null]);
      expect(r.basis.overlapping.map((o) => o.name)).toEqual(expect.arrayContaining(['Akalla', 'Husby']));
    }
    // a basområde inside Husby carries Husby's figure, said to be Husby's
    const bas = (await json('/api/survey?areaSet=basomraden&indicator=otrygg-kvall')).rows as Row[];
    const husby = (await districtRows('otrygg-kvall', 'all', '2024', 'public')).find((r) => r.name === 'Husby')!;
    const sh = bas.find((r) => r.areaId === ids.sodraHusby)!;
    expect([sh.basis.kind, sh.basis.surveyArea?.name, sh.value, sh.respondents]).toEqual(['containing', 'Husby', husby.value, husby.respondents]);
    expect(bas.filter((r) => r.basis.kind === 'containing').length).toBeGreaterThan(250);
    // the CSV says it too
    const csv = (await get('/api/survey?areaSet=basomraden&indicator=otrygg-kvall&f=csv')).body;
    expect(csv.split('\r\n')[0]).toContain('basisKind,basisArea,basisStrata');
    expect(csv).toMatch(/Södra Husby,[^\r\n]*,containing,Husby,/);
  });

  it('a basområde inside Husby: the report and the profile give Husby\'s figures under Husby\'s name, never as its own', async () => {
    const c = await report(ids.sodraHusby);
    expect((c.notes.insecurity ?? []).join(' ')).toContain('Trygghetsmätningen redovisas för Husby, som omfattar Södra Husby.');
    expect(c.insecurity.basis).toMatchObject({ kind: 'containing', surveyArea: { name: 'Husby' } });
    const own = await report(ids.husby);
    expect(own.insecurity.basis?.kind).toBe('own');
    expect((own.notes.insecurity ?? []).join(' ')).not.toContain('redovisas för');
    // the same figures as Husby's own report, group by group
    const fig = (x: LagesbildContent) => x.insecurity.indicators.map((i) => i.groups.map((g) => [i.code, g.group, g.value, g.respondents, g.suppressed]));
    expect(fig(c)).toEqual(fig(own));
    // the summary says whose figure it is
    const finding = c.summary.find((f) => f.key.startsWith('survey:'));
    if (finding) expect(finding.text).toContain('i Husby');
    const p = await json(`/api/areas/${ids.sodraHusby}/profile?${PERIOD}`);
    expect(p.survey.basis).toMatchObject({ kind: 'containing', surveyArea: { name: 'Husby' } });
    expect(p.survey.basis.text.sv).toBe('Trygghetsmätningen redovisas för Husby, som omfattar Södra Husby. Värdena gäller hela Husby, inte Södra Husby för sig.');
  });

  it('an area the survey areas overlap only partly gets no survey figures, and the report says the survey is not available at that level', async () => {
    const c = await report(ids.rinkebyKista2020);
    expect(c.insecurity.basis?.kind).toBe('not-available');
    expect(c.insecurity.indicators).toEqual([]);
    const notes = (c.notes.insecurity ?? []).join(' ');
    expect(notes).toContain('så den finns inte på den här nivån');
    expect(notes).toMatch(/Akalla/);
    const p = await json(`/api/areas/${ids.rinkebyKista2020}/profile?${PERIOD}`);
    expect([p.survey.basis.kind, p.survey.items]).toEqual(['not-available', []]);
  });
});

describe.each(backends)('a survey reported per district area, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind);
    const imp = (k: 'indicators' | 'survey', text: string, opts: Record<string, unknown> = {}) =>
      runImport(t.db, { kind: k, options: importOptionsSchema.parse(opts), input: Readable.from([Buffer.from(text)]), fileName: `${k}.csv` });
    await imp('indicators', 'code,text_sv,text_en,kind,direction\notrygg-kvall,Känner sig otrygg sent en kväll,Feels unsafe late in the evening,share,higher-is-worse\n');
    const s = await imp('survey', 'wave,area_code,indicator,group,respondents,value\n2024,Järva,otrygg-kvall,all,900,0.41\n2024,Järva,otrygg-kvall,female,480,0.47\n2024,Järva,otrygg-kvall,male,420,0.34\n',
      { areaSet: 'stadsdelsomraden-2023' });
    expect(s.committed).toBe(true);
  });
  afterAll(async () => { await t?.close(); });

  it('a stadsdel report states the district area it borrows from, by name', async () => {
    const husby = Number((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY'`)).rows[0].id);
    const r = await t.app.inject(`/api/reports/lagesbild?areaId=${husby}&${PERIOD}&f=json`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    const c = r.json() as LagesbildContent;
    expect(c.notes.insecurity.join(' ')).toContain('Trygghetsmätningen redovisas för Järva, som omfattar Husby.');
    expect(c.insecurity.basis).toMatchObject({ kind: 'containing', surveyArea: { name: 'Järva' } });
    expect(c.insecurity.indicators[0].groups.find((g) => g.group === 'all')).toMatchObject({ value: 41, respondents: 900 });
    const html = (await t.app.inject(`/api/reports/lagesbild?areaId=${husby}&${PERIOD}&f=html`)).body;
    expect(html).toContain('Trygghetsmätningen redovisas för Järva, som omfattar Husby.');
    // and /api/survey for the stadsdelar: Husby's row is Järva's figure, marked as such
    const rows = (await t.app.inject('/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall')).json().rows as Row[];
    expect(rows.find((x) => x.areaId === husby)).toMatchObject({ value: 0.41, basis: { kind: 'containing', surveyArea: { name: 'Järva' } } });
  });
});
