// The lägesbild report: every section present, figures equal to /api/stats in the viewer's privacy view, a map
// image, honest findings, saved snapshots frozen against later imports, staff text, roles, and the two-year
// staleness rule (lag 2023:196). The PDF (Chromium + pdfinfo/pdftotext) is rendered once, on the embedded backend.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { addYears } from '../../server/domain/period/resolve-period.js';
import type { LagesbildContent } from '../../server/domain/reports/types.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';
import { districtId, importMore, seedReportData } from './seed.js';

const PERIOD = 'from=2025-01-01&to=2026-01-01';

function monthsAgo(n: number): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 10);
}

describe.each(backends)('lägesbild report on %s', (kind) => {
  let t: TestApp;
  let rinkeby: number;
  const keys: Record<string, string> = {};
  const auth = (who: string) => (keys[who] ? { authorization: `Bearer ${keys[who]}` } : {});
  const get = async (url: string, who = 'public') => t.app.inject({ method: 'GET', url, headers: auth(who) });

  beforeAll(async () => {
    t = await openTestApp(kind);
    await seedReportData(t.db);
    rinkeby = await districtId(t.db, 'RINKEBY');
    keys.analyst = (await createKey(t.db, { name: 'analyst', role: 'analyst' })).key;
    keys.staffRinkeby = (await createKey(t.db, { name: 'sdf rinkeby', role: 'staff', districts: ['stadsdelar:RINKEBY'] })).key;
    keys.staffHusby = (await createKey(t.db, { name: 'sdf husby', role: 'staff', districts: ['stadsdelar:HUSBY'] })).key;
  });
  afterAll(async () => { await t?.close(); });

  async function report(who: string): Promise<LagesbildContent> {
    const r = await get(`/api/reports/lagesbild?areaId=${rinkeby}&${PERIOD}&f=json`, who);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  }
  async function statsRow(who: string, source: string, category?: string) {
    const r = await get(`/api/stats?areaSet=stadsdelar&source=${source}&${PERIOD}${category ? `&category=${category}` : ''}`, who);
    expect(r.statusCode, r.body).toBe(200);
    const j = r.json();
    return { row: j.rows.find((x: { areaId: number }) => x.areaId === rinkeby), total: j.total };
  }

  let publicReport: LagesbildContent;

  it('has every section, with a map image, for a district on seeded data', async () => {
    publicReport = await report('public');
    const c = publicReport;
    expect(c.area).toMatchObject({ id: rinkeby, name: 'Rinkeby', areaSetId: 'stadsdelar' });
    expect(c.period).toMatchObject({ from: '2025-01-01', to: '2026-01-01', lastDay: '2025-12-31', previous: { from: '2024-01-01', to: '2025-01-01' } });
    expect(c.summary.length).toBeGreaterThan(0);
    expect(c.scope.sources.map((s) => s.source)).toEqual(['crimes', 'shootings', 'guard-reports', 'citizen-reports']);
    expect(c.scope.crimeGroups.map((g) => g.code).sort()).toEqual(['skadegorelse', 'stold', 'vald']);
    expect(c.scope.monthly.find((m) => m.source === 'crimes')!.months.length).toBe(36);
    expect(c.scope.shootingsByOutcome.length).toBeGreaterThan(0);
    expect(c.scope.guardByType.map((g) => g.code)).toEqual(['avvisning', 'avlagsnande', 'omhandertagande']);
    const ind = c.insecurity.indicators.find((i) => i.code === 'otrygg-kvall')!;
    expect(c.insecurity.wave?.id).toBe('tm2024');
    expect(c.insecurity.previousWave?.id).toBe('tm2021');
    const all = ind.groups.find((g) => g.group === 'all')!;
    expect(all).toMatchObject({ value: 55, respondents: 800, previousValue: 42, differenceSignificant: true, suppressed: false });
    expect(all.ciLow!).toBeLessThan(55);
    expect(all.ciHigh!).toBeGreaterThan(55);
    // 25 respondents < 30: hidden for the public, n too (test/security/disclosure-survey.test.ts)
    expect(ind.groups.find((g) => g.group === '16-29')).toMatchObject({ value: null, suppressed: true, suppression: 'primary', respondents: null });
    expect(c.insecurity.divergence?.class).toMatch(/fear-above-crime|crime-above-fear|aligned/);
    expect(c.whereWhen.weekdayHour?.matrix).toHaveLength(7);
    expect(c.whereWhen.weekdayHour?.matrix[0]).toHaveLength(24);
    expect(c.whereWhen.hotspots?.cells).toBeGreaterThan(0);
    expect(c.places.map((p) => p.name)).toEqual(['Rinkeby torg']);
    expect(c.places[0]).toMatchObject({ status: 'active', measures: 1 });
    expect(c.sources.map((s) => s.source)).toEqual(['crimes', 'shootings', 'guard-reports', 'citizen-reports']);
    expect(c.sources[0].batches.length).toBeGreaterThan(0);
    expect(c.staff.causalAnalysis).toEqual({ preparation: '', deepenKnowledge: '', likelyCauses: '', testAssumptions: '', chooseMeasures: '' });
    // the map: a real PNG
    expect(c.whereWhen.map.kind).not.toBe('none');
    const png = Buffer.from(c.whereWhen.map.dataUri!.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(5000);
  });

  it('shows the same figures as /api/stats, in the public and in the analyst view', async () => {
    const analyst = await report('analyst');
    for (const [who, c] of [['public', publicReport], ['analyst', analyst]] as const) {
      for (const s of c.scope.sources) {
        const { row, total } = await statsRow(who, s.source);
        expect({ who, s: s.source, count: s.count, prev: s.previousCount, rate: s.ratePer1000, rr: s.rateRatio, lo: s.ciLow, hi: s.ciHigh, sig: s.changeSignificant, supp: s.suppressed })
          .toEqual({ who, s: s.source, count: row.count, prev: row.previousCount, rate: row.ratePer1000, rr: row.rateRatio, lo: row.rateRatioCiLow, hi: row.rateRatioCiHigh, sig: row.changeSignificant, supp: row.suppressed });
        expect(s.city?.ratePer1000).toEqual(total.ratePer1000);
      }
      for (const g of c.scope.crimeGroups) {
        const { row } = await statsRow(who, 'crimes', g.codes!.join(','));
        expect([g.code, g.count, g.previousCount, g.changeSignificant]).toEqual([g.code, row.count, row.previousCount, row.changeSignificant]);
      }
      for (const g of c.scope.shootingsByOutcome) {
        const { row } = await statsRow(who, 'shootings', g.code);
        expect([g.code, g.count, g.suppressed]).toEqual([g.code, row.count, row.suppressed]);
      }
      // no month shows a count the viewer may not see: hidden months are null, visible ones never 1..k−1 for the public
      for (const m of c.scope.monthly) {
        for (const x of m.months) {
          if (x.suppressed) expect(x.count).toBeNull();
          else if (who === 'public') expect(x.count === 0 || x.count! >= 5).toBe(true);
        }
      }
    }
    // and the same as the area profile: monthly series, weekday × hour, survey
    for (const [who, c] of [['public', publicReport], ['analyst', analyst]] as const) {
      const pr = await get(`/api/areas/${rinkeby}/profile?${PERIOD}`, who);
      expect(pr.statusCode, pr.body).toBe(200);
      const profile = pr.json();
      const crimes = profile.sources.find((x: { source: string }) => x.source === 'crimes');
      expect(c.scope.monthly.find((m) => m.source === 'crimes')!.months).toEqual(crimes.monthly);
      expect(c.whereWhen.weekdayHour!.matrix).toEqual(crimes.weekdayHour.matrix);
      expect(c.scope.sources[0].count).toEqual(crimes.area.count);
      const all = profile.survey.items.find((i: { indicator: string; group: string }) => i.indicator === 'otrygg-kvall' && i.group === 'all');
      expect(c.insecurity.indicators[0].groups.find((g) => g.group === 'all')!.value).toBeCloseTo(all.value * 100, 6);
    }
    // the analyst sees the exact 180 crimes of 2025; the public the same count rounded as the API rounds it
    expect(analyst.scope.sources[0].count).toBe(180);
    expect(analyst.viewer.exact).toBe(true);
    expect(publicReport.viewer.exact).toBe(false);
    // three shootings in Rinkeby: a small count the public never sees
    expect(analyst.scope.sources[1].count).toBe(3);
    expect(publicReport.scope.sources[1]).toMatchObject({ count: null, suppressed: true });
  });

  it('calls a change significant only when the test says so, and says so in words otherwise', async () => {
    const analyst = await report('analyst');
    const crimes = analyst.summary.find((f) => f.key === 'change:crimes')!;
    expect(crimes.significant).toBe(true);
    expect(crimes.text).toContain('statistiskt säkerställd ökning');
    expect(crimes.test).toMatch(/Poisson/);
    const guards = analyst.summary.find((f) => f.key === 'change:guard-reports')!;
    expect(guards.significant).toBe(false);
    expect(guards.text).toContain('ingen statistiskt säkerställd förändring');
    const en = (await get(`/api/reports/lagesbild?areaId=${rinkeby}&${PERIOD}&f=json&lang=en`, 'analyst')).json() as LagesbildContent;
    expect(en.summary.find((f) => f.key === 'change:guard-reports')!.text).toContain('no statistically significant change');
  });

  it('a survey indicator worse than the rest of the city is a finding only by the corrected test, from figures the viewer sees', async () => {
    for (const who of ['public', 'analyst']) {
      const c = await report(who);
      const rows = c.insecurity.indicators.filter((i) => i.kind === 'share').map((i) => ({ i, g: i.groups.find((g) => g.group === 'all')! })).filter((x) => x.g);
      // Rinkeby's seeded survey: 55 % of 800 feel unsafe late at night against a city of 33 % — far beyond chance
      const unsafe = rows.find((x) => x.i.code === 'otrygg-kvall')!;
      expect([unsafe.g.value, unsafe.g.respondents, unsafe.g.suppressed]).toEqual([55, 800, false]);
      const found = c.summary.filter((f) => f.key.startsWith('survey-city:'));
      expect(found.map((f) => f.key), who).toEqual(['survey-city:otrygg-kvall']);
      expect(found[0]).toMatchObject({ significant: true });
      expect(found[0].text).toMatch(/^.+ \(Alla\): 55 % mot \d+ % i övriga staden, statistiskt säkerställt högre än staden\.$/);
      expect(found[0].test).toMatch(/Bonferroni-korrigerat för \d+ jämförda indikatorer/);
      // only from figures the viewer sees: every such finding rests on a shown, worse-than-city share
      for (const f of found) {
        const x = rows.find((r) => `survey-city:${r.i.code}` === f.key)!;
        expect(x.g.suppressed).toBe(false);
        expect(x.i.direction === 'higher-is-better' ? x.g.value! < x.g.cityValue! : x.g.value! > x.g.cityValue!).toBe(true);
      }
      expect(c.summary.length).toBeLessThanOrEqual(10);
      if (who !== 'public') continue;
      // attack: the public finding tells nothing /api/survey does not already publish — the rest of the city is the
      // areas whose figure the public sees, less Rinkeby (no hidden area's respondents or share enters it)
      const s = (await get('/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall&group=all')).json() as { rows: { areaId: number; value: number | null; respondents: number | null; suppressed: boolean; basis: { kind: string } }[] };
      const shown = s.rows.filter((r) => !r.suppressed && r.value !== null && r.respondents !== null && r.basis.kind === 'own' && r.areaId !== rinkeby);
      const restN = shown.reduce((a, r) => a + r.respondents!, 0);
      const restShare = shown.reduce((a, r) => a + r.value! * r.respondents!, 0) / restN;
      expect(found[0].figure).toContain(`övriga staden n = ${restN};`);
      expect(found[0].text).toContain(`mot ${Math.round(restShare * 100)} % i övriga staden`);
    }
  });

  it('renders HTML with every section and print CSS', async () => {
    const r = await get(`/api/reports/lagesbild?areaId=${rinkeby}&${PERIOD}&f=html`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    for (const h of ['Sammanfattning', 'Brottslighetens omfattning', 'Konsekvenser och otrygghet', 'Var och när', 'Platssamverkan', 'Datakällor', 'Orsaksanalys', 'SMART', 'Metod', '@page', 'data:image/png;base64,']) {
      expect(r.body, h).toContain(h);
    }
  });

  it('states its period with the last day inclusive and compares 2025 with 2024 (not the 365 days before), in JSON and HTML', async () => {
    for (const who of ['public', 'analyst']) {
      const c = await report(who);
      expect(c.period, who).toMatchObject({ from: '2025-01-01', to: '2026-01-01', lastDay: '2025-12-31', label: '1 jan – 31 dec 2025', comparison: '2025 jämfört med 2024',
        previous: { from: '2024-01-01', to: '2025-01-01', lastDay: '2024-12-31', rule: 'same-period-last-year' } });
      // the previous counts are 2024's, as /api/stats gives them for 2024 itself
      const y2024 = await get(`/api/stats?areaSet=stadsdelar&source=crimes&from=2024-01-01&to=2025-01-01`, who);
      expect(c.scope.sources[0].previousCount, who).toBe(y2024.json().rows.find((x: { areaId: number }) => x.areaId === rinkeby).count);
      const page = (await get(`/api/reports/lagesbild?areaId=${rinkeby}&${PERIOD}&f=html`, who)).body;
      expect(page, who).toContain('2025 jämfört med 2024');
      expect(page, who).toContain('1 jan – 31 dec 2025');
      expect(page, who).not.toContain('2 januari 2024');
    }
    const en = (await get(`/api/reports/lagesbild?areaId=${rinkeby}&${PERIOD}&f=html&lang=en`, 'analyst')).body;
    expect(en).toContain('2025 compared with 2024');
    expect(en).toContain('1 Jan – 31 Dec 2025');
    const quarter = (await get(`/api/reports/lagesbild?areaId=${rinkeby}&from=2025-04-01&to=2025-07-01&f=json`, 'analyst')).json() as LagesbildContent;
    expect(quarter.period).toMatchObject({ comparison: 'kvartal 2 2025 jämfört med kvartal 2 2024', previous: { from: '2024-04-01', to: '2024-07-01' } });
  });

  it('answers a clear 400/404 for a bad or unknown area', async () => {
    expect((await get('/api/reports/lagesbild?areaId=abc')).statusCode).toBe(400);
    const r = await get('/api/reports/lagesbild?areaId=99999999&f=json');
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    expect((await get(`/api/reports/lagesbild?areaId=${rinkeby}&f=xlsx`)).statusCode).toBe(400);
  });

  let savedId: number;

  it('saves a snapshot for staff of the district only, and freezes it against later imports', async () => {
    const body = { areaId: rinkeby, from: '2025-01-01', to: '2026-01-01', title: 'Lägesbild Rinkeby 2025' };
    expect((await t.app.inject({ method: 'POST', url: '/api/reports', payload: body })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/reports', payload: body, headers: auth('staffHusby') })).statusCode).toBe(403);
    const r = await t.app.inject({ method: 'POST', url: '/api/reports', payload: body, headers: auth('staffRinkeby') });
    expect(r.statusCode, r.body).toBe(201);
    savedId = r.json().id;
    expect(r.json()).toMatchObject({ areaId: rinkeby, stale: false, hasExact: false, title: 'Lägesbild Rinkeby 2025' });
    const before = (await get(`/api/reports/${savedId}?f=json`, 'staffRinkeby')).json();
    expect(before.content.scope.sources[0].count).toBe(publicReport.scope.sources[0].count);
    expect(before.dataVersion).toBe(publicReport.dataVersion);

    await importMore(t.db);
    const live = (await get(`/api/reports/lagesbild?areaId=${rinkeby}&${PERIOD}&f=json`, 'analyst')).json() as LagesbildContent;
    expect(live.scope.sources[0].count).toBe(220);
    expect(live.dataVersion).toBeGreaterThan(before.dataVersion);
    const after = (await get(`/api/reports/${savedId}?f=json`, 'staffRinkeby')).json();
    expect(after.content).toEqual(before.content);
    expect(after.dataVersion).toBe(before.dataVersion);
    // the public cannot read saved working documents
    expect((await get(`/api/reports/${savedId}?f=json`)).statusCode).toBe(401);
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'report.%'`);
    expect(new Set(audit.rows.map((a) => a.action))).toEqual(new Set(['report.create', 'report.export']));
  });

  it('keeps the staff text (orsaksanalys, SMART goals) editable and escapes it in the document', async () => {
    const patch = {
      staffText: {
        causalAnalysis: { likelyCauses: 'Ödsligt torg efter kl. 21 <script>alert(1)</script>' },
        priorities: 'Otrygghet kvällstid vid torget.',
        actionPlan: { goals: [{ goal: 'Minska misshandel vid torget', measurable: 'Anmälda misshandelsbrott inom 200 m', timeBound: '2027-06-30' }] },
      },
    };
    expect((await t.app.inject({ method: 'PATCH', url: `/api/reports/${savedId}`, payload: patch, headers: auth('staffHusby') })).statusCode).toBe(403);
    const r = await t.app.inject({ method: 'PATCH', url: `/api/reports/${savedId}`, payload: patch, headers: auth('staffRinkeby') });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().staffText.causalAnalysis.likelyCauses).toContain('Ödsligt torg');
    expect(r.json().staffText.priorities).toBe('Otrygghet kvällstid vid torget.');
    const again = await t.app.inject({ method: 'PATCH', url: `/api/reports/${savedId}`, payload: { staffText: { comments: 'Ses över med polisen.' } }, headers: auth('staffRinkeby') });
    expect(again.json().staffText.priorities).toBe('Otrygghet kvällstid vid torget.');
    const html = (await get(`/api/reports/${savedId}?f=html`, 'staffRinkeby')).body;
    expect(html).toContain('Minska misshandel vid torget');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>alert(1)</script>');
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/reports/${savedId}`, payload: { staffText: { unknown: 'x' } }, headers: auth('staffRinkeby') });
    expect(bad.statusCode).toBe(400);
  });

  it('flags areas whose latest lägesbild is older than two years (or missing) as stale', async () => {
    const kista = await districtId(t.db, 'KISTA');
    const akalla = await districtId(t.db, 'AKALLA');
    const insert = (area: number, date: string) => t.db.query(
      `INSERT INTO saved_reports (area_id, area_set_id, period_from, period_to, report_date, data_version, snapshot, created_by) VALUES ($1, 'stadsdelar', '2022-01-01', '2023-01-01', $2, 1, '{}', 'test')`, [area, date]);
    await insert(kista, monthsAgo(25));
    await insert(akalla, monthsAgo(10));
    const r = await get('/api/reports?areaSet=stadsdelar', 'analyst');
    expect(r.statusCode, r.body).toBe(200);
    const by = new Map<string, { stale: boolean; latestReportDate: string | null; reportCount: number }>(r.json().areas.map((a: { code: string }) => [a.code, a]));
    expect(by.size).toBe(117);
    expect(by.get('KISTA')).toMatchObject({ stale: true, latestReportDate: monthsAgo(25), reportCount: 1 });
    expect(by.get('AKALLA')).toMatchObject({ stale: false, latestReportDate: monthsAgo(10) });
    expect(by.get('RINKEBY')).toMatchObject({ stale: false, reportCount: 1 });
    expect(by.get('HUSBY')).toMatchObject({ stale: true, latestReportDate: null, reportCount: 0 });
    // a newer report makes Kista current again
    await insert(kista, monthsAgo(1));
    const one = (await get(`/api/reports?areaId=${kista}`, 'staffHusby')).json();
    expect(one.areas).toEqual([expect.objectContaining({ code: 'KISTA', stale: false, reportCount: 2, latestReportDate: monthsAgo(1) })]);
    expect(one.reports.map((x: { stale: boolean }) => x.stale)).toEqual([false, true]);
    expect(monthsAgo(25) < addYears(new Date().toISOString().slice(0, 10), -2)).toBe(true);
    expect((await get('/api/reports?areaSet=stadsdelar')).statusCode).toBe(401);
  });

  it.runIf(kind === 'embedded')('renders a PDF of at least 3 pages with text pdftotext can read', async () => {
    const r = await get(`/api/reports/${savedId}?f=pdf`, 'staffRinkeby');
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tk-pdf-')), 'lagesbild.pdf');
    fs.writeFileSync(file, r.rawPayload);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    for (const s of ['Lägesbild', 'Rinkeby', 'Sammanfattning', 'Orsaksanalys', 'Minska misshandel vid torget', 'Sida 2 av']) expect(text, s).toContain(s);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
