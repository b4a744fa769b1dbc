// Issue 16, "finish it in the tool", in a real headless Chromium (Debian's chromium via playwright-core) against the
// app started in-process on an embedded database copy with a small synthetic data set (as web-map.test.ts):
// staff of Husby log in, open Husby, save a lägesbild, fill section 7 by keyboard (orsaksanalys, priorities, SMART
// goal rows added and removed, comments), save, reload and find the text again, and the saved report's PDF holds
// it. Staff of another district see the server's refusal; a save from an old version shows the conflict and saves
// on top without losing either text.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.js';
import { ensureWebBuilt } from '../../server/web-build.js';
import { openTestApp, type TestApp } from '../helpers/backends.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
const CHROMIUM_ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

// what staff type: short phrases, so a line break in the PDF cannot split one
const TEXT = {
  preparation: 'Torget kvällstid, SDF och polis',
  likelyCauses: 'Mörk gångtunnel E2E',
  priorities: 'Rån vid torget E2E',
  goal: 'Halvera rånen E2E',
  measurable: 'Anmälda rån, 2025 som bas',
  comments: 'Följs upp i juni E2E',
};

type Problems = { errors: string[]; failed: string[]; external: string[] };

describe('the lägesbild\'s section 7 edited in the browser (embedded)', { timeout: 600_000 }, () => {
  let t: TestApp;
  let base = '';
  let browser: Browser;
  let husby = 0;
  let reportId = 0;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    await ensureWebBuilt();
    process.env.SAMPLE_CRIMES = '3000';
    t = await openTestApp('embedded', { RATE_LIMIT_PER_MINUTE: '1000000' });
    const { ensureSampleData } = await import('../../server/reference/sample-data.js');
    await ensureSampleData(t.db);
    const { createKey } = await import('../../server/domain/keys/api-keys.js');
    keys.husby = (await createKey(t.db, { name: 'sdf husby e2e', role: 'staff', districts: ['stadsdelar:HUSBY'] })).key;
    keys.farsta = (await createKey(t.db, { name: 'sdf farsta e2e', role: 'staff', districts: ['stadsdelar:FARSTA'] })).key;
    keys.analyst = (await createKey(t.db, { name: 'analys e2e', role: 'analyst' })).key;
    husby = Number((await t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY'`)).rows[0].id);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 600_000);
  afterAll(async () => { await browser?.close(); await t?.close(); });

  const api = (url: string, who: string, init: RequestInit = {}) =>
    fetch(base + url, { ...init, headers: { authorization: `Bearer ${keys[who]}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const ready = (page: Page) => page.waitForFunction(() => (window as unknown as { __tk?: { ready?: boolean } }).__tk?.ready === true, null, { timeout: 120_000 });

  async function open(url: string): Promise<{ page: Page; problems: Problems }> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const problems: Problems = { errors: [], failed: [], external: [] };
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[39]/.test(m.text())) problems.errors.push(m.text()); });
    page.on('pageerror', (e) => problems.errors.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) problems.failed.push(`${r.status()} ${new URL(r.url()).pathname}`); });
    page.on('request', (r) => { const u = new URL(r.url()); if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['blob:', 'data:'].includes(u.protocol)) problems.external.push(r.url()); });
    await page.goto(base + url, { waitUntil: 'load' });
    await ready(page);
    return { page, problems };
  }

  /** Logs in through the login dialog, by keyboard. */
  async function login(page: Page, who: string): Promise<void> {
    await page.focus('#btn-login');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#login-form input[name="apiKey"]');
    await page.keyboard.type(keys[who]); // the key field has the focus when the dialog opens
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !(document.getElementById('dialog') as HTMLDialogElement).open);
  }

  const active = (page: Page) => page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    return { id: e?.id ?? '', name: e?.getAttribute('name') ?? '', text: e?.textContent?.trim() ?? '', edit: e?.dataset.edit ?? '' };
  });
  /** Tab (or Shift+Tab) until the focused element matches; fails after `max` presses. */
  async function tabTo(page: Page, want: (a: Awaited<ReturnType<typeof active>>) => boolean, max = 60, back = false): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (want(await active(page))) return;
      await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    }
    throw new Error(`focus never reached the control; last: ${JSON.stringify(await active(page))}`);
  }
  const byName = (name: string) => (a: { name: string }) => a.name === name;
  const goalField = (field: string) => (a: { name: string }) => new RegExp(`^goal\\.\\w+\\.${field}$`).test(a.name);

  async function openEditor(page: Page): Promise<void> {
    await page.waitForSelector(`#lb-list [data-edit="${reportId}"]`, { timeout: 60_000 });
    await page.focus(`#lb-list [data-edit="${reportId}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#staff-text-form textarea', { timeout: 60_000 });
  }

  it('staff of Husby save a lägesbild, fill section 7 by keyboard, save, reload, see the text, and find it in the PDF', async () => {
    const { page, problems } = await open(`/?sel=a${husby}&c=17.94,59.41,12.3`);
    await page.waitForSelector('#panel:not([hidden]) #lagesbild-part', { timeout: 60_000 });
    // the public sees the live report's downloads and a hint, not the saved list
    expect(await page.isVisible('#lb-create')).toBe(false);
    const q = new URL(page.url()).searchParams;
    for (const [id, f] of [['#lagesbild-pdf', 'pdf'], ['#lagesbild-docx', 'docx']]) {
      const href = new URL((await page.getAttribute(id, 'href'))!, base);
      expect(href.pathname).toBe('/api/reports/lagesbild');
      expect([href.searchParams.get('areaId'), href.searchParams.get('from'), href.searchParams.get('to'), href.searchParams.get('f')]).toEqual([String(husby), q.get('from'), q.get('to'), f]);
    }

    await login(page, 'husby');
    await page.waitForSelector('#lb-create', { timeout: 60_000 });
    await page.waitForSelector('#lb-list:not([aria-busy])');
    expect(await page.locator('#lb-list [data-edit]').count()).toBe(0);
    await page.focus('#lb-create');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#lb-list [data-edit]', { timeout: 240_000 });
    reportId = Number(await page.getAttribute('#lb-list [data-edit]', 'data-edit'));
    expect(await page.textContent('#lb-msg')).toBe('Lägesbilden är sparad.');
    // the new report's edit button has the focus: Enter opens the editor
    expect((await active(page)).edit).toBe(String(reportId));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#staff-text-form textarea', { timeout: 60_000 });
    expect(await page.textContent('#dlg-title')).toBe('Avsnitt 7: Orsaksanalys, prioriteringar och åtgärdsplan');

    // a real form: every control labelled, the groups of controls fieldsets with a legend
    const a11y = await page.evaluate(() => {
      const f = document.getElementById('staff-text-form')!;
      const controls = [...f.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')];
      return {
        controls: controls.length,
        unlabelled: controls.filter((c) => !c.labels?.length || !c.labels[0].textContent?.trim()).map((c) => c.name),
        legends: [...f.querySelectorAll('fieldset')].map((fs) => fs.querySelector(':scope > legend')?.textContent?.trim() ?? ''),
        unnamedButtons: [...f.querySelectorAll('button')].filter((b) => !(b.getAttribute('aria-label') ?? b.textContent ?? '').trim()).length,
      };
    });
    expect(a11y.controls).toBeGreaterThanOrEqual(8);
    expect(a11y.unlabelled).toEqual([]);
    expect(a11y.legends).toEqual(['Orsaksanalys', 'Åtgärdsplan med SMART-mål']);
    expect(a11y.unnamedButtons).toBe(0);

    // by keyboard: the first step has the focus; Tab walks the steps in order
    expect((await active(page)).name).toBe('causalAnalysis.preparation');
    await page.keyboard.type(TEXT.preparation);
    await tabTo(page, byName('causalAnalysis.likelyCauses'), 3);
    await page.keyboard.type(TEXT.likelyCauses);
    await tabTo(page, byName('priorities'), 4);
    await page.keyboard.type(TEXT.priorities);
    // a SMART goal row: added with the button, its first field gets the focus
    await tabTo(page, (a) => a.id === 'st-add-goal', 4);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#st-goals .goal-row');
    expect((await active(page)).name).toMatch(/^goal\.\w+\.goal$/);
    await page.keyboard.type(TEXT.goal);
    await tabTo(page, goalField('measurable'), 3);
    await page.keyboard.type(TEXT.measurable);
    // a second row, added and removed again by keyboard
    await tabTo(page, (a) => a.id === 'st-add-goal', 12);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#st-goals .goal-row').length === 2);
    expect(await page.textContent('#st-goals .goal-row:nth-child(2) legend')).toBe('Mål 2');
    await page.keyboard.type('tillfälligt mål');
    await tabTo(page, (a) => a.text === 'Ta bort mål 2', 12);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#st-goals .goal-row').length === 1);
    expect(await page.textContent('#st-live')).toBe('Mål 2 har tagits bort.');
    expect((await active(page)).text).toBe('Ta bort mål 1');
    await tabTo(page, byName('comments'), 4);
    await page.keyboard.type(TEXT.comments);
    await tabTo(page, (a) => a.id === 'st-save', 10);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('st-msg')?.textContent === 'Sparat som version 2.', null, { timeout: 60_000 });
    expect(await page.textContent('#st-saved-by')).toMatch(/^Version 2, sparad av sdf husby e2e \d{1,2} \w+ 20\d\d( kl\.)? \d\d:\d\d$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'lagesbild-editor.png') });
    // Escape closes the dialog and gives the focus back to the report's edit button, whose entry now says who saved
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !(document.getElementById('dialog') as HTMLDialogElement).open);
    // the dialog's close event (which moves the focus) is a task after `open` turns false: wait for it, briefly
    await page.waitForFunction((id) => (document.activeElement as HTMLElement | null)?.dataset.edit === id, String(reportId), { timeout: 5_000 }).catch(() => undefined);
    expect((await active(page)).edit).toBe(String(reportId));
    expect(await page.textContent(`#lb-list [data-report-id="${reportId}"] [data-saved-by]`)).toMatch(/^Version 2, sparad av sdf husby e2e /);
    await page.screenshot({ path: path.join(ARTIFACTS, 'lagesbild-panel.png') });

    // the server has it: two versions, the second naming the fields typed
    const versions = await (await api(`/api/reports/${reportId}/versions`, 'husby')).json() as { versions: { version: number; changed: string[] }[] };
    expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.versions[0].changed).toEqual(['causalAnalysis.preparation', 'causalAnalysis.likelyCauses', 'priorities', 'actionPlan.goals', 'comments']);

    // reload: signed in still (the session cookie), the text is there
    await page.reload({ waitUntil: 'load' });
    await ready(page);
    await openEditor(page);
    const values = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('#staff-text-form input, #staff-text-form textarea')].map((c) => [c.name.replace(/^goal\.\w+\./, 'goal.'), c.value])));
    expect(values).toMatchObject({
      'causalAnalysis.preparation': TEXT.preparation, 'causalAnalysis.likelyCauses': TEXT.likelyCauses, priorities: TEXT.priorities,
      'goal.goal': TEXT.goal, 'goal.measurable': TEXT.measurable, comments: TEXT.comments, 'causalAnalysis.testAssumptions': '',
    });
    expect(await page.locator('#st-goals .goal-row').count()).toBe(1);
    await page.keyboard.press('Escape');

    // the saved report's PDF (the link in its list entry) holds the text
    const pdfHref = (await page.getAttribute(`#lb-list [data-report-id="${reportId}"] a[href$="f=pdf"]`, 'href'))!;
    expect(pdfHref).toBe(`/api/reports/${reportId}?f=pdf`);
    expect(await page.getAttribute(`#lb-list [data-report-id="${reportId}"] a[href$="f=docx"]`, 'href')).toBe(`/api/reports/${reportId}?f=docx`);
    const pdf = await api(pdfHref, 'husby');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tk-e2e-pdf-')), 'lagesbild.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    for (const s of Object.values(TEXT)) expect(text, s).toContain(s);
    expect(text).not.toContain('tillfälligt mål');
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('staff of another district are refused with the server\'s reason, in the panel and in the editor, and nothing is saved', async () => {
    expect(reportId).toBeGreaterThan(0);
    const { page, problems } = await open(`/?sel=a${husby}&c=17.94,59.41,12.3`);
    await page.waitForSelector('#panel:not([hidden]) #lagesbild-part', { timeout: 60_000 });
    await login(page, 'farsta');
    await page.waitForSelector('#lb-create', { timeout: 60_000 });
    await page.focus('#lb-create');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.getElementById('lb-error')?.textContent ?? '') !== '', null, { timeout: 60_000 });
    expect(await page.getAttribute('#lb-error', 'role')).toBe('alert');
    expect(await page.textContent('#lb-error')).toMatch(/^Du får inte spara här: Your staff key covers Farsta .*Husby/);
    await openEditor(page);
    await page.fill('#staff-text-form textarea[name="priorities"]', 'Farstas text');
    await page.focus('#st-save');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.getElementById('st-error')?.textContent ?? '') !== '', null, { timeout: 60_000 });
    expect(await page.textContent('#st-error')).toMatch(/^Du får inte spara här: .*covers Farsta.*Husby/);
    // still in the form, not saved
    expect(await page.inputValue('#staff-text-form textarea[name="priorities"]')).toBe('Farstas text');
    const r = await (await api(`/api/reports/${reportId}/versions`, 'husby')).json() as { currentVersion: number };
    expect(r.currentVersion).toBe(2);
    expect(problems.failed).toEqual([`403 /api/reports`, `403 /api/reports/${reportId}`]);
    expect([problems.errors, problems.external]).toEqual([[], []]);
    await page.close();
  });

  it('a save from an old version shows who saved since; "save my text as a new version" keeps both in the history', async () => {
    const { page, problems } = await open(`/?sel=a${husby}&c=17.94,59.41,12.3`);
    await page.waitForSelector('#panel:not([hidden]) #lagesbild-part', { timeout: 60_000 });
    await login(page, 'husby');
    await openEditor(page);
    // meanwhile an analyst saves version 3
    const other = await api(`/api/reports/${reportId}`, 'analyst', { method: 'PATCH', body: JSON.stringify({ baseVersion: 2, staffText: { comments: 'Analytikerns kommentar' } }) });
    expect(other.status).toBe(200);
    await page.fill('#staff-text-form textarea[name="causalAnalysis.testAssumptions"]', 'Antagandet håller E2E');
    await page.focus('#st-save');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#st-overwrite', { timeout: 60_000 });
    expect(await page.textContent('#st-error')).toMatch(/^analys e2e sparade version 3 .*efter version 2 som du utgick från\. Din text är inte sparad, men den finns kvar i formuläret\./);
    expect(await page.inputValue('#staff-text-form textarea[name="causalAnalysis.testAssumptions"]')).toBe('Antagandet håller E2E');
    // their version, shown read-only
    await page.focus('#st-show-theirs');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#st-version-view .version-view');
    expect(await page.textContent('#st-version-view')).toContain('Analytikerns kommentar');
    await page.focus('#st-overwrite');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('st-msg')?.textContent === 'Sparat som version 4.', null, { timeout: 60_000 });
    const v3 = await (await api(`/api/reports/${reportId}/versions/3`, 'husby')).json() as { staffText: { comments: string } };
    const v4 = await (await api(`/api/reports/${reportId}/versions/4`, 'husby')).json() as { staffText: { comments: string; causalAnalysis: { testAssumptions: string } } };
    expect(v3.staffText.comments).toBe('Analytikerns kommentar');
    expect(v4.staffText.causalAnalysis.testAssumptions).toBe('Antagandet håller E2E');
    expect(problems.failed).toEqual([`409 /api/reports/${reportId}`]);
    expect([problems.errors, problems.external]).toEqual([[], []]);
    await page.close();
  });
});
