// Issue 18: the action plan's follow-up as a report for the district council (HTML, PDF, Word) and the city's
// overview with each plan's indicators on/off track, as JSON and CSV. The documents carry the JSON follow-up's very
// figures; a count below the disclosure threshold is "< k" in every format and view the public can read; the public
// gets 404 for a draft's documents. The overview counts the indicators by the same follow-up. On both backends (the
// PDF on the embedded one, as the lägesbild's).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { writeIncidents } from '../../server/ingest/write-incidents.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';
import { crimes } from './plan-fixtures.js';

const PY = '/usr/bin/python3';


/** python-docx: every table as rows of cell texts, and all the text. */
function readDocx(file: string): { tables: string[][][]; text: string } {
  const script = `
import json, sys, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
tables = [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]
texts = ' '.join(x.text or '' for x in d.element.body.iter(qn('w:t')))
print(json.dumps({'tables': tables, 'text': texts}))
`;
  return JSON.parse(execFileSync(PY, ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

const text = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/g, ' ').replace(/<[^>]+>/g, ' ')
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
/** An indicator row's text without its last cell, the plan's own target ("5,0 per 1 000 inv. ej uppnått"): no data. */
const withoutTarget = (row: string) => row.replace(/ \d+(,\d+)? per 1 000 inv\.( (ej )?uppnått)?(, senast \d+ \S+ \d{4})?$/, '');

/** The table row of the HTML that holds `label`, as text. */
const rowOf = (html: string, label: string) => text([...html.matchAll(/<tr>[\s\S]*?<\/tr>/g)].map((m) => m[0]).find((r) => r.includes(label)) ?? '');
const sv = (v: number, digits = 0) => new Intl.NumberFormat('sv-SE', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);

type Figures = { from: string; to: string; count: number | null; ratePer1000: number | null; suppressed: boolean };
type FollowUp = { dataVersion: number; asOf: string; indicators: { indicatorId: string; label: string; baseline: Figures; current: Figures; status: string; statusText: { sv: string; en: string } }[]; measures: { overdue: { id: string }[] } };
type Overview = { areas: { areaId: number; code: string; stale: boolean; latestActionPlan: null | { id: number; indicators: Record<string, number>; overdueMeasures: number; measures: Record<string, number> } }[] };

describe.each(backends)('the follow-up report and the city overview on %s', (kind) => {
  let t: TestApp;
  let tmp: string;
  let planId: number;
  const ids: Record<string, number> = {};
  const keys: Record<string, string> = {};
  const call = (method: 'GET' | 'POST', url: string, who: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: keys[who] ? { authorization: `Bearer ${keys[who]}` } : {} });
  const LABEL = { HUSBY: 'Brott i Husby', KISTA: 'Brott i Kista', AKALLA: 'Brott i Akalla' } as const;
  const indicator = (id: string, code: keyof typeof LABEL) => ({ id, label: LABEL[code], source: 'crimes', areaId: ids[code], months: 12, targetRate: 5 });

  beforeAll(async () => {
    t = await openTestApp(kind, { RATE_LIMIT_PER_MINUTE: '1000000' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-follow-up-'));
    await t.db.query(`INSERT INTO categories (source, code, label_sv, label_en, grp) VALUES
      ('crimes','misshandel','Misshandel','Assault','vald'), ('crimes','stold','Stöld','Theft','stold') ON CONFLICT DO NOTHING`);
    for (const code of ['HUSBY', 'KISTA', 'AKALLA', 'RINKEBY']) {
      ids[code] = Number((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = $1`, [code])).rows[0].id);
    }
    for (const [who, role, districts] of [['husby', 'staff', ['stadsdelar:HUSBY']], ['rinkeby', 'staff', ['stadsdelar:RINKEBY']], ['analyst', 'analyst', []]] as const) {
      keys[who] = (await createKey(t.db, { name: `Anna Andersson (${who})`, role, districts: [...districts] })).key;
    }
    // 2025, the baseline year: Husby 100, Kista 200, Akalla 3 (a count the public must never learn)
    const base = [...await crimes(t.db, 'b', 'HUSBY', 100, '2025-01-01', 365, 1), ...await crimes(t.db, 'b', 'KISTA', 200, '2025-01-01', 365, 2), ...await crimes(t.db, 'b', 'AKALLA', 3, '2025-01-01', 365, 3)];
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', base));
    const r = await call('POST', '/api/action-plans', 'husby', {
      areaId: ids.HUSBY, title: 'Åtgärdsplan Husby 2026',
      plan: {
        priorities: [{
          id: 'brott', title: 'Fler brott kring torget',
          origin: { kind: 'finding', finding: { type: 'significant-rise', text: 'Anmälda brott ökade signifikant', figures: { rateRatio: 1.8 } }, reportId: null, dataVersion: 1 },
          causalAnalysis: { preparation: 'Polis, fastighetsägare och SDF', likelyCauses: 'Öppen narkotikahandel kvällstid', triangle: { offender: 'Unga män', target: 'Butiker', place: 'Torget' } },
          indicators: [indicator('husby', 'HUSBY'), indicator('kista', 'KISTA'), indicator('akalla', 'AKALLA')],
        }],
        measures: [
          { id: 'belysning', title: 'Bättre belysning', owner: 'Trafikkontoret', partners: [{ organisation: 'Stockholmshem', role: 'fastighetsägare' }], start: '2025-01-01', end: '2025-06-30', status: 'ongoing', priorityIds: ['brott'] },
          { id: 'vandring', title: 'Trygghetsvandringar', owner: 'SDF Rinkeby-Kista', start: '2026-01-01', end: '2030-12-31', status: 'planned', priorityIds: ['brott'] },
        ],
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    planId = r.json().id;
    // 2026 up to mid-December (the latest data is not a month's end): Husby rises (off track), Kista falls (on track),
    // Akalla stays below k
    const now = [...await crimes(t.db, 'f', 'HUSBY', 250, '2026-01-01', 348, 4), ...await crimes(t.db, 'f', 'KISTA', 60, '2026-01-01', 348, 5), ...await crimes(t.db, 'f', 'AKALLA', 2, '2026-01-01', 348, 6)];
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', now));
  });
  afterAll(async () => {
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  let json: FollowUp;
  let html: string;

  it('the HTML report carries the JSON follow-up\'s figures; a count below k is "< 5", never a number', async () => {
    const j = await call('GET', `/api/action-plans/${planId}/follow-up`, 'husby');
    expect(j.statusCode, j.body).toBe(200);
    expect(j.headers['content-type']).toMatch(/^application\/json/);
    json = j.json();
    const by = Object.fromEntries(json.indicators.map((i) => [i.indicatorId, i]));
    expect([by.husby.status, by.kista.status, by.akalla.status]).toEqual(['off-track', 'on-track', 'not-enough-data']);
    expect(by.akalla.current).toMatchObject({ count: null, suppressed: true });
    expect(json.measures.overdue.map((m) => m.id)).toEqual(['belysning']);

    const h = await call('GET', `/api/action-plans/${planId}/follow-up?f=html`, 'husby');
    expect(h.statusCode, h.body.slice(0, 300)).toBe(200);
    expect(h.headers['content-type']).toBe('text/html; charset=utf-8');
    html = h.body;
    const body = text(html);
    for (const s of ['Uppföljning av åtgärdsplan', 'Åtgärdsplan Husby 2026', 'Husby', 'Utkast', 'Fler brott kring torget', 'Anmälda brott ökade signifikant',
      'Öppen narkotikahandel kvällstid', 'Unga män', 'Problemtriangeln', 'Bättre belysning', 'Trafikkontoret', 'Stockholmshem (fastighetsägare)']) expect(body, s).toContain(s);
    expect(body).toContain(`Dataversion ${json.dataVersion}`);
    for (const id of ['husby', 'kista']) {
      const i = by[id];
      const row = rowOf(html, i.label);
      // the current value (count and rate per 1 000) and the baseline, as the JSON has them
      expect(row, id).toContain(`${sv(i.current.count!)} ${sv(i.current.ratePer1000!, 1)} per 1 000 inv.`);
      expect(row, id).toContain(`${sv(i.baseline.count!)} ${sv(i.baseline.ratePer1000!, 1)} per 1 000 inv.`);
      expect(row, id).toContain(i.statusText.sv);
    }
    const akalla = rowOf(html, LABEL.AKALLA);
    expect(akalla).toContain('< 5');
    expect(akalla).toContain(by.akalla.statusText.sv);
    // no rate either (a rate times the population tells the count); the last cell is the plan's own target, no data
    expect(withoutTarget(akalla)).not.toMatch(/per 1 000 inv\./);
    // the overdue measure is flagged, the other is not
    expect(rowOf(html, 'Bättre belysning')).toMatch(/Försenad: slutdatum 30 juni 2025 har passerat/);
    expect(rowOf(html, 'Trygghetsvandringar')).not.toMatch(/Försenad/);
    // the download links of the web screens' URL, on screen only
    expect(html).toContain('<a href="?f=pdf&amp;lang=sv" download>Ladda ner PDF</a>');
    expect(html).toContain('<a href="?f=docx&amp;lang=sv" download>Ladda ner Word</a>');
    // English on request
    const en = await call('GET', `/api/action-plans/${planId}/follow-up?f=html&lang=en`, 'husby');
    expect(text(en.body)).toContain('Action plan follow-up');
    expect(rowOf(en.body, LABEL.HUSBY)).toContain(by.husby.statusText.en);
    // a bad format is a 400 naming the parameter
    const bad = await call('GET', `/api/action-plans/${planId}/follow-up?f=xml`, 'husby');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/\bf\b/);
  });

  it('an analyst\'s follow-up counts the same whole months as the public\'s (the baselines\' grid), exactly, and judges alike', async () => {
    const r = await call('GET', `/api/action-plans/${planId}/follow-up`, 'analyst');
    expect(r.statusCode, r.body).toBe(200);
    const exact = Object.fromEntries((r.json() as FollowUp).indicators.map((i) => [i.indicatorId, i]));
    for (const i of json.indicators) {
      const a = exact[i.indicatorId];
      expect([a.current.from, a.current.to], i.indicatorId).toEqual([i.current.from, i.current.to]);
      const s = await call('GET', `/api/stats?areaSet=stadsdelar&source=crimes&from=${a.current.from}&to=${a.current.to}`, 'analyst');
      const row = (s.json() as { rows: { areaId: number; count: number }[] }).rows.find((x) => x.areaId === ids[i.indicatorId.toUpperCase()])!;
      expect(a.current.count, i.indicatorId).toBe(row.count);
    }
    expect([exact.husby.status, exact.kista.status]).toEqual(['off-track', 'on-track']);
    // Akalla's exact counts: the baseline is the public one (below k), so there is nothing to judge
    expect(exact.akalla.status).toBe('not-enough-data');
  });

  it('the Word document has the same rows: the current value, "< 5" for the suppressed count, the status in words', async () => {
    const r = await call('GET', `/api/action-plans/${planId}/follow-up?f=docx`, 'husby');
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="uppfoljning-atgardsplan-\d+-\d{4}-\d{2}-\d{2}\.docx"$/);
    const file = path.join(tmp, 'follow-up.docx');
    fs.writeFileSync(file, r.rawPayload);
    const d = readDocx(file);
    const ind = d.tables.find((tb) => tb[0][0] === 'Indikator')!;
    expect(ind[0]).toEqual(['Indikator', 'Utgångsläge', 'Nu', 'Kvot (95 % KI)', 'Bedömning', 'Mål']);
    for (const i of json.indicators) {
      const row = ind.find((x) => x[0].startsWith(i.label))!;
      expect(row, i.label).toBeDefined();
      expect(row[2].split('\n')[0]).toBe(i.current.suppressed ? '< 5' : sv(i.current.count!));
      expect(row[1].split('\n')[0]).toBe(i.baseline.suppressed ? '< 5' : sv(i.baseline.count!));
      expect(row[4]).toBe(i.statusText.sv);
      // the target with its unit: a rate for an incident indicator (a survey indicator's is a percent)
      expect(row[5].split('\n')[0]).toMatch(/^(–|\d+(,\d)? per 1 000 inv\.)$/);
    }
    const measures = d.tables.find((tb) => tb[0][0] === 'Åtgärd')!;
    expect(measures.map((x) => x[0].split('\n')[0])).toEqual(['Åtgärd', 'Bättre belysning', 'Trygghetsvandringar']);
    expect(measures[1][4]).toMatch(/^Pågående\nFörsenad/);
    expect(d.text).toContain('Öppen narkotikahandel kvällstid');
  });

  it.runIf(kind === 'embedded')('the PDF (Chromium) has each indicator\'s label and its status', async () => {
    const r = await call('GET', `/api/action-plans/${planId}/follow-up?f=pdf`, 'husby');
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const file = path.join(tmp, 'follow-up.pdf');
    fs.writeFileSync(file, r.rawPayload);
    const flat = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const i of json.indicators) {
      expect(flat).toContain(i.label);
      expect(flat).toContain(i.statusText.sv);
    }
    expect(flat).toMatch(/Sida 2 av \d+/);
    // every table inside the page: no word beyond the right margin (18 mm)
    const bbox = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const pageW = Number(/<page width="([\d.]+)"/.exec(bbox)![1]);
    const overflow = [...bbox.matchAll(/<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)]
      .filter((m) => Number(m[1]) > pageW - (18 / 25.4) * 72 + 2).map((m) => m[2]);
    expect(overflow).toEqual([]);
    expect(flat).not.toContain('Ladda ner');
  }, 120_000);

  it('the public gets 404 for a draft\'s documents, staff of another district too; published, the public reads it without a count below k or a key\'s name', async () => {
    for (const f of ['json', 'html', 'pdf', 'docx']) {
      expect((await call('GET', `/api/action-plans/${planId}/follow-up?f=${f}`, 'public')).statusCode, f).toBe(404);
      expect((await call('GET', `/api/action-plans/${planId}/follow-up?f=${f}`, 'rinkeby')).statusCode, f).toBe(404);
    }
    expect((await call('POST', `/api/action-plans/${planId}/decide`, 'husby', {})).statusCode).toBe(200);
    expect((await call('GET', `/api/action-plans/${planId}/follow-up?f=html`, 'public')).statusCode).toBe(404);
    expect((await call('POST', `/api/action-plans/${planId}/publish`, 'husby', {})).statusCode).toBe(200);
    const h = await call('GET', `/api/action-plans/${planId}/follow-up?f=html`, 'public');
    expect(h.statusCode, h.body.slice(0, 300)).toBe(200);
    // attack: Akalla's 3 and 2 crimes stay hidden in the public's report, as the count and as a rate
    const akalla = rowOf(h.body, LABEL.AKALLA);
    expect(akalla).toMatch(/^Brott i Akalla Akalla · Anmälda brott · 12 månader < 5 1 jan – 31 dec 2025 < 5 1 jan – 31 dec 2026 – /);
    expect(withoutTarget(akalla)).not.toMatch(/per 1 000 inv\./);
    expect(text(h.body)).toContain('Beslutad av Stadsdelsförvaltningen');
    expect(h.body).not.toContain('Anna Andersson');
    // staff see who decided it
    expect(text((await call('GET', `/api/action-plans/${planId}/follow-up?f=html`, 'husby')).body)).toContain('Beslutad av Anna Andersson (husby)');
    const d = await call('GET', `/api/action-plans/${planId}/follow-up?f=docx`, 'public');
    expect(d.statusCode).toBe(200);
    const file = path.join(tmp, 'public.docx');
    fs.writeFileSync(file, d.rawPayload);
    const row = readDocx(file).tables.find((tb) => tb[0][0] === 'Indikator')!.find((x) => x[0].startsWith(LABEL.AKALLA))!;
    expect([row[1].split('\n')[0], row[2].split('\n')[0]]).toEqual(['< 5', '< 5']);
    expect(row.slice(0, 5).join(' ')).not.toMatch(/per 1 000/);
  });

  it('the city overview counts each plan\'s indicators by follow-up status and its overdue measures, as JSON and CSV', async () => {
    const o = await call('GET', '/api/reports?areaSet=stadsdelar', 'analyst');
    expect(o.statusCode, o.body.slice(0, 300)).toBe(200);
    const areas = (o.json() as Overview).areas;
    expect(areas).toHaveLength(117);
    const husby = areas.find((a) => a.code === 'HUSBY')!;
    expect(husby.latestActionPlan).toEqual({
      id: planId, status: 'published', priorities: 1, measures: { ongoing: 1, planned: 1 },
      indicators: { onTrack: 1, offTrack: 1, noCertainChange: 0, notEnoughData: 1, tooEarly: 0 }, overdueMeasures: 1,
    });
    expect(husby.stale).toBe(true);
    expect(areas.find((a) => a.code === 'RINKEBY')!.latestActionPlan).toBeNull();

    const c = await call('GET', '/api/reports?areaSet=stadsdelar&f=csv&lang=en', 'analyst');
    expect(c.statusCode, c.body.slice(0, 300)).toBe(200);
    expect(c.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(c.headers['content-disposition']).toMatch(/^attachment; filename="oversikt-lagesbilder-atgardsplaner-stadsdelar\.csv"$/);
    const lines = c.body.trim().split('\r\n').map((l) => l.split(','));
    expect(lines).toHaveLength(118);
    const head = lines[0];
    expect(head).toEqual(['areaId', 'code', 'name', 'latestReportDate', 'stale', 'reportCount', 'planId', 'planStatus', 'priorities',
      'measuresPlanned', 'measuresOngoing', 'measuresDone', 'measuresCancelled', 'indicatorsOnTrack', 'indicatorsOffTrack',
      'indicatorsNoCertainChange', 'indicatorsNotEnoughData', 'indicatorsTooEarly', 'overdueMeasures']);
    const row = (code: string) => Object.fromEntries(head.map((h, i) => [h, lines.find((l) => l[1] === code)![i]]));
    expect(row('HUSBY')).toMatchObject({ latestReportDate: '', stale: 'true', reportCount: '0', planId: String(planId), planStatus: 'published', priorities: '1',
      measuresPlanned: '1', measuresOngoing: '1', measuresDone: '0', measuresCancelled: '0',
      indicatorsOnTrack: '1', indicatorsOffTrack: '1', indicatorsNoCertainChange: '0', indicatorsNotEnoughData: '1', indicatorsTooEarly: '0', overdueMeasures: '1' });
    expect(row('RINKEBY')).toMatchObject({ stale: 'true', planId: '', planStatus: '', indicatorsOffTrack: '', overdueMeasures: '' });
    // Swedish: Swedish column names, ja/nej, ";" for a Swedish spreadsheet
    const s = await call('GET', '/api/reports?areaSet=stadsdelar&f=csv&lang=sv', 'analyst');
    const svLines = s.body.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(';'));
    expect(svLines[0]).toContain('indikatorer ej i fas');
    const i = svLines[0].indexOf('indikatorer ej i fas');
    const svHusby = svLines.find((l) => l[1] === 'HUSBY')!;
    expect([svHusby[i], svHusby[svLines[0].indexOf('inaktuell lägesbild')]]).toEqual(['1', 'ja']);
    // coded values in words, as ja/nej: a Swedish reader sees 'publicerad', not the API's 'published'
    expect(svHusby[svLines[0].indexOf('åtgärdsplanens status')]).toBe('publicerad');
    // the overview stays for those signed in
    expect((await call('GET', '/api/reports?areaSet=stadsdelar&f=csv', 'public')).statusCode).toBe(401);
  });
  it('/docs: the follow-up\'s formats and the overview\'s plan figures and CSV are in the OpenAPI document, every query parameter described with an example', async () => {
    type Param = { in: string; name: string; description?: string; example?: unknown; schema?: { enum?: string[]; description?: string; example?: unknown } };
    type Op = { parameters?: Param[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
    const doc = (await t.app.inject('/docs/json')).json() as { paths: Record<string, Record<string, Op>> };
    const followUp = doc.paths['/api/action-plans/{id}/follow-up'].get;
    const overview = doc.paths['/api/reports'].get;
    const param = (op: Op, name: string) => op.parameters!.find((x) => x.in === 'query' && x.name === name)!;
    expect(param(followUp, 'f').schema!.enum).toEqual(['json', 'html', 'pdf', 'docx']);
    expect(param(followUp, 'lang').schema!.enum).toEqual(['sv', 'en']);
    expect(param(overview, 'f').schema!.enum).toEqual(['json', 'csv']);
    for (const [op, names] of [[followUp, ['f', 'lang']], [overview, ['f', 'sep', 'lang', 'areaSet']]] as const) {
      for (const n of names) {
        const x = param(op, n);
        expect(!!(x.description ?? x.schema?.description), n).toBe(true);
        expect(x.example !== undefined || x.schema?.example !== undefined, n).toBe(true);
      }
    }
    const schema = JSON.stringify(overview.responses['200'].content!['application/json'].schema);
    for (const field of ['onTrack', 'offTrack', 'noCertainChange', 'notEnoughData', 'tooEarly', 'overdueMeasures']) expect(schema).toContain(`"${field}"`);
    expect(JSON.stringify(followUp.responses['200'].content!['application/json'].schema)).toContain('"statusText"');
  });
});
