// Issue 19, your own data in from the browser, in a real headless Chromium against the app on an embedded database
// with the synthetic sample data: an analyst signs in, opens "Importera data" by keyboard, uploads the police's XLSX
// (Swedish headers, decimal-comma SWEREF 99 TM coordinates, a free-text category on row 9 and a bad date on row 17),
// finds every column mapped as suggested, sees rows 9 and 17 rejected with their reasons and nothing written, maps the
// category value to our code, chooses "skip invalid" and commits by keyboard: exactly the 19 valid rows are written and
// the map's counts grow by 19; the same file again adds and updates nothing. The confirmed mapping is saved as a
// profile and offered for a second file with the same columns. The history lists the batches with their SHA-256; an
// admin undoes one after a confirmation. axe finds no WCAG 2.1 A/AA violation in the wizard or the history.
// A zipped Shapefile of five districts (EPSG:3006) is previewed on a map of its five polygons in Stockholm, becomes a
// new area set, offered in the map's menu with its five areas; a zip bomb is refused unexpanded and nothing is written. Aggregated counts per municipality and month (a
// ;-CSV with Swedish headers) for kommuner-ab are previewed, committed and shown on the map labelled as aggregated.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundaryFiles, NAMES } from '../helpers/shapefile.js';
import { ARTIFACTS, axeViolations, focused, openPage, settled, startWebApp, tabTo, type WebApp } from '../helpers/web-app.js';

const CODES = ['misshandel', 'ran', 'inbrott', 'narkotika', 'skadegorelse', 'stold', 'cykelstold', 'olaga-hot'];
const HEADERS = ['Ärendenummer', 'Brottsdatum', 'Brottskod', 'X-koordinat', 'Y-koordinat', 'Beskrivning'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The police's extract as it arrives: `n` rows of March (or `month`) 2025 in central Stockholm; row 9 a free-text
 * category (when `withBad`) and row 17 an impossible date. */
async function extract(prefix: string, n: number, month: number, withBad: boolean): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Uttag');
  ws.addRow(HEADERS);
  for (let i = 0; i < n; i++) {
    const row = i + 2;
    const when = new Date(Date.UTC(2025, month - 1, 1 + i, 8 + (i % 12), (i * 7) % 60));
    const x = (666000 + i * 401.5).toFixed(1).replace('.', ',');
    const y = (6585000 + i * 203.5).toFixed(1).replace('.', ',');
    const code = row === 9 || (!withBad && i === 1) ? 'Skadegörelse på bil' : CODES[i % CODES.length];
    ws.addRow([`${prefix}${String(1000 + i)}-25`, withBad && row === 17 ? '2025-02-30' : when, code, x, y, `Händelse ${i + 1}`]);
  }
  ws.getColumn(2).numFmt = 'yyyy-mm-dd hh:mm';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('the import wizard in the browser (embedded)', { timeout: 900_000 }, () => {
  let w: WebApp;
  const keys: Record<string, string> = {};
  let march: Buffer;
  let page: Page;

  beforeAll(async () => {
    w = await startWebApp(2000);
    const { createKey } = await import('../../server/domain/keys/api-keys.js');
    keys.analyst = (await createKey(w.t.db, { name: 'analys import e2e', role: 'analyst' })).key;
    keys.admin = w.adminKey;
    march = await extract('5000-K', 20, 3, true);
  }, 600_000);
  afterAll(async () => { await w?.close(); });

  const api = async (url: string, who = 'analyst') => (await fetch(w.base + url, { headers: { authorization: `Bearer ${keys[who]}` } })).json();
  const written = async (prefix: string) => (await w.t.db.query<{ id: string }>(`SELECT external_id id FROM incidents WHERE external_id LIKE $1 ORDER BY 1`, [`${prefix}%`])).rows.map((r) => r.id);
  /** The crimes the map's choropleth counts now (the sum over the areas of the data it renders). */
  const mapTotal = (p: Page) => p.evaluate(() => {
    const src = (window as unknown as { __tk: { map: { getSource: (id: string) => { serialize: () => { data: { features: { properties: { v: number | null } }[] } } } } } }).__tk.map.getSource('choropleth');
    return src.serialize().data.features.reduce((s, f) => s + (f.properties.v ?? 0), 0);
  });

  /** The same count from the API (exact: an analyst's). */
  const statsTotal = async () => ((await api('/api/stats?areaSet=kommuner-ab&source=crimes&from=2025-03-01&to=2025-03-31')) as { rows: { count: number | null }[] }).rows.reduce((s, r) => s + (r.count ?? 0), 0);
  /** Waits (at most two minutes) until the map's total is `n`: the render after signing in, a commit or an undo. */
  async function mapReaches(p: Page, n: number): Promise<number> {
    for (let i = 0; i < 240 && (await mapTotal(p)) !== n; i++) await p.waitForTimeout(500);
    return mapTotal(p);
  }

  async function login(p: Page, who: string): Promise<void> {
    await p.focus('#btn-login');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#login-form input[name="apiKey"]');
    await p.keyboard.type(keys[who]);
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => !(document.getElementById('dialog') as HTMLDialogElement).open);
    await p.waitForSelector('#btn-import:not([hidden])');
    await settled(p);
  }
  const mappingShown = (p: Page) => p.$$eval('#imp-map-form select', (ss) => Object.fromEntries((ss as HTMLSelectElement[]).map((s) => [s.dataset.target ?? s.dataset.value ?? s.name, s.value])));
  const counts = (p: Page, attr = 'data-count') => p.$$eval(`[${attr}]`, (ds, a) => Object.fromEntries(ds.map((d) => [d.getAttribute(a as string)!, Number(d.textContent!.replace(/\s/g, ''))])), attr);
  const errorLines = (p: Page) => p.$$eval('#imp-errors tbody tr', (rs) => rs.map((r) => [...r.children].map((c) => c.textContent)));
  /** Chooses a file and previews it with the kind and options as they are, by keyboard from the file field. */
  async function upload(p: Page, name: string, buffer: Buffer): Promise<void> {
    await p.setInputFiles('#imp-file', { name, mimeType: XLSX_TYPE, buffer });
    await p.focus('#imp-file');
    await tabTo(p, (a) => a.id === 'imp-preview');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#imp-check-h', { timeout: 120_000 });
  }
  async function previewAgain(p: Page): Promise<void> {
    await p.evaluate(() => document.getElementById('imp-check')!.replaceChildren());
    await p.focus('#imp-remap');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#imp-check-h', { timeout: 120_000 });
  }
  async function commit(p: Page): Promise<Record<string, number>> {
    await p.focus('#imp-skip');
    if (!(await p.isChecked('#imp-skip'))) await p.keyboard.press('Space');
    expect(await p.isChecked('#imp-skip')).toBe(true);
    await tabTo(p, (a) => a.id === 'imp-commit-btn');
    // reached by keyboard; pressed on the button itself, so a late re-render cannot take the key elsewhere
    await p.press('#imp-commit-btn', 'Enter');
    const outcome = await p.waitForSelector('[data-result="inserted"], #imp-result .error', { timeout: 120_000 }).catch(async (e: Error) => {
      // say what the page showed instead: the wizard's message, the result box and where the focus was
      throw new Error(`${e.message}\nmessage: ${await p.textContent('#imp-msg')}\nresult: ${await p.textContent('#imp-result')}\nfocus: ${JSON.stringify(await focused(p))}`);
    });
    if ((await outcome.getAttribute('data-result')) === null) throw new Error(`the commit failed: ${await outcome.textContent()}`);
    // the server-sent progress drove the bar to its end
    expect(await p.$eval('#imp-progress', (e) => [(e as HTMLProgressElement).value, (e as HTMLProgressElement).max])).toEqual([await p.$eval('[data-count="rowsRead"]', (e) => Number(e.textContent)), await p.$eval('[data-count="rowsRead"]', (e) => Number(e.textContent))]);
    // numbers as Swedish writes them: 2 638 rows/s has a (narrow) no-break space
    expect(await p.textContent('#imp-progress-text')).toMatch(/^\d[\d\s]* av \d[\d\s]* rader lästa, \d[\d\s]* rader\/s$/u);
    return counts(p, 'data-result');
  }

  it('XLSX with Swedish headers: suggested mapping, row 17 rejected with its reason and nothing written; the category mapped, skip invalid, commit: exactly the valid rows, on the map; the same file again: 0 inserted, 0 updated', async () => {
    ({ page } = await openPage(w, '/?set=kommuner-ab&m=count&src=crimes&from=2025-03-01&to=2025-03-31'));
    expect(await page.isVisible('#btn-import')).toBe(false); // the public has no import
    await login(page, 'analyst');
    // the signed-in analyst's map counts exactly what the statistics count
    const before = await statsTotal();
    expect(await mapReaches(page, before)).toBe(before);
    const batchesBefore = (await api('/api/imports') as unknown[]).length;

    // open the wizard and choose the kind by keyboard
    await page.focus('#btn-import');
    expect((await focused(page)).text).toBe('Importera data');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#dialog[open] #imp-file');
    expect((await focused(page)).id).toBe('imp-file');
    await page.setInputFiles('#imp-file', { name: 'polisen-mars.xlsx', mimeType: XLSX_TYPE, buffer: march });
    await tabTo(page, (a) => a.id === 'imp-kind');
    await page.keyboard.press('ArrowDown');
    expect(await page.inputValue('#imp-kind')).not.toBe('crimes');
    await page.keyboard.press('ArrowUp');
    expect(await page.inputValue('#imp-kind')).toBe('crimes');
    await tabTo(page, (a) => a.id === 'imp-preview');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#imp-check-h', { timeout: 120_000 });
    expect((await focused(page)).id).toBe('imp-mapping-h');

    // every column as suggested, the CRS, date format and decimal mark detected
    expect(await mappingShown(page)).toEqual({
      id: 'Ärendenummer', occurred_from: 'Brottsdatum', occurred_to: '', category: 'Brottskod', x: 'X-koordinat', y: 'Y-koordinat', lat: '', lon: '', area_code: '',
      crs: 'EPSG:3006', dateFormat: 'iso', decimalMark: ',', 'Skadegörelse på bil': '',
    });
    expect(await errorLines(page)).toEqual([
      ['9', 'Brottskod', 'category is not a category code (letters, digits, _ . : -, at most 64)'],
      ['17', 'Brottsdatum', 'occurred_from "2025-02-30" is not a date'],
    ]);
    expect(await counts(page)).toEqual({ rowsRead: 20, valid: 18, rejected: 2, wouldInsert: 18, wouldUpdate: 0, wouldLeaveUnchanged: 0 });
    expect(await page.$$eval('#imp-rows tbody tr', (rs) => rs.length)).toBe(18);
    await page.waitForSelector('#imp-map[data-ready]', { timeout: 60_000 });
    // nothing was written
    expect(await written('5000-K')).toEqual([]);
    expect((await api('/api/imports') as unknown[]).length).toBe(batchesBefore);
    const violations = await axeViolations(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'import-wizard-preview.png'), fullPage: true });
    expect(violations).toEqual([]);

    // the unknown category value mapped to our code: only row 17 is left
    await page.focus('#imp-values select');
    await page.selectOption('#imp-values select', 'skadegorelse');
    await previewAgain(page);
    expect((await focused(page)).id).toBe('imp-check-h');
    expect((await errorLines(page)).map((r) => r[0])).toEqual(['17']);
    expect(await counts(page)).toMatchObject({ valid: 19, rejected: 1, wouldInsert: 19 });
    expect(await written('5000-K')).toEqual([]);

    // skip invalid, commit by keyboard: exactly the valid rows
    expect(await commit(page)).toEqual({ inserted: 19, updated: 0, unchanged: 0, skipped: 1 });
    const ids = await written('5000-K');
    expect(ids).toHaveLength(19);
    expect(ids).not.toContain('5000-K1015-25'); // row 17
    const batch = (await api('/api/imports') as { fileName: string; inserted: number; rejected: number; sha256: string }[])[0];
    expect(batch).toMatchObject({ fileName: 'polisen-mars.xlsx', inserted: 19, rejected: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // the statistics and the map (refreshed after the commit): March's counts grew by exactly the 19 rows
    expect(await statsTotal()).toBe(before + 19);
    expect(await mapReaches(page, before + 19)).toBe(before + 19);

    // the same file again: nothing new, nothing updated
    await upload(page, 'polisen-mars.xlsx', march);
    await page.selectOption('#imp-values select', 'skadegorelse');
    await previewAgain(page);
    expect(await counts(page)).toMatchObject({ wouldInsert: 0, wouldUpdate: 0, wouldLeaveUnchanged: 19 });
    expect(await commit(page)).toEqual({ inserted: 0, updated: 0, unchanged: 19, skipped: 1 });
    expect(await written('5000-K')).toHaveLength(19);
  });

  it('the confirmed mapping saved as a profile is offered for a second file with the same columns, and applied when chosen', async () => {
    await page.fill('#imp-profile-name', 'Polisen månadsuttag');
    await page.focus('#imp-save-profile');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /sparad/.test(document.getElementById('imp-profile-msg')?.textContent ?? ''));
    expect(await page.textContent('#imp-profile-msg')).toBe('Profilen "Polisen månadsuttag" är sparad.');
    const saved = await api('/api/import-profiles?kind=crimes') as { name: string; headers: string[]; mapping: { values?: Record<string, string> } }[];
    expect(saved).toMatchObject([{ name: 'Polisen månadsuttag', headers: HEADERS, mapping: { values: { 'Skadegörelse på bil': 'skadegorelse' } } }]);

    const april = await extract('5000-A', 4, 4, false);
    await upload(page, 'polisen-april.xlsx', april);
    // offered, not applied unasked: the suggestion leaves the free-text category to be rejected
    expect(await page.$$eval('#imp-profile-select option', (os) => os.map((o) => o.textContent))).toEqual(['Polisen månadsuttag']);
    expect(await counts(page)).toMatchObject({ rejected: 1 });
    await page.focus('#imp-use-profile');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /profilen "Polisen månadsuttag"/.test(document.getElementById('imp-mapping')?.textContent ?? ''), null, { timeout: 120_000 });
    await page.waitForSelector('#imp-check-h');
    expect(await mappingShown(page)).toMatchObject({ id: 'Ärendenummer', category: 'Brottskod', x: 'X-koordinat', 'Skadegörelse på bil': 'skadegorelse' });
    expect(await counts(page)).toMatchObject({ rowsRead: 4, valid: 4, rejected: 0, wouldInsert: 4 });
    expect(await commit(page)).toEqual({ inserted: 4, updated: 0, unchanged: 0, skipped: 0 });
    expect(await written('5000-A')).toHaveLength(4);
    const batch = (await api('/api/imports') as { fileName: string; options: { mapping?: unknown } }[])[0];
    expect(batch.fileName).toBe('polisen-april.xlsx');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !(document.getElementById('dialog') as HTMLDialogElement).open);
    await page.close();
  });

  it('the history lists each batch with who, kind, file and SHA-256; an admin undoes one after confirming; the public reads none of it', async () => {
    const { page: p } = await openPage(w, '/?set=kommuner-ab&m=count&src=crimes&from=2025-03-01&to=2025-03-31');
    const anon = await fetch(`${w.base}/api/imports`);
    expect(anon.status).toBe(401);
    const anonPreview = await fetch(`${w.base}/api/imports/crimes/preview`, { method: 'POST', body: new Uint8Array(march) });
    expect([401, 403]).toContain(anonPreview.status);
    await login(p, 'admin');
    await p.focus('#btn-imports');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#imph-list tbody tr');
    const rows = await p.$$eval('#imph-list tbody tr', (rs) => rs.map((r) => [...r.children].map((c) => c.textContent!.trim())));
    const mine = rows.filter((r) => r[3].startsWith('polisen-'));
    // who (the key's name), kind, file, counts; the April file was read with the profile
    expect(mine.map((r) => [r[1], r[2], r[3], r[6], r[7], r[8], r[10]])).toEqual([
      ['analys import e2e', 'Brott (punkter)', 'polisen-april.xlsx', '4', '0', '0', 'Polisen månadsuttag'],
      ['analys import e2e', 'Brott (punkter)', 'polisen-mars.xlsx', '0', '0', '19', 'egen mappning'],
      ['analys import e2e', 'Brott (punkter)', 'polisen-mars.xlsx', '19', '0', '0', 'egen mappning'],
    ]);
    for (const r of mine) expect(r[4]).toMatch(/^[0-9a-f]{64}$/);
    expect((await axeViolations(p))).toEqual([]);
    const before = await statsTotal();
    expect(await mapReaches(p, before)).toBe(before);
    // undo the first March batch: confirm first, Cancel keeps it
    const target = (await p.$$eval('#imph-list tbody tr', (rs) => rs.filter((r) => r.children[3].textContent === 'polisen-mars.xlsx' && r.children[6].textContent === '19').map((r) => Number(r.getAttribute('data-batch')))))[0];
    expect(target).toBeGreaterThan(0);
    await p.focus(`[data-undo="${target}"]`);
    await p.keyboard.press('Enter');
    expect((await focused(p)).id).toBe('imph-no');
    await p.keyboard.press('Enter');
    expect((await focused(p)).data.undo).toBe(String(target));
    expect(await written('5000-K')).toHaveLength(19);
    await p.keyboard.press('Enter');
    await tabTo(p, (a) => a.id === 'imph-yes', 5, true);
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => /är borttagen/.test(document.getElementById('imph-msg')?.textContent ?? ''), null, { timeout: 120_000 });
    expect(await written('5000-K')).toEqual([]);
    expect(await p.$$eval('#imph-list tbody tr', (rs, t) => rs.some((r) => r.getAttribute('data-batch') === String(t)), target)).toBe(false);
    expect(await statsTotal()).toBe(before - 19);
    expect(await mapReaches(p, before - 19)).toBe(before - 19);
    await p.close();
  });

  it('at phone width the wizard fits the screen, its preview scrolls inside its tables, and axe finds nothing', async () => {
    const { page: p } = await openPage(w, '/');
    await login(p, 'analyst');
    await p.setViewportSize({ width: 390, height: 844 });
    // the tools are behind the ⋯ menu at phone width
    await p.waitForSelector('#btn-import', { state: 'hidden' });
    await p.focus('#tools-toggle');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#btn-import', { state: 'visible' });
    await p.focus('#btn-import');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#dialog[open] #imp-file');
    await upload(p, 'polisen-mars.xlsx', march);
    const fits = await p.evaluate(() => {
      const d = document.getElementById('dialog')!.getBoundingClientRect();
      const body = document.querySelector('#dialog .dialog-body') as HTMLElement;
      return { left: d.left >= 0, right: d.right <= innerWidth, scrolls: body.scrollWidth <= body.clientWidth + 1 };
    });
    expect(fits).toEqual({ left: true, right: true, scrolls: true });
    const violations = await axeViolations(p);
    await p.screenshot({ path: path.join(ARTIFACTS, 'import-wizard-390.png'), fullPage: true });
    expect(violations).toEqual([]);
    await p.close();
  });
  /** Opens the wizard by keyboard (signed in) and chooses the file; the kind's suggestion is waited for. */
  async function openWizardWith(p: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
    await p.focus('#btn-import');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#dialog[open] #imp-file');
    await p.setInputFiles('#imp-file', { name, mimeType, buffer });
    await p.waitForFunction(() => (document.getElementById('imp-kind-hint')?.textContent ?? '') !== '');
  }
  /** A one-entry zip whose central directory declares `declared` expanded bytes (as a zip bomb does). */
  async function zipDeclaring(name: string, content: Buffer, declared: number): Promise<Buffer> {
    const z = new JSZip();
    z.file(name, content);
    const buf = await z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    buf.writeUInt32LE(declared, buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    return buf;
  }
  const areaSetIds = async () => ((await api('/api/area-sets')) as { id: string }[]).map((a) => a.id);

  it('a zipped Shapefile of boundaries in EPSG:3006 becomes a new area set: suggested as areas, previewed (5 to insert, nothing written), committed, then offered in the map\'s menu with its 5 areas; a zip bomb is refused without being expanded and nothing is written', async () => {
    const { zip } = await boundaryFiles();
    const { page: p, problems } = await openPage(w, '/?m=count&src=crimes');
    await login(p, 'analyst');
    expect(await areaSetIds()).not.toContain('egna-omraden');
    expect(await p.$$eval('#f-set option', (os) => os.map((o) => (o as HTMLOptionElement).value))).not.toContain('egna-omraden');
    await openWizardWith(p, 'stadsdelar-2026.zip', 'application/zip', zip);
    // the kind suggested from the .zip, and the area-set options asked
    expect(await p.inputValue('#imp-kind')).toBe('areas');
    expect(await p.textContent('#imp-kind-hint')).toBe('Föreslagen utifrån filen: Områdesgränser (GeoJSON, zippad Shapefile).');
    expect(await p.isVisible('#imp-area-opts')).toBe(true);
    expect(await p.isVisible('#imp-count-opts')).toBe(false);
    // the options by keyboard, in their order
    await p.focus('#imp-file');
    await tabTo(p, (a) => a.name === 'areaSet');
    await p.keyboard.type('egna-omraden');
    await p.keyboard.press('Tab');
    expect((await focused(p)).name).toBe('name');
    await p.keyboard.type('Egna områden 2026');
    await p.keyboard.press('Tab');
    expect((await focused(p)).name).toBe('level');
    expect(await p.inputValue('#imp-area-opts [name=level]')).toBe('custom');
    for (const [field, value] of [['vintage', '2026'], ['codeProperty', 'name'], ['nameProperty', 'name']]) {
      await p.keyboard.press('Tab');
      expect((await focused(p)).name).toBe(field);
      await p.keyboard.type(value);
    }
    expect(await axeViolations(p)).toEqual([]);
    await tabTo(p, (a) => a.id === 'imp-preview');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#imp-check-h', { timeout: 120_000 });
    expect((await focused(p)).id).toBe('imp-check-h');
    expect(await counts(p)).toMatchObject({ rowsRead: 5, rejected: 0, wouldInsert: 5, wouldUpdate: 0 });
    // the preview's map: the five boundaries as a commit would store them, where they lie (Stockholm), named in its label
    await p.waitForSelector('#imp-map[data-ready="1"]', { timeout: 60_000 });
    expect(await p.getAttribute('#imp-map', 'aria-label')).toBe('Karta över gränserna – antal områden: 5, utanför regionen: 0');
    expect(await p.textContent('#imp-check figcaption')).toMatch(/inom regionen \(5\).*utanför regionen – fel koordinatsystem\? \(0\)/);
    const drawn = await p.evaluate(() => {
      type Src = { serialize: () => { data: { features: { geometry: { type: string }; properties: { name: string; inRegion: boolean } }[] } } };
      const m = (window as unknown as { __tk: { importMap: { getSource: (id: string) => Src; getCenter: () => { lng: number; lat: number } } } }).__tk.importMap;
      const fs = m.getSource('imp-areas').serialize().data.features;
      const c = m.getCenter();
      return { types: [...new Set(fs.map((f) => f.geometry.type))], names: fs.map((f) => f.properties.name).sort(), inRegion: fs.every((f) => f.properties.inRegion), lng: c.lng, lat: c.lat };
    });
    expect(drawn).toMatchObject({ names: [...NAMES].sort(), inRegion: true });
    expect(drawn.types.every((x) => x === 'Polygon' || x === 'MultiPolygon')).toBe(true);
    expect(drawn.lng).toBeGreaterThan(17.7);
    expect(drawn.lng).toBeLessThan(18.3);
    expect(drawn.lat).toBeGreaterThan(59.2);
    expect(drawn.lat).toBeLessThan(59.5);
    await p.$eval('#imp-map', (e) => e.closest('figure')!.scrollIntoView());
    await p.screenshot({ path: path.join(ARTIFACTS, 'import-wizard-area-map.png') });
    // no column mapping for boundaries; nothing written yet
    expect(await p.isHidden('#imp-mapping')).toBe(true);
    expect(await areaSetIds()).not.toContain('egna-omraden');
    const violations = await axeViolations(p);
    await p.screenshot({ path: path.join(ARTIFACTS, 'import-wizard-shapefile.png'), fullPage: true });
    expect(violations).toEqual([]);
    await p.focus('#imp-commit-btn');
    await p.keyboard.press('Enter');
    await p.waitForSelector('[data-result="inserted"]', { timeout: 120_000 });
    expect(await counts(p, 'data-result')).toMatchObject({ inserted: 5, updated: 0 });
    const sets = (await api('/api/area-sets')) as { id: string; name: string; level: string; areaCount: number }[];
    expect(sets.find((a) => a.id === 'egna-omraden')).toMatchObject({ name: 'Egna områden 2026', level: 'custom', areaCount: 5 });
    const batch = (await api('/api/imports') as { kind: string; fileName: string; inserted: number }[])[0];
    expect(batch).toMatchObject({ kind: 'areas', fileName: 'stadsdelar-2026.zip', inserted: 5 });
    await p.keyboard.press('Escape');
    await p.waitForFunction(() => !(document.getElementById('dialog') as HTMLDialogElement).open);

    // the map's area-set menu offers it at once; chosen, the map shows its five areas by name
    await p.waitForSelector('#f-set option[value="egna-omraden"]', { state: 'attached', timeout: 60_000 });
    expect(await p.textContent('#f-set option[value="egna-omraden"]')).toBe('Egna områden 2026');
    await p.selectOption('#f-set', 'egna-omraden');
    await settled(p);
    const shown = async () => p.evaluate(() => {
      const src = (window as unknown as { __tk: { map: { getSource: (id: string) => { serialize: () => { data: { features: { properties: { code: string; name: string } }[] } } } } } }).__tk.map.getSource('choropleth');
      return [...new Set(src.serialize().data.features.map((f) => f.properties.name))].sort();
    });
    for (let i = 0; i < 120 && (await shown()).length !== NAMES.length; i++) await p.waitForTimeout(500);
    expect(await shown()).toEqual([...NAMES].sort());
    expect(new URL(p.url()).searchParams.get('set')).toBe('egna-omraden');
    const areas = (await api('/api/area-sets/egna-omraden/areas?f=geojson')) as { features: { properties: { code: string; name: string } }[] };
    expect(areas.features.map((f) => f.properties.name).sort()).toEqual([...NAMES].sort());

    // a zip bomb: refused by the server before expanding, the refusal shown in the wizard, nothing written
    const batches = (await api('/api/imports') as unknown[]).length;
    const bomb = await zipDeclaring('bomb.shp', Buffer.alloc(1000), 256 * 1024 * 1024 + 1);
    await openWizardWith(p, 'bomb.zip', 'application/zip', bomb);
    expect(await p.inputValue('#imp-kind')).toBe('areas');
    await p.fill('#imp-area-opts [name=areaSet]', 'bomb-omraden');
    await p.focus('#imp-preview');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => /it was not expanded/.test(document.getElementById('imp-msg')?.textContent ?? ''), null, { timeout: 120_000 });
    expect(await p.textContent('#imp-msg')).toMatch(/expands to more than 268435456 bytes, the limit; it was not expanded/);
    expect(await p.$eval('#imp-msg', (e) => e.classList.contains('error'))).toBe(true);
    expect(await areaSetIds()).not.toContain('bomb-omraden');
    expect((await api('/api/imports') as unknown[]).length).toBe(batches);
    expect(await axeViolations(p)).toEqual([]);
    expect(problems.failed.filter((f) => !/\/api\/imports\//.test(f))).toEqual([]);
    await p.keyboard.press('Escape');
    await p.close();
  });
  it('aggregated counts per municipality and month (a ;-CSV with Swedish headers) for kommuner-ab: the area set and source asked, the mapping suggested, the counts previewed and nothing written, committed; the map shows them labelled as aggregated', async () => {
    const KOMMUNER: [string, string][] = [['0114', 'Upplands Väsby'], ['0115', 'Vallentuna'], ['0117', 'Österåker'], ['0120', 'Värmdö'], ['0123', 'Järfälla'], ['0125', 'Ekerö'],
      ['0126', 'Huddinge'], ['0127', 'Botkyrka'], ['0128', 'Salem'], ['0136', 'Haninge'], ['0138', 'Tyresö'], ['0139', 'Upplands-Bro'], ['0140', 'Nykvarn'], ['0160', 'Täby'],
      ['0162', 'Danderyd'], ['0163', 'Sollentuna'], ['0180', 'Stockholm'], ['0181', 'Södertälje'], ['0182', 'Nacka'], ['0183', 'Sundbyberg'], ['0184', 'Solna'], ['0186', 'Lidingö'],
      ['0187', 'Vaxholm'], ['0188', 'Norrtälje'], ['0191', 'Sigtuna'], ['0192', 'Nynäshamn']];
    const MONTHS = ['2026-05', '2026-06'];
    const countOf = (code: string, month: string, cat: string) => 200 + Number(code.slice(1)) + Number(month.slice(5)) * 7 + (cat === 'stold' ? 50 : 0);
    const lines = KOMMUNER.flatMap(([code, name]) => MONTHS.flatMap((m) => ['stold', 'misshandel'].map((c) => `${code};${name};${m};${c};${countOf(code, m, c)}`)));
    const csv = Buffer.from(['Kommunkod;Kommun;Månad;Brottskategori;Antal', ...lines].join('\n'));
    const total = (code: string) => MONTHS.reduce((s, m) => s + countOf(code, m, 'stold') + countOf(code, m, 'misshandel'), 0);
    const stored = async () => Number((await w.t.db.query<{ n: string }>(`SELECT count(*) n FROM area_counts c JOIN areas a ON a.id = c.area_id WHERE a.area_set_id = 'kommuner-ab' AND c.period_from >= '2026-05-01'`)).rows[0].n);

    const { page: p } = await openPage(w, '/?set=kommuner-ab&m=count&src=crimes&from=2026-05-01&to=2026-06-30');
    await login(p, 'analyst');
    expect(await p.locator('#legend').innerText()).not.toContain('Aggregerade');
    await openWizardWith(p, 'brott-kommun-2026.csv', 'text/csv', csv);
    // suggested from the header; the area set and the source are asked, labelled, by keyboard
    expect(await p.inputValue('#imp-kind')).toBe('area-counts');
    expect(await p.textContent('#imp-kind-hint')).toBe('Föreslagen utifrån filen: Antal per område och period.');
    expect(await p.isVisible('#imp-count-opts')).toBe(true);
    expect(await p.isVisible('#imp-area-opts')).toBe(false);
    expect(await p.textContent('#imp-count-opts legend')).toBe('Vad antalen gäller');
    // without an area set the preview asks for one (and focuses it)
    await p.focus('#imp-preview');
    await p.keyboard.press('Enter');
    expect(await p.textContent('#imp-msg')).toBe('Välj indelningen som områdeskoderna hör till.');
    expect((await focused(p)).id).toBe('imp-count-set');
    await p.waitForSelector('#imp-count-set option[value="kommuner-ab"]', { state: 'attached' });
    expect(await p.textContent('#imp-count-set option[value="kommuner-ab"]')).toBe('Kommuner i Stockholms län (kommuner-ab)');
    await p.selectOption('#imp-count-set', 'kommuner-ab');
    await p.keyboard.press('Tab');
    expect((await focused(p)).id).toBe('imp-count-source');
    expect(await p.inputValue('#imp-count-source')).toBe('crimes');
    expect(await p.$eval('#imp-count-source option:checked', (o) => o.textContent)).toBe('Anmälda brott');
    expect(await axeViolations(p)).toEqual([]);
    await tabTo(p, (a) => a.id === 'imp-preview');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#imp-check-h', { timeout: 120_000 });
    expect((await focused(p)).id).toBe('imp-mapping-h');
    // the mapping suggested from the Swedish headers (the names' column left over), editable as any other
    expect(await mappingShown(p)).toMatchObject({ area_code: 'Kommunkod', period: 'Månad', category: 'Brottskategori', count: 'Antal' });
    expect(await p.$$eval('#imp-map-form select[name=col]', (ss) => ss.map((s) => (s as HTMLSelectElement).dataset.target))).toEqual(['area_code', 'period', 'category', 'count']);
    expect(await counts(p)).toMatchObject({ rowsRead: lines.length, valid: lines.length, rejected: 0, wouldInsert: lines.length });
    // the counts as they will be stored
    const firstRow = await p.$$eval('#imp-rows tbody tr:first-child td', (tds) => tds.map((d) => d.textContent));
    expect(firstRow.join(' ')).toContain(String(countOf('0114', '2026-05', 'stold')));
    expect(await stored()).toBe(0);
    const violations = await axeViolations(p);
    await p.screenshot({ path: path.join(ARTIFACTS, 'import-wizard-area-counts.png'), fullPage: true });
    expect(violations).toEqual([]);

    // commit by keyboard; the map (refreshed) shows the aggregated counts, labelled as such
    expect(await commit(p)).toEqual({ inserted: lines.length, updated: 0, unchanged: 0, skipped: 0 });
    expect(await stored()).toBe(lines.length);
    const batch = (await api('/api/imports') as { kind: string; fileName: string; options: { areaSet?: string; source?: string } }[])[0];
    expect(batch).toMatchObject({ kind: 'area-counts', fileName: 'brott-kommun-2026.csv', options: { areaSet: 'kommuner-ab', source: 'crimes' } });
    await p.keyboard.press('Escape');
    await p.waitForFunction(() => !(document.getElementById('dialog') as HTMLDialogElement).open);
    await p.waitForFunction(() => document.getElementById('legend')?.innerText.includes('Aggregerade antal per månad'), null, { timeout: 60_000 });
    expect(await p.locator('#provenance').innerText()).toMatch(/aggregerade antal per månad ur brott-kommun-2026\.csv/);
    const sum = KOMMUNER.reduce((s, [c]) => s + total(c), 0);
    expect(await mapReaches(p, sum)).toBe(sum);
    const stats = (await api('/api/stats?areaSet=kommuner-ab&source=crimes&from=2026-05-01&to=2026-06-30')) as { rows: { code: string; count: number | null }[] };
    expect(Object.fromEntries(stats.rows.map((r) => [r.code, r.count]))).toEqual(Object.fromEntries(KOMMUNER.map(([c]) => [c, total(c)])));
    expect(await axeViolations(p)).toEqual([]);
    await p.close();
  });
});
