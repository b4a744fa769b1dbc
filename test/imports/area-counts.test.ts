// Aggregated counts as an import kind (issue 19) on both backends: reported crimes per municipality of the county ×
// month × category, as statistics databases publish them, in an XLSX with Swedish headers (Kommunkod, Kommun, Månad,
// Brottskategori, Antal: previewed, the suggested mapping committed) and a ;-CSV in the project's layout (counts with
// thousands spaces and decimal commas). /api/stats?areaSet=kommuner-ab answers the files' sums for a month, a quarter
// and a year, labelled as aggregated with their files; a period not of whole periods of the data is widened to them
// and says so, one outside the data is a 400 naming the span; bad rows are named by line (nothing written, or exactly the valid rows with onInvalid=skip); the same
// file again is 0 inserted / 0 updated; removing the batch removes its counts; the public never sees a count below k,
// and differencing categories or periods gives back no small count (the analyst's exact view shows it would).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import type { ImportPreview } from '../../server/ingest/preview-import.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
type Kommun = { code: string; name: string };
const KOMMUNER: Kommun[] = (JSON.parse(fs.readFileSync(path.join(ROOT, 'data/sweden/kommuner.geojson'), 'utf8')) as { features: { properties: { id: string; kom_namn: string; lan_code: string } }[] })
  .features.filter((f) => f.properties.lan_code === '01').map((f) => ({ code: String(f.properties.id), name: String(f.properties.kom_namn) }));
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
const CATS = [{ code: 'misshandel', label: 'Misshandel' }, { code: 'stold', label: 'Stöld' }];
/** Small municipalities whose assault counts are 0–4 a month: the cells the disclosure control must hide. */
const SMALL = new Set(['0187', '0140']);

/** A deterministic count per municipality, month and category (seeded). */
function countOf(seed: number, code: string, month: string, cat: string): number {
  let h = seed;
  for (const ch of `${code}|${month}|${cat}`) h = Math.imul(h ^ ch.charCodeAt(0), 2654435761) >>> 0;
  if (SMALL.has(code) && cat === 'misshandel') return h % 5;
  const scale = code === '0180' ? 1500 : 120;
  return scale + (h % scale);
}
const crimes = (code: string, month: string, cat: string) => countOf(7, code, month, cat);
const events = (code: string, month: string, cat: string) => countOf(11, code, month, cat);
const sum = (f: typeof crimes, code: string, months: string[], cats = CATS.map((c) => c.code)) =>
  months.reduce((s, m) => s + cats.reduce((t, c) => t + f(code, m, c), 0), 0);

async function crimesXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Anmälda brott');
  ws.addRow(['Kommunkod', 'Kommun', 'Månad', 'Brottskategori', 'Antal']);
  for (const k of KOMMUNER) for (const m of MONTHS) for (const c of CATS) ws.addRow([k.code, k.name, m, c.label, crimes(k.code, m, c.code)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
/** Police events per municipality in the project's layout, ;-separated: thousands spaces and decimal commas as Excel writes them. */
function eventsCsv(): string {
  const lines = ['area_code;period;category;count'];
  for (const k of KOMMUNER) for (const m of MONTHS) for (const c of CATS) {
    const n = events(k.code, m, c.code);
    lines.push(`${k.code};${m.replace('-', 'M')};${c.code};${n >= 1000 ? `${Math.floor(n / 1000)} ${String(n % 1000).padStart(3, '0')}` : `${n},0`}`);
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

type Row = { areaId: number; code: string; name: string; count: number | null; population: number | null; ratePer1000: number | null; previousCount: number | null; suppressed: boolean };
type Stats = {
  meta: { period: { from: string; to: string }; roundingBase: number | null; k: number; exact: boolean; provenance: { incidentBatches: unknown[] };
    aggregated?: { kind: string; granularity: string; dataFrom: string; dataTo: string; previousCovered: boolean; batches: { id: number; fileName: string | null; sha256: string | null; importedAt: string; rows: number }[]; description: { sv: string; en: string } } | null };
  total: Row; rows: Row[];
};

describe.each(backends)('aggregated counts (area-counts) on %s', (kind) => {
  let t: TestApp;
  let analyst = '', admin = '';
  let xlsx: Buffer;
  let mapping = '';
  let crimesBatch = 0;
  let closed = false;
  const csv = eventsCsv();
  const post = (url: string, payload: Buffer | string, key = analyst) =>
    t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${key}` } });
  const get = (url: string, key?: string) => t.app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} });
  /** key null: the public */
  const stats = async (query: string, key: string | null = analyst): Promise<Stats> => {
    const r = await get(`/api/stats?areaSet=kommuner-ab&${query}`, key ?? undefined);
    expect(r.statusCode, r.body.slice(0, 400)).toBe(200);
    return r.json() as Stats;
  };
  const row = (s: Stats, code: string) => s.rows.find((r) => r.code === code)!;

  beforeAll(async () => {
    t = await openTestApp(kind);
    analyst = (await createKey(t.db, { name: 'analyst', role: 'analyst' })).key;
    admin = (await createKey(t.db, { name: 'admin', role: 'admin' })).key;
    xlsx = await crimesXlsx();
  });
  afterAll(async () => { if (!closed) await t?.close(); });

  it('kommuner-ab is the bundled area set of the county\'s 26 municipalities', async () => {
    const sets = (await get('/api/area-sets')).json() as { id: string; name: string; areaCount: number }[];
    expect(sets.find((s) => s.id === 'kommuner-ab')).toMatchObject({ name: 'Kommuner i Stockholms län', areaCount: 26 });
    expect(KOMMUNER).toHaveLength(26);
  });

  it('previews the XLSX: Swedish headers suggested, labels accepted as categories, nothing written', async () => {
    const r = await post('/api/imports/area-counts/preview?areaSet=kommuner-ab&source=crimes&fileName=brott-kommun-2025.xlsx', xlsx);
    expect(r.statusCode, r.body.slice(0, 400)).toBe(200);
    const p = r.json() as ImportPreview;
    expect(p.suggestion!.columns.map((c) => [c.source, c.target])).toEqual([
      ['Kommunkod', 'area_code'], ['Kommun', null], ['Månad', 'period'], ['Brottskategori', 'category'], ['Antal', 'count']]);
    expect(p.suggestion!.missing).toEqual([]);
    expect(p.suggestion!.unknownCategories).toEqual([]);
    expect(p).toMatchObject({ format: 'xlsx', mappingFrom: 'suggested', problem: null, rowsRead: 624, valid: 624, rejected: 0, wouldInsert: 624, wouldUpdate: 0 });
    expect(p.rows[0]).toMatchObject({ line: 2, row: { area_code: KOMMUNER[0].code, areaId: expect.any(Number), category: 'misshandel', count: crimes(KOMMUNER[0].code, '2025-01', 'misshandel'), period: '2025-01', periodFrom: '2025-01-01', periodTo: '2025-02-01', granularity: 'month' } });
    mapping = encodeURIComponent(JSON.stringify(p.mapping));
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int n FROM area_counts')).rows[0].n).toBe(0);
  });

  it('imports the XLSX (all 624 counts) and the ;-CSV; the same file again is 0 inserted, 0 updated', async () => {
    const a = await post(`/api/imports/area-counts?areaSet=kommuner-ab&source=crimes&fileName=brott-kommun-2025.xlsx&mapping=${mapping}`, xlsx);
    expect(a.statusCode, a.body.slice(0, 400)).toBe(201);
    expect(a.json()).toMatchObject({ kind: 'area-counts', committed: true, rowsRead: 624, inserted: 624, updated: 0, rejected: 0 });
    crimesBatch = a.json().batchId;
    const b = await post('/api/imports/area-counts?areaSet=kommuner-ab&source=police-events&fileName=handelser-kommun-2025.csv', csv);
    expect(b.statusCode, b.body.slice(0, 400)).toBe(201);
    expect(b.json()).toMatchObject({ committed: true, rowsRead: 624, inserted: 624, updated: 0 });
    const again = await post(`/api/imports/area-counts?areaSet=kommuner-ab&source=crimes&fileName=brott-kommun-2025.xlsx&mapping=${mapping}`, xlsx);
    expect(again.json()).toMatchObject({ committed: true, rowsRead: 624, inserted: 0, updated: 0, unchanged: 624 });
    const batch = (await t.db.query<{ sha256: string; file_name: string; imported_by: string }>('SELECT sha256, file_name, imported_by FROM import_batches WHERE id = $1', [crimesBatch])).rows[0];
    expect(batch.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(batch).toMatchObject({ file_name: 'brott-kommun-2025.xlsx', imported_by: expect.stringMatching(/^key:/) });
  });

  it('/api/stats answers the file\'s sums for a month, a quarter and a year, labelled as aggregated with their file', async () => {
    const cases: [string, string[]][] = [['from=2025-03-01&to=2025-04-01', ['2025-03']], ['from=2025-04-01&to=2025-07-01', ['2025-04', '2025-05', '2025-06']], ['from=2025-01-01&to=2026-01-01', MONTHS]];
    for (const [q, months] of cases) {
      const s = await stats(`source=crimes&${q}`);
      for (const k of KOMMUNER) expect(row(s, k.code).count, `${k.name} ${q}`).toBe(sum(crimes, k.code, months));
      expect(s.total.count).toBe(KOMMUNER.reduce((x, k) => x + sum(crimes, k.code, months), 0));
      expect(s.meta.aggregated).toMatchObject({ kind: 'area-counts', granularity: 'month', dataFrom: '2025-01-01', dataTo: '2026-01-01', previousCovered: false });
      expect(s.meta.aggregated!.batches).toEqual([expect.objectContaining({ id: crimesBatch, fileName: 'brott-kommun-2025.xlsx', rows: 624, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
      expect(s.meta.aggregated!.description.sv).toMatch(/^Aggregerade antal per månad/);
      expect(s.meta.provenance.incidentBatches).toEqual([]); // events are not counted for this set
      // the comparison period (2024) is not in the data: unknown, not zero
      expect(row(s, '0180').previousCount).toBeNull();
    }
    const assaults = await stats('source=crimes&category=misshandel&from=2025-01-01&to=2025-04-01');
    expect(row(assaults, '0180').count).toBe(sum(crimes, '0180', ['2025-01', '2025-02', '2025-03'], ['misshandel']));
    const ev = await stats('source=police-events&from=2025-01-01&to=2026-01-01');
    expect(row(ev, '0182').count).toBe(sum(events, '0182', MONTHS));
    expect(ev.meta.aggregated!.batches[0].fileName).toBe('handelser-kommun-2025.csv');
    // the default period is the twelve months up to the latest counts
    const latest = await stats('source=crimes');
    expect(latest.meta.period).toMatchObject({ from: '2025-01-01', to: '2026-01-01' });
    expect(row(latest, '0184').count).toBe(sum(crimes, '0184', MONTHS));
    // another area set is still counted from the events, without the aggregated label
    const other = await get('/api/stats?areaSet=stadsdelar&source=crimes&from=2025-01-01&to=2026-01-01', analyst);
    expect(other.statusCode).toBe(200);
    expect(other.json().meta.aggregated).toBeNull();
    // the area profile, whose breakdowns need events, counts events only: never the aggregated figure beside them
    const prof = await get(`/api/areas/${row(latest, '0180').areaId}/profile?from=2025-01-01&to=2026-01-01`, analyst);
    expect(prof.statusCode, prof.body.slice(0, 300)).toBe(200);
    const crimesProfile = (prof.json() as { sources: { source: string; area: { count: number | null } }[] }).sources.find((x) => x.source === 'crimes')!;
    expect(crimesProfile.area.count).not.toBe(sum(crimes, '0180', MONTHS));
  });

  it('rates per 1,000 from the set\'s population, as for events', async () => {
    const pop = ['area_code,year,sex,age_band,population', ...KOMMUNER.map((k, i) => `${k.code},2025,all,all,${20_000 + i * 1000}`)].join('\n');
    const r = await post('/api/imports/population?areaSet=kommuner-ab', pop);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(201);
    const s = await stats('source=crimes&from=2025-01-01&to=2026-01-01');
    const i = KOMMUNER.findIndex((k) => k.code === '0184');
    expect(row(s, '0184')).toMatchObject({ population: 20_000 + i * 1000, ratePer1000: Math.round((sum(crimes, '0184', MONTHS) / (20_000 + i * 1000)) * 1000 * 1000) / 1000 });
  });

  it('a period that is not whole months is widened to them and says so; one outside the data is a 400 naming the span', async () => {
    const s = await stats('source=crimes&from=2025-03-05&to=2025-03-20');
    expect(s.meta.period).toMatchObject({ from: '2025-03-01', to: '2025-04-01' });
    expect(s.meta).toMatchObject({ requestedPeriod: { from: '2025-03-05', to: '2025-03-20' }, aggregated: { granularity: 'month', complete: true } });
    expect(row(s, '0180').count).toBe(sum(crimes, '0180', ['2025-03']));
    // the public grid widens a day range to its month first, which the monthly counts answer
    const pub = await stats('source=crimes&from=2025-03-05&to=2025-03-20', null);
    expect(pub.meta.period).toMatchObject({ from: '2025-03-01', to: '2025-04-01' });
    // twelve months reaching past the data: counted where there are counts, and said so
    const part = await stats('source=crimes&from=2025-07-01&to=2026-07-01');
    expect(part.meta.aggregated).toMatchObject({ complete: false });
    expect(row(part, '0180').count).toBe(sum(crimes, '0180', MONTHS.slice(6)));
    const out = await get('/api/stats?areaSet=kommuner-ab&source=crimes&from=2026-01-01&to=2026-02-01&lang=en', analyst);
    expect(out.statusCode).toBe(400);
    expect(out.json().detail).toMatch(/counts of kommuner-ab \(per month\) cover 2025-01-01\.\.2026-01-01/);
    const sv = await get('/api/stats?areaSet=kommuner-ab&source=crimes&from=2026-01-01&to=2026-02-01', analyst);
    expect(sv.json().detail).toMatch(/omfattar 2025-01-01\.\.2026-01-01/);
  });

  it('quarterly counts: a quarter is answered, a month is widened to its quarter', async () => {
    const q = ['Kommun;Kvartal;Utfall;Antal', 'Stockholm;2025K1;injured;12', 'Stockholm;2025K2;injured;9', 'Solna;2025K1;injured;3', 'Solna;2025 K2;killed;1'].join('\n');
    const m = encodeURIComponent(JSON.stringify({ columns: { area_code: 'Kommun', period: 'Kvartal', category: 'Utfall', count: 'Antal' } }));
    const r = await post(`/api/imports/area-counts?areaSet=kommuner-ab&source=shootings&mapping=${m}`, q);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(201);
    expect(r.json()).toMatchObject({ inserted: 4 });
    const s = await stats('source=shootings&from=2025-01-01&to=2025-07-01');
    expect(row(s, '0180').count).toBe(21);
    expect(s.meta.aggregated!.granularity).toBe('quarter');
    // a month of quarterly counts is its quarter, said in meta.requestedPeriod
    const feb = await stats('source=shootings&from=2025-02-01&to=2025-03-01');
    expect(feb.meta).toMatchObject({ period: { from: '2025-01-01', to: '2025-04-01' }, requestedPeriod: { from: '2025-02-01', to: '2025-03-01' } });
    expect(row(feb, '0180').count).toBe(12);
    // a baseline of one's own that is not whole quarters is refused, naming the granularity
    const bad = await get('/api/stats?areaSet=kommuner-ab&source=shootings&from=2025-04-01&to=2025-07-01&compareFrom=2024-02-01&compareTo=2024-03-01&lang=en', analyst);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/aggregated per quarter: the comparison period 2024-02-01\.\.2024-03-01 is not whole quarters/);
    // a month in a file of quarters is a rejected row: counts of two granularities would overlap
    const mixed = await post(`/api/imports/area-counts?areaSet=kommuner-ab&source=shootings&mapping=${m}`, 'Kommun;Kvartal;Utfall;Antal\nNacka;2025-03;injured;2\n');
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json().errors[0].message).toMatch(/^line 2: period "2025-03" is a month, but the counts already stored for this area set and source are per quarter/);
  });

  it('bad rows are named by line: nothing written, or exactly the valid rows with onInvalid=skip', async () => {
    const bad = ['area_code;period;category;count', '0180;2024-12;stold;1500', '0999;2024-12;stold;10', '0184;2024-12;cykel;4', '0182;2024-13;stold;4',
      '0186;2024-12;stold;-3', '0180;2024-12;stold;1501', '0186;2024-12;misshandel;7'].join('\n');
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int n FROM area_counts')).rows[0].n;
    const r = await post('/api/imports/area-counts?areaSet=kommuner-ab&source=crimes&fileName=dec.csv', bad);
    expect(r.statusCode).toBe(422);
    expect(r.json().errors.map((e: { message: string }) => e.message)).toEqual([
      'line 3: area_code "0999" is not in area set kommuner-ab',
      expect.stringMatching(/^line 4: category "cykel" is not a category of crimes/),
      expect.stringMatching(/^line 5: period "2024-13" is not a period \(a month is 01–12\)/),
      'line 6: count "-3" is not a count (a whole number ≥ 0)',
      'line 7: repeats the area, period and category of line 2',
    ]);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int n FROM area_counts')).rows[0].n).toBe(before);
    const skip = await post('/api/imports/area-counts?areaSet=kommuner-ab&source=crimes&fileName=dec.csv&onInvalid=skip', bad);
    expect(skip.statusCode, skip.body.slice(0, 300)).toBe(201);
    expect(skip.json()).toMatchObject({ committed: true, rowsRead: 7, inserted: 2, rejected: 5 });
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int n FROM area_counts')).rows[0].n).toBe(before + 2);
    // December 2024 is now in the data: the comparison of December 2025 has counts where it has them
    const dec = await stats('source=crimes&from=2025-12-01&to=2026-01-01');
    expect(dec.meta.aggregated!.previousCovered).toBe(true);
    expect(row(dec, '0180').previousCount).toBe(1500);
  });

  it('the public never sees a count below k, and differencing categories or periods gives back no small count', async () => {
    const pub = (q: string) => stats(`source=crimes&${q}`, null);
    const exact = (q: string) => stats(`source=crimes&${q}`);
    const Q1 = 'from=2025-01-01&to=2025-04-01';
    const month = (m: string) => `from=${m}-01&to=${m === '2025-12' ? '2026-01' : `2025-${String(Number(m.slice(5)) + 1).padStart(2, '0')}`}-01`;
    let small = 0;
    for (const code of SMALL) {
      for (const m of ['2025-01', '2025-02', '2025-03']) {
        const truth = crimes(code, m, 'misshandel');
        const [all, stold, assault] = await Promise.all([pub(month(m)), pub(`${month(m)}&category=stold`), pub(`${month(m)}&category=misshandel`)]);
        expect(all.meta.exact).toBe(false);
        if (truth > 0 && truth < all.meta.k) {
          small++;
          expect(row(assault, code).count).toBeNull();
          expect(row(assault, code).suppressed).toBe(true);
          // all categories minus theft: the analyst's exact figures give the assaults back, the public ones do not
          const [ea, es] = await Promise.all([exact(month(m)), exact(`${month(m)}&category=stold`)]);
          expect(row(ea, code).count! - row(es, code).count!).toBe(truth);
          expect(row(all, code).count! - row(stold, code).count!).not.toBe(truth);
        }
      }
      // the quarter minus its first two months: the third month's assaults are not given back
      const truth3 = crimes(code, '2025-03', 'misshandel');
      const [q, jan, feb] = await Promise.all([pub(`${Q1}&category=misshandel`), pub(`${month('2025-01')}&category=misshandel`), pub(`${month('2025-02')}&category=misshandel`)]);
      const diff = (row(q, code).count ?? 0) - (row(jan, code).count ?? 0) - (row(feb, code).count ?? 0);
      if (truth3 > 0 && truth3 < q.meta.k) expect(diff).not.toBe(truth3);
    }
    expect(small).toBeGreaterThan(0); // the data holds cells the control must hide
    // every published figure of a month, a quarter and the year: null or a multiple of the rounding base, never 1..k-1
    for (const q of [month('2025-06'), Q1, 'from=2025-01-01&to=2026-01-01', `${Q1}&category=misshandel`]) {
      const s = await pub(q);
      for (const r of [...s.rows, s.total]) {
        if (r.count === null) continue;
        expect(r.count % s.meta.roundingBase!).toBe(0);
        expect(r.count >= s.meta.k || r.count === 0).toBe(true);
      }
    }
  });

  it('removing the batch removes its counts; the set is then counted from the events again', async () => {
    const n0 = (await t.db.query<{ n: number }>('SELECT count(*)::int n FROM area_counts WHERE batch_id = $1', [crimesBatch])).rows[0].n;
    expect(n0).toBe(624);
    const d = await t.app.inject({ method: 'DELETE', url: `/api/imports/${crimesBatch}`, headers: { authorization: `Bearer ${admin}` } });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().deleted).toMatchObject({ batchId: crimesBatch, kind: 'area-counts', areaCounts: 624 });
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int n FROM area_counts WHERE source = $1', ['crimes'])).rows[0].n).toBe(2); // the December 2024 rows of another batch
    // what is left is December 2024 (another batch): 2025 is outside the data now, December 2024 is its count
    expect((await get('/api/stats?areaSet=kommuner-ab&source=crimes&from=2025-02-01&to=2026-01-01', analyst)).statusCode).toBe(400);
    expect(row(await stats('source=crimes&from=2024-12-01&to=2025-01-01'), '0180').count).toBe(1500);
    // the December rows' batch removed too: no aggregated counts of crimes left, the events are counted again
    const rest = (await t.db.query<{ batch_id: number }>(`SELECT DISTINCT batch_id FROM area_counts WHERE source = 'crimes'`)).rows;
    for (const b of rest) expect((await t.app.inject({ method: 'DELETE', url: `/api/imports/${b.batch_id}`, headers: { authorization: `Bearer ${admin}` } })).statusCode).toBe(200);
    expect((await stats('source=crimes&from=2025-01-01&to=2026-01-01')).meta.aggregated).toBeNull();
  });

  it('the CLI imports the same ;-CSV again as 0 inserted, 0 updated', async () => {
    const file = path.join(os.tmpdir(), `area-counts-${process.pid}-${kind}.csv`);
    fs.writeFileSync(file, csv);
    closed = true;
    await t.db.close(); // the CLI opens the same database as a separate process
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', SAMPLE_DATA: 'off' };
    if (kind === 'postgres') env.DATABASE_URL = t.config.databaseUrl!;
    else { env.DATA_DIR = t.config.dataDir; delete env.DATABASE_URL; }
    try {
      const r = await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'server/cli/import.ts'),
        'area-counts', file, '--area-set', 'kommuner-ab', '--source', 'police-events'], { env, cwd: ROOT });
      expect(r.stdout).toMatch(/rows read: +624/);
      expect(r.stdout).toMatch(/inserted: +0\n/);
      expect(r.stdout).toMatch(/updated: +0\n/);
    } finally {
      fs.rmSync(file, { force: true });
      await t.close().catch(() => {});
      if (kind === 'embedded') fs.rmSync(t.config.dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
