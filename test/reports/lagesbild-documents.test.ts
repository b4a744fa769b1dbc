// The lägesbild as documents a district hands over (issue 16): at three area levels (stadsdelsområde, stadsdel,
// basområde) the report speaks in words — no API paths, ids or class codes —, names its places and hotspots, draws
// its map fitted to the area; the PDF keeps every table inside the page; the Word document opens in python-docx with
// the HTML's headings, tables and figures; the HTML offers both downloads on screen only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { reportArea } from '../../server/domain/reports/report-area.js';
import { reportMapExtent } from '../../server/domain/reports/map-extent.js';
import type { LagesbildContent } from '../../server/domain/reports/types.js';
import { hotspotSvg } from '../../server/rendering/map-image.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';
import { districtId, seedReportData } from './seed.js';

const PERIOD = 'from=2025-01-01&to=2026-01-01';
const PY = '/usr/bin/python3';

/** Internals no reader should meet: API paths, hotspot class codes, grid cell ids. */
const INTERNALS: [string, RegExp][] = [
  ['an API path', /\/api\//], ['a hotspot class code', /\b(hot|cold)-(99|95|90)\b/], ['not-significant', /not-significant/],
  ['a cell id', /\(i -?\d+, j -?\d+\)/], ['an HTTP verb', /\bGET \//], ['a batch id', /#\d+ /],
];

const unescape = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

/** The visible text of the HTML (styles, SVG and data URIs out). */
function htmlText(html: string): string {
  return unescape(html.replace(/<style>[\s\S]*?<\/style>/g, ' ').replace(/<svg[\s\S]*?<\/svg>/g, ' ').replace(/<[^>]+>/g, ' '));
}

/** h2 → level 1, h3 → 2, h4 → 3, in document order (the Word document's Heading 1/2/3). */
function htmlHeadings(html: string): [number, string][] {
  return [...html.matchAll(/<h([234])[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => [Number(m[1]) - 1, unescape(m[2])]);
}

/** Each table's last non-empty header of its first row with headers. */
function lastHeaders(html: string): string[] {
  return [...html.matchAll(/<table[\s\S]*?<\/table>/g)].map((t) => {
    const row = [...t[0].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => r[1]).find((r) => r.includes('<th'));
    const ths = row ? [...row.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((m) => unescape(m[1])).filter(Boolean) : [];
    return ths[ths.length - 1];
  }).filter((x): x is string => Boolean(x));
}

/** python-docx's reading of a .docx: body blocks in order (paragraph style + text, tables as cell texts), images, TOC. */
function readDocx(file: string): { blocks: ({ p: string; style: string } | { table: string[][] })[]; images: number; toc: boolean; text: string } {
  const script = `
import json, sys, docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
d = docx.Document(sys.argv[1])
blocks = []
for el in d.element.body.iterchildren():
    if el.tag == qn('w:p'):
        p = Paragraph(el, d)
        blocks.append({'p': p.text, 'style': p.style.name if p.style is not None else ''})
    elif el.tag == qn('w:tbl'):
        blocks.append({'table': [[c.text for c in r.cells] for r in Table(el, d).rows]})
instr = ' '.join(x.text or '' for x in d.element.body.iter(qn('w:instrText')))
texts = ' '.join(x.text or '' for x in d.element.body.iter(qn('w:t')))
print(json.dumps({'blocks': blocks, 'images': len(d.inline_shapes), 'toc': 'TOC ' in instr, 'text': texts}))
`;
  return JSON.parse(execFileSync(PY, ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

describe.each(backends)('lägesbild documents on %s', (kind) => {
  let t: TestApp;
  let tmp: string;
  const areas: Record<'stadsdelsomrade' | 'stadsdel' | 'basomrade', number> = { stadsdelsomrade: 0, stadsdel: 0, basomrade: 0 };
  const keys: Record<string, string> = {};
  const auth = (who: string) => (keys[who] ? { authorization: `Bearer ${keys[who]}` } : {});
  const get = async (url: string, who = 'public') => t.app.inject({ method: 'GET', url, headers: auth(who) });
  const json = new Map<number, LagesbildContent>();
  const html = new Map<number, string>();

  beforeAll(async () => {
    t = await openTestApp(kind);
    await seedReportData(t.db);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-docs-'));
    areas.stadsdel = await districtId(t.db, 'RINKEBY');
    areas.stadsdelsomrade = Number((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelsomraden-2023' AND name = 'Järva'`)).rows[0].id);
    // the basområde in Rinkeby with the most seeded crimes
    areas.basomrade = Number((await t.db.query<{ id: number }>(
      `SELECT b.id FROM areas b JOIN areas r ON r.id = $1 AND ST_Intersects(r.geom, ST_PointOnSurface(b.geom))
       JOIN incidents i ON i.source = 'crimes' AND ST_Intersects(b.geom, i.geom)
       WHERE b.area_set_id = 'basomraden' GROUP BY b.id ORDER BY count(*) DESC, b.id LIMIT 1`, [areas.stadsdel])).rows[0].id);
    keys.staffRinkeby = (await createKey(t.db, { name: 'sdf rinkeby', role: 'staff', districts: ['stadsdelar:RINKEBY'] })).key;
    for (const id of Object.values(areas)) {
      const j = await get(`/api/reports/lagesbild?areaId=${id}&${PERIOD}&f=json`);
      expect(j.statusCode, j.body.slice(0, 300)).toBe(200);
      json.set(id, j.json());
      const h = await get(`/api/reports/lagesbild?areaId=${id}&${PERIOD}&f=html`);
      expect(h.statusCode).toBe(200);
      html.set(id, h.body);
    }
  });
  afterAll(async () => {
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('speaks in words at every level: no API paths, class codes or cell ids in the report', () => {
    for (const [level, id] of Object.entries(areas)) {
      const body = html.get(id)!;
      expect(json.get(id)!.area.id).toBe(id);
      for (const [what, re] of INTERNALS) expect(re.test(htmlText(body)), `${level}: ${what} in the text`).toBe(false);
      // not hidden in attributes or notes either (data URIs are base64: no '/api/' or '-99' in them)
      expect(body, level).not.toMatch(/\/api\/|not-significant|\bhot-9[59]\b|\(i -?\d+, j -?\d+\)/);
    }
  });

  it('names the hotspot cells by their basområde or a nearby station or stop', async () => {
    const known = new Set((await t.db.query<{ name: string }>(`SELECT name FROM areas WHERE area_set_id IN ('basomraden', 'stadsdelar', 'kommuner-ab')`)).rows.map((r) => r.name));
    let hexagons = 0;
    for (const [level, id] of Object.entries(areas)) {
      for (const p of json.get(id)!.whereWhen.topPlaces.filter((x) => x.kind === 'hexagon')) {
        hexagons++;
        // a place name people use: an area's name, or "… m <direction> om <station/stop>" / "vid <station/stop>"
        expect(known.has(p.name) || /^(Vid|\d+ m \S+ om) /.test(p.name), `${level}: ${p.name}`).toBe(true);
        expect(p.detail, `${level}: ${p.detail}`).toMatch(/hot spot|cold spot|ingen statistiskt säkerställd koncentration/);
      }
    }
    expect(hexagons).toBeGreaterThan(0);
    // at the basområde level every row lies in the same basområde: the landmark tells them apart
    const bas = json.get(areas.basomrade)!;
    const names = bas.whereWhen.topPlaces.filter((x) => x.kind === 'hexagon').map((x) => x.name);
    expect(names.every((n) => n !== bas.area.name) || names.length === 0).toBe(true);
  });

  it('follows up each place by name with the evaluation\'s verdict sentence, figures and CI', async () => {
    for (const id of [areas.stadsdelsomrade, areas.stadsdel]) {
      const c = json.get(id)!;
      const place = c.places.find((p) => p.name === 'Rinkeby torg')!;
      expect(place, `area ${id}`).toBeDefined();
      const e = await get(`/api/places/${place.id}/evaluation`);
      expect(e.statusCode, e.body).toBe(200);
      const ev = e.json();
      // the same analysis and the same viewer: the same sentence and figures
      expect(place.verdictText).toBe(ev.sentence.sv);
      expect(place.followUp).toMatchObject({
        before: { from: ev.before.from, to: ev.before.to }, after: { from: ev.after.from, to: ev.after.to },
        placeBefore: ev.counts.place.before, placeAfter: ev.counts.place.after,
        ratio: ev.differenceInDifferences.place?.ratio ?? null, ciLow: ev.differenceInDifferences.place?.ciLow ?? null,
      });
      const text = htmlText(html.get(id)!);
      expect(text).toContain(ev.sentence.sv);
      if (place.followUp?.ratio != null) expect(text).toMatch(/Kvot mot utvecklingen i .+ \(95 % KI \d+,\d+–\d+,\d+\)/);
    }
  });

  it('draws the map in the area\'s own set, fitted to the area: bounds within its bounds buffered by 20 %', async () => {
    for (const [level, id] of Object.entries(areas)) {
      const c = json.get(id)!;
      const m = c.whereWhen.map;
      expect(m.kind, level).not.toBe('none');
      expect(m.areaSetId, level).toBe(c.area.areaSetId);
      const b = (await t.db.query<{ w: number; s: number; e: number; n: number }>(
        `SELECT ST_XMin(x) w, ST_YMin(x) s, ST_XMax(x) e, ST_YMax(x) n FROM (SELECT ST_Transform(geom, 4326)::box2d x FROM areas WHERE id = $1) t`, [id])).rows[0];
      const [w, s, e, n] = [Number(b.w), Number(b.s), Number(b.e), Number(b.n)];
      const dx = (e - w) * 0.2, dy = (n - s) * 0.2;
      const [mw, ms, me, mn] = m.bounds!;
      expect([mw >= w - dx, ms >= s - dy, me <= e + dx, mn <= n + dy], `${level}: ${m.bounds} vs ${[w, s, e, n]}`).toEqual([true, true, true, true]);
      // and the whole area is on the map
      expect([mw <= w, ms <= s, me >= e, mn >= n], `${level}: the area lies inside the map`).toEqual([true, true, true, true]);
    }
    // the drawing holds the neighbouring areas of the same set (context), not the whole city
    const jarva = await reportArea(t.db, areas.stadsdelsomrade);
    const svg = await hotspotSvg(t.db, jarva, null, 'sv', await reportMapExtent(t.db, jarva.id));
    const neighbours = (await t.db.query<{ name: string }>(
      `SELECT b.name FROM areas a JOIN areas b ON b.area_set_id = a.area_set_id AND b.id <> a.id AND ST_Intersects(a.geom, b.geom) WHERE a.id = $1`, [jarva.id])).rows.map((r) => r.name);
    expect(neighbours.length).toBeGreaterThan(0);
    expect(neighbours.some((name) => svg.includes(`>${name}<`))).toBe(true);
    const far = (await t.db.query<{ name: string }>(`SELECT name FROM areas WHERE area_set_id = 'stadsdelsomraden-2023' AND name IN ('Skarpnäck', 'Farsta', 'Skärholmen')`)).rows.map((r) => r.name);
    for (const name of far) expect(svg, name).not.toContain(`>${name}<`);
  });

  it('offers "Ladda ner PDF" and "Ladda ner Word" on screen, linking to the same report', async () => {
    const body = html.get(areas.stadsdelsomrade)!;
    const links = Object.fromEntries([...body.matchAll(/<a href="([^"]+)" download>([^<]+)<\/a>/g)].map((m) => [m[2], m[1].replace(/&amp;/g, '&')]));
    expect(Object.keys(links)).toEqual(['Ladda ner PDF', 'Ladda ner Word']);
    for (const [label, f] of [['Ladda ner PDF', 'pdf'], ['Ladda ner Word', 'docx']]) {
      const q = new URLSearchParams(links[label].replace(/^\?/, ''));
      expect(Object.fromEntries(q)).toEqual({ areaId: String(areas.stadsdelsomrade), from: '2025-01-01', to: '2026-01-01', f });
    }
    // hidden when printed
    expect(body).toMatch(/@media print \{[^}]*\.screen-bar \{ display: none/);
    const en = await get(`/api/reports/lagesbild?areaId=${areas.stadsdel}&${PERIOD}&f=html&lang=en`);
    expect(en.body).toContain('>Download PDF</a>');
    expect(en.body).toContain('>Download Word</a>');
  });

  it('gives the same report as an editable Word document with real headings, tables, the map and figures', async () => {
    const id = areas.stadsdelsomrade;
    const c = json.get(id)!;
    const r = await get(`/api/reports/lagesbild?areaId=${id}&${PERIOD}&f=docx`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="lagesbild-[a-z0-9-]+-2025-01-01\.docx"$/);
    const file = path.join(tmp, 'jarva.docx');
    fs.writeFileSync(file, r.rawPayload);
    const d = readDocx(file);
    // the HTML's section and subsection headings as Word headings, in the same order
    const headings = d.blocks.flatMap((b) => ('p' in b && /^Heading [123]$/.test(b.style) ? [[Number(b.style.slice(-1)), b.p] as [number, string]] : []));
    expect(headings).toEqual(htmlHeadings(html.get(id)!));
    expect(headings.filter(([l]) => l === 1).map(([, x]) => x)).toEqual(['1. Sammanfattning', '2. Brottslighetens omfattning', '3. Konsekvenser och otrygghet', '4. Var och när', '5. Platssamverkan och uppföljning', '6. Datakällor', '7. Orsaksanalys, prioriteringar och åtgärdsplan', '8. Metod']);
    expect(d.toc).toBe(true);
    expect(d.images).toBeGreaterThanOrEqual(1);
    // the findings and the key figures of the JSON
    const paragraphs = d.blocks.flatMap((b) => ('p' in b ? [b.p] : []));
    for (const f of c.summary) expect(paragraphs).toContain(f.text);
    const tables = d.blocks.flatMap((b) => ('table' in b ? [b.table] : []));
    const scope = tables.find((tb) => tb[0][0] === 'Källa' && tb[0].includes('Föreg. period'))!;
    const k = c.viewer.suppressionK;
    const fmt = (v: number | null, hidden: boolean) => (hidden ? `< ${k}` : new Intl.NumberFormat('sv-SE').format(v!));
    for (const s of c.scope.sources) {
      const row = scope.find((x) => x[0].startsWith(s.label))!;
      expect(row, s.label).toBeDefined();
      expect([row[1], row[2]]).toEqual([fmt(s.count, s.suppressed), fmt(s.previousCount, s.previousSuppressed)]);
    }
    const place = c.places.find((p) => p.name === 'Rinkeby torg')!;
    expect(d.text).toContain(place.verdictText!);
    // the staff sections, ready to fill in
    for (const h of ['Orsaksanalys', 'Prioriteringar', 'Åtgärdsplan med SMART-mål']) expect(headings.map(([, x]) => x)).toContain(h);
    expect(tables.some((tb) => tb[0][0] === 'Mål 1' && tb.map((x) => x[0]).includes('Tidsatt'))).toBe(true);
    for (const [what, re] of INTERNALS) expect(re.test(d.text), `docx: ${what}`).toBe(false);
  });

  it('gives a saved report as Word too, with the staff text', async () => {
    const body = { areaId: areas.stadsdel, from: '2025-01-01', to: '2026-01-01', title: 'Rinkeby 2025', staffText: { priorities: 'Trygghet vid torget kvällstid.' } };
    const s = await t.app.inject({ method: 'POST', url: '/api/reports', payload: body, headers: auth('staffRinkeby') });
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json().links.docx).toBe(`/api/reports/${s.json().id}?f=docx`);
    const r = await get(s.json().links.docx, 'staffRinkeby');
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="lagesbild-rinkeby-2025-01-01-nr\d+\.docx"$/);
    const file = path.join(tmp, 'saved.docx');
    fs.writeFileSync(file, r.rawPayload);
    const d = readDocx(file);
    expect(d.blocks.some((b) => 'p' in b && b.p === 'Trygghet vid torget kvällstid.')).toBe(true);
    expect(d.text).toContain('Sparad lägesbild nr');
  });

  it.runIf(kind === 'embedded')('prints every table inside the page (PDF), with a table of contents and page numbers', async () => {
    const id = areas.stadsdelsomrade;
    const page = html.get(id)!;
    const pdfLink = /<a href="([^"]+)" download>Ladda ner PDF<\/a>/.exec(page)![1].replace(/&amp;/g, '&');
    const r = await get(`/api/reports/lagesbild${pdfLink}`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const file = path.join(tmp, 'jarva.pdf');
    fs.writeFileSync(file, r.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const lines = text.split('\n').map((l) => l.replace(/\s+/g, ' '));
    const last = lastHeaders(page);
    expect(last.length).toBeGreaterThanOrEqual(8);
    for (const h of new Set(last)) expect(lines.some((l) => l.includes(h)), `last column header "${h}"`).toBe(true);
    // no word beyond the right margin (18 mm) on any page
    const bbox = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const pageW = Number(/<page width="([\d.]+)"/.exec(bbox)![1]);
    const overflow = [...bbox.matchAll(/<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)]
      .filter((m) => Number(m[1]) > pageW - (18 / 25.4) * 72 + 2).map((m) => m[2]);
    expect(overflow).toEqual([]);
    // table of contents on the cover, page numbers in the footer, no screen-only bar
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Innehåll');
    for (const s of ['Sammanfattning', 'Brottslighetens omfattning', 'Orsaksanalys, prioriteringar och åtgärdsplan', 'Metod']) expect(flat).toContain(s);
    expect(flat).toMatch(/Sida 2 av \d+/);
    expect(flat).not.toContain('Ladda ner');
  });
});
