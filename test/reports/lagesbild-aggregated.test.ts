// Aggregated counts (import kind area-counts, issue 19) in the lägesbild, on both backends: reported crimes per
// municipality of the county and month (2024–2025) imported for kommuner-ab. A report for a Stockholm district (Husby,
// stadsdelar) and for Stockholm itself (kommuner-ab) shows them as their own labelled part — the figures of Stockholm's
// row of /api/stats?areaSet=kommuner-ab&source=crimes for the same period, exact for an analyst and the same published
// (possibly hidden) values for the public, per category too — with the file as provenance (section 2 and the sources
// section, HTML and Word), while the event-counted sections are the same as before the import (never mixed). A report
// without such counts (before the import; the county, which no municipality contains) has none; a period the counts do
// not reach is left out with a note.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import type { AggregatedFigures, LagesbildContent } from '../../server/domain/reports/types.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';
import { districtId, seedReportData } from './seed.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const KOMMUNER: string[] = (JSON.parse(fs.readFileSync(path.join(ROOT, 'data/sweden/kommuner.geojson'), 'utf8')) as { features: { properties: { id: string; lan_code: string } }[] })
  .features.filter((f) => f.properties.lan_code === '01').map((f) => String(f.properties.id));
const MONTHS = [2024, 2025].flatMap((y) => Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`));
const PERIOD = 'from=2025-01-01&to=2026-01-01';
const FILE = 'brott-per-kommun-2024-2025.csv';

/** A deterministic count per municipality, month and category; Stockholm's damage is 2 in one month only (below k). */
function countOf(code: string, month: string, cat: string): number {
  if (cat === 'skadegorelse') return code === '0180' && month === '2025-03' ? 2 : 0;
  let h = 17;
  for (const ch of `${code}|${month}|${cat}`) h = Math.imul(h ^ ch.charCodeAt(0), 2654435761) >>> 0;
  const scale = code === '0180' ? 1500 : 120;
  // Stockholm's assaults rise in 2025: a significant change to test
  return scale + (h % scale) + (code === '0180' && cat === 'misshandel' && month.startsWith('2025') ? 400 : 0);
}
function csv(): string {
  const lines = ['area_code,period,category,count'];
  for (const k of KOMMUNER) for (const m of MONTHS) for (const c of ['misshandel', 'stold', 'skadegorelse']) {
    const n = countOf(k, m, c);
    if (n) lines.push(`${k},${m},${c},${n}`);
  }
  return `${lines.join('\n')}\n`;
}
const sumOf = (code: string, year: string, cats = ['misshandel', 'stold', 'skadegorelse']) =>
  MONTHS.filter((m) => m.startsWith(year)).reduce((s, m) => s + cats.reduce((t, c) => t + countOf(code, m, c), 0), 0);

type StatsRow = { areaId: number; code: string; count: number | null; suppressed: boolean; ratePer1000: number | null; previousCount: number | null; previousSuppressed: boolean;
  rateRatio: number | null; rateRatioCiLow: number | null; rateRatioCiHigh: number | null; changeSignificant: boolean };
type Stats = { meta: { period: { from: string; to: string; lastDay: string }; previousPeriod: { from: string; to: string }; requestedPeriod: unknown;
  aggregated: { granularity: string; complete: boolean; batches: { fileName: string | null }[] } | null }; rows: StatsRow[] };

describe.each(backends)('lägesbild with aggregated counts on %s', (kind) => {
  let t: TestApp;
  let analyst = '';
  let husby = 0, stockholm = 0, county = 0;
  const auth = (key: string | null) => (key ? { authorization: `Bearer ${key}` } : {});
  const report = async (areaId: number, key: string | null, period = PERIOD, f = 'json') => {
    const r = await t.app.inject({ url: `/api/reports/lagesbild?areaId=${areaId}&${period}&f=${f}&evaluatePlaces=false`, headers: auth(key) });
    expect(r.statusCode, r.body.slice(0, 400)).toBe(200);
    return r;
  };
  const content = async (areaId: number, key: string | null, period = PERIOD) => (await report(areaId, key, period)).json() as LagesbildContent;
  const stats = async (key: string | null, category?: string): Promise<Stats> => {
    const r = await t.app.inject({ url: `/api/stats?areaSet=kommuner-ab&source=crimes&${PERIOD}${category ? `&category=${category}` : ''}`, headers: auth(key) });
    expect(r.statusCode, r.body.slice(0, 400)).toBe(200);
    return r.json() as Stats;
  };
  /** the figures of a report's aggregated row that /api/stats' row answers, in the stats' names */
  const asStats = (a: AggregatedFigures | { count: number | null; suppressed: boolean; ratePer1000: number | null; previousCount: number | null; previousSuppressed: boolean;
    rateRatio: number | null; ciLow: number | null; ciHigh: number | null; changeSignificant: boolean }) => ({
    count: a.count, suppressed: a.suppressed, ratePer1000: a.ratePer1000, previousCount: a.previousCount, previousSuppressed: a.previousSuppressed,
    rateRatio: a.rateRatio, rateRatioCiLow: a.ciLow, rateRatioCiHigh: a.ciHigh, changeSignificant: a.changeSignificant,
  });
  const pick = (r: StatsRow) => ({
    count: r.count, suppressed: r.suppressed, ratePer1000: r.ratePer1000, previousCount: r.previousCount, previousSuppressed: r.previousSuppressed,
    rateRatio: r.rateRatio, rateRatioCiLow: r.rateRatioCiLow, rateRatioCiHigh: r.rateRatioCiHigh, changeSignificant: r.changeSignificant,
  });
  /** the event-counted parts, which the import must leave as they were */
  const eventParts = (c: LagesbildContent) => ({ scope: c.scope, sources: c.sources, summary: c.summary, insecurity: c.insecurity, hot: c.whereWhen.hotspots, notes: c.notes.scope });
  const before: Record<string, LagesbildContent> = {};

  beforeAll(async () => {
    t = await openTestApp(kind);
    await seedReportData(t.db);
    analyst = (await createKey(t.db, { name: 'analyst', role: 'analyst' })).key;
    husby = await districtId(t.db, 'HUSBY');
    const id = async (set: string, code: string) => Number((await t.db.query<{ id: number }>('SELECT id FROM areas WHERE area_set_id = $1 AND code = $2', [set, code])).rows[0].id);
    stockholm = await id('kommuner-ab', '0180');
    county = Number((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'lan-stockholm' ORDER BY id LIMIT 1`)).rows[0].id);
  });
  afterAll(async () => { await t?.close(); });

  it('has no aggregated counts before any are imported', async () => {
    for (const [name, areaId, key] of [['husby-analyst', husby, analyst], ['husby-public', husby, null], ['stockholm-analyst', stockholm, analyst]] as const) {
      const c = await content(areaId, key);
      expect(c.aggregated, name).toBeNull();
      before[name] = c;
    }
    const html = (await report(husby, analyst, PERIOD, 'html')).body;
    expect(html).not.toContain('Aggregerade antal');
  });

  it('imports counts per municipality and month for kommuner-ab', async () => {
    const r = await t.app.inject({ method: 'POST', url: `/api/imports/area-counts?areaSet=kommuner-ab&source=crimes&fileName=${FILE}`, payload: csv(),
      headers: { 'content-type': 'application/octet-stream', ...auth(analyst) } });
    expect(r.statusCode, r.body.slice(0, 400)).toBe(201);
    expect(r.json()).toMatchObject({ kind: 'area-counts', committed: true, rejected: 0 });
  });

  it('a district\'s report shows Stockholm\'s aggregated counts, exactly /api/stats\' row for the analyst, with the file', async () => {
    const c = await content(husby, analyst);
    expect(c.aggregated?.rows).toHaveLength(1);
    const a = c.aggregated!.rows[0];
    expect(a).toMatchObject({ source: 'crimes', areaSetId: 'kommuner-ab', areaCode: '0180', areaName: 'Stockholm', areaId: stockholm, containsReportArea: true,
      granularity: 'month', complete: true, previousCovered: true, dataFrom: '2024-01-01', dataTo: '2026-01-01', requestedPeriod: null });
    const s = await stats(analyst);
    const row = s.rows.find((r) => r.code === '0180')!;
    expect(asStats(a)).toEqual(pick(row));
    expect(a.count).toBe(sumOf('0180', '2025'));
    expect(a.previousCount).toBe(sumOf('0180', '2024'));
    expect(a.changeSignificant).toBe(true);
    expect(a.period).toMatchObject({ from: s.meta.period.from, to: s.meta.period.to, lastDay: s.meta.period.lastDay });
    expect(a.previous).toMatchObject({ from: s.meta.previousPeriod.from, to: s.meta.previousPeriod.to });
    expect(a.batches.map((b) => b.fileName)).toEqual([FILE]);
    expect(a.batches.map((b) => b.fileName)).toEqual(s.meta.aggregated!.batches.map((b) => b.fileName));
    expect(a.description).toMatch(/^Aggregerade antal per månad/);
    // per category: /api/stats?category=<code>
    expect(a.categories.map((x) => x.code).sort()).toEqual(['misshandel', 'skadegorelse', 'stold']);
    for (const cat of a.categories) {
      const r = (await stats(analyst, cat.code)).rows.find((x) => x.code === '0180')!;
      expect(asStats(cat), cat.code).toEqual(pick(r));
      expect(cat.count).toBe(sumOf('0180', '2025', [cat.code]));
    }
    // the event-counted sections are what they were before the import: nothing added to them
    expect(eventParts(c)).toEqual(eventParts(before['husby-analyst']));
  });

  it('for the public: the same published figures as /api/stats, a small count hidden as "< k"', async () => {
    const c = await content(husby, null);
    const a = c.aggregated!.rows[0];
    const s = await stats(null);
    expect(asStats(a)).toEqual(pick(s.rows.find((r) => r.code === '0180')!));
    expect(a.count).not.toBeNull();
    const damage = a.categories.find((x) => x.code === 'skadegorelse')!;
    expect(damage).toMatchObject({ count: null, suppressed: true });
    expect(asStats(damage)).toEqual(pick((await stats(null, 'skadegorelse')).rows.find((r) => r.code === '0180')!));
    for (const cat of a.categories) expect(asStats(cat), cat.code).toEqual(pick((await stats(null, cat.code)).rows.find((r) => r.code === '0180')!));
    expect(eventParts(c)).toEqual(eventParts(before['husby-public']));
    const html = (await report(husby, null, PERIOD, 'html')).body;
    const part = html.slice(html.indexOf('id="s2-aggregated"'), html.indexOf('</section>', html.indexOf('id="s2-aggregated"')));
    expect(part).toContain(`&lt; ${c.viewer.suppressionK}`);
  });

  it('the municipality\'s own report shows its own row', async () => {
    const c = await content(stockholm, analyst);
    expect(c.aggregated?.rows.map((r) => [r.areaSetId, r.areaId, r.containsReportArea])).toEqual([['kommuner-ab', stockholm, false]]);
    expect(asStats(c.aggregated!.rows[0])).toEqual(pick((await stats(analyst)).rows.find((r) => r.code === '0180')!));
    expect(eventParts(c)).toEqual(eventParts(before['stockholm-analyst']));
  });

  it('the HTML and Word documents carry the labelled table and the provenance, in section 2 and the sources', async () => {
    const html = (await report(husby, analyst, PERIOD, 'html')).body;
    const at = html.indexOf('id="s2-aggregated"');
    expect(at).toBeGreaterThan(html.indexOf('id="s2"'));
    expect(at).toBeLessThan(html.indexOf('id="s3"'));
    const part = html.slice(at, html.indexOf('</section>', at));
    expect(part).toContain('<h3>Aggregerade antal (importerade)</h3>');
    expect(part).toContain('inte räknade ur enskilda händelser');
    expect(part).toContain('läggs inte ihop med händelsesiffrorna i avsnitt 2–3');
    expect(part).toMatch(/<table class="aggregated">[\s\S]*Anmälda brott — Stockholm \(Kommuner i Stockholms län\)/);
    expect(part).toContain(new Intl.NumberFormat('sv-SE').format(sumOf('0180', '2025')));
    expect(part).toContain(FILE);
    const sources = html.slice(html.indexOf('id="s6"'), html.indexOf('id="s7"'));
    expect(sources).toMatch(/<table class="aggregated-sources">[\s\S]*brott-per-kommun-2024-2025\.csv/);

    const en = (await report(husby, analyst, `${PERIOD}&lang=en`, 'html')).body;
    expect(en).toContain('<h3>Aggregated counts (imported)</h3>');
    expect(en).toContain('not counted from individual events');

    const docx = (await report(husby, analyst, PERIOD, 'docx')).rawPayload;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-agg-'));
    try {
      fs.writeFileSync(path.join(dir, 'r.docx'), docx);
      const text = execFileSync('unzip', ['-p', path.join(dir, 'r.docx'), 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
        .replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      expect(text).toContain('Aggregerade antal (importerade)');
      expect(text).toContain('inte räknade ur enskilda händelser');
      expect(text).toContain('Anmälda brott — Stockholm (Kommuner i Stockholms län)');
      expect(text).toContain(FILE);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('an area no set with counts covers has none; a period the counts do not reach is left out with a note', async () => {
    const c = await content(county, analyst);
    expect(c.area.areaSetId).toBe('lan-stockholm');
    expect(c.aggregated).toBeNull();
    const old = await content(husby, analyst, 'from=2022-01-01&to=2023-01-01');
    expect(old.aggregated).toBeNull();
    expect(old.notes.aggregated?.join(' ')).toMatch(/Anmälda brott, Stockholm \(Kommuner i Stockholms län\): de aggregerade antalen omfattar 1 januari 2024 – 31 december 2025 och täcker inte rapportens period/);
  });
});
