// Issue 18, the cycle after the lägesbild, in a real headless Chromium (test/helpers/web-app.ts: the app in-process on
// an embedded database copy with the synthetic sample data): staff of Husby open Husby's area panel, start an action
// plan from the saved lägesbild, promote the significant rise of robbery to a priority, fill the orsaksanalys steps
// and the problem triangle, add two measures with owners and one indicator, save — the baseline shown is the one the
// server filled from the statistics and equals /api/stats — and decide the plan, after which it is read-only; the
// follow-up view shows the indicator's current value and status as the follow-up API computes them, and its PDF link
// gives a PDF that holds them. Keyboard first; axe finds no WCAG 2.1 A/AA violation in the editor or the follow-up.
// Also: a conflicting save at phone width, decide → publish → revise, staff of another district refused, and the
// analysts' city overview flagging a district whose lägesbild is 25 months old.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { ARTIFACTS, axeViolations, focused, openPage, startWebApp, tabTo, type WebApp } from '../helpers/web-app.js';

const TEXT = {
  preparation: 'SDF, polis och Stockholmshem E2E',
  deepenKnowledge: 'Rånen sker kvällstid vid torget',
  likelyCauses: 'Mörk gångtunnel och öppen handel',
  testAssumptions: 'Tidsmönstret stöder kvällstid',
  chooseMeasures: 'Belysning och trygghetsvandringar',
  offender: 'Unga män från området',
  target: 'Ungdomar på väg hem',
  place: 'Gångtunneln vid torget',
};

type Plan = { id: number; status: string; version: number; plan: { priorities: { id: string; origin: { kind: string; finding?: { type: string; figures: Record<string, unknown> }; dataVersion?: number }; causalAnalysis: Record<string, unknown>; indicators: { id: string; label: string; categories: string[]; baseline: { from: string; to: string; count: number | null; ratePer1000: number | null } }[] }[]; measures: { title: string; owner: string; partners: { organisation: string; role: string }[]; priorityIds: string[]; placeIds: number[] }[] } };
type FollowUp = { indicators: { indicatorId: string; label: string; current: { count: number | null; ratePer1000: number | null }; status: string; statusText: { sv: string } }[] };

describe('an action plan from the lägesbild, by keyboard, to its follow-up (embedded)', { timeout: 600_000 }, () => {
  let w: WebApp;
  let husby = 0;
  let reportId = 0;
  let key = '';
  let analystKey = '';

  beforeAll(async () => {
    w = await startWebApp();
    const db = w.t.db;
    husby = Number((await db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'HUSBY'`)).rows[0].id);
    // robbery in Husby rises clearly in 2025 (the sample data's last year): 20 more in 2024, 80 more in 2025, inside the
    // district (enough in both years that the public's figures are shown and tested, not hidden below the threshold)
    const pts = await db.query<{ x: number; y: number }>(`SELECT ST_X(d.geom) AS x, ST_Y(d.geom) AS y FROM areas a, ST_Dump(ST_GeneratePoints(a.geom, 100, 18)) d WHERE a.id = $1`, [husby]);
    const rows: IncidentInput[] = pts.rows.map((p, i) => ({
      externalId: `e2e-ran-${i}`, category: 'ran', occurredFrom: new Date(Date.parse(i < 20 ? '2024-01-01T00:00:00Z' : '2025-01-01T00:00:00Z') + ((i * 7919) % 360) * 86_400_000 + (18 + (i % 5)) * 3_600_000), occurredTo: null,
      x: Number(p.x), y: Number(p.y), precision: 'exact' as const,
    }));
    await db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', rows));
    key = (await createKey(db, { name: 'sdf husby plan e2e', role: 'staff', districts: ['stadsdelar:HUSBY'] })).key;
    analystKey = (await createKey(db, { name: 'analys plan e2e', role: 'analyst' })).key;
    // the saved lägesbild the plan starts from (the lägesbild editor's test saves one through the page)
    const r = await api('/api/reports', { method: 'POST', body: JSON.stringify({ areaId: husby, title: 'Lägesbild Husby 2025', evaluatePlaces: false }) });
    expect(r.status, await r.clone().text()).toBe(201);
    reportId = ((await r.json()) as { id: number }).id;
  }, 600_000);
  afterAll(async () => { await w?.close(); });

  const api = (url: string, init: RequestInit = {}, k = key) => fetch(w.base + url, { ...init, headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  async function login(page: Page, k = key): Promise<void> {
    await page.focus('#btn-login');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#login-form input[name="apiKey"]');
    await page.keyboard.type(k);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !(document.getElementById('dialog') as HTMLDialogElement).open);
  }
  const byId = (id: string) => (a: { id: string }) => a.id === id;
  const press = async (page: Page, id: string) => { await tabTo(page, byId(id), 80); await page.keyboard.press('Enter'); };
  const type = async (page: Page, id: string, text: string) => { await tabTo(page, byId(id), 40); await page.keyboard.type(text); };

  it('staff of Husby promote the rise of robbery, fill the orsaksanalys, add measures and an indicator, decide, and follow it up', async () => {
    // the saved lägesbild found robbery's significant rise in Husby
    const saved = (await (await api(`/api/reports/${reportId}?f=json`)).json()) as { content: { summary: { key: string; text: string; significant: boolean }[] } };
    const rise = saved.content.summary.find((f) => f.key === 'group:ran');
    expect(rise, JSON.stringify(saved.content.summary.map((f) => f.key))).toMatchObject({ significant: true });

    const { page, problems } = await openPage(w, `/?sel=a${husby}&c=17.94,59.41,12.3`);
    page.on('dialog', (d) => void d.accept()); // the confirmation before deciding
    await page.waitForSelector('#panel:not([hidden]) #panel-title', { timeout: 60_000 });
    // the public sees no action plans
    expect(await page.isVisible('#ap-create')).toBe(false);
    await login(page);
    await page.waitForSelector('#ap-list:not([aria-busy])', { timeout: 60_000 });
    expect(await page.textContent('#ap-list')).toContain('Ingen handlingsplan för området ännu.');

    // "Ny handlingsplan": a draft from the latest saved lägesbild, opened in the editor
    await page.focus('#ap-create');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#ap-form [data-finding="group:ran"] [data-promote]`, { timeout: 60_000 });
    expect(await page.textContent('#dlg-title')).toBe('Handlingsplan');
    expect(await page.textContent('#ap-part-msg')).toContain('Lägesbild Husby 2025');
    expect(await page.textContent('#ap-findings')).toContain(rise!.text);

    // promote the rise: the new priority's first step has the focus
    await page.focus('#ap-form [data-finding="group:ran"] [data-promote]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#ap-priorities-0-causalAnalysis-preparation');
    expect((await focused(page)).id).toBe('ap-priorities-0-causalAnalysis-preparation');
    expect(await page.textContent('#ap-priorities legend')).toBe('Prioritering 1: Rån');
    expect(await page.isDisabled('#ap-form [data-finding="group:ran"] [data-promote]')).toBe(true);
    // each step with supporting data where there is some: the map in the right mode for Husby
    const links = await page.$$eval('.ap-priority .ap-data-links a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(links.some((h) => h.includes(`sel=a${husby}`) && h.includes('ly=ch%2Chs%2Cpl') && h.includes('cat=ran'))).toBe(true);
    expect(links.some((h) => h.includes('m=survey'))).toBe(true);

    // the orsaksanalys by keyboard: the five steps, then the problem triangle, in Tab order
    await page.keyboard.type(TEXT.preparation);
    for (const k of ['deepenKnowledge', 'likelyCauses', 'testAssumptions', 'chooseMeasures'] as const) await type(page, `ap-priorities-0-causalAnalysis-${k}`, TEXT[k]);
    for (const k of ['offender', 'target', 'place'] as const) await type(page, `ap-priorities-0-causalAnalysis-triangle-${k}`, TEXT[k]);

    // one indicator: the crime group's categories and the plan's area are filled in
    await press(page, 'ap-priorities-0-add-indicator');
    await page.waitForSelector('#ap-priorities-0-indicators-0-label');
    expect((await focused(page)).id).toBe('ap-priorities-0-indicators-0-label');
    const label = await page.inputValue('#ap-priorities-0-indicators-0-label');
    expect(label).toBe('Rån per 1 000 invånare i Husby, 12 månader');
    expect(await page.inputValue('#ap-priorities-0-indicators-0-categories')).toBe('ran');
    await type(page, 'ap-priorities-0-indicators-0-targetRate', '1,5');
    expect(await page.textContent('[data-baseline="i1"]')).toContain('fylls i från statistiken när planen sparas');

    // and one from the safety survey: the question and the group chosen from the survey's lists, the target in percent
    await press(page, 'ap-priorities-0-add-survey-indicator');
    await page.waitForSelector('#ap-priorities-0-indicators-1-indicator');
    expect((await focused(page)).id).toBe('ap-priorities-0-indicators-1-indicator');
    await page.selectOption('#ap-priorities-0-indicators-1-indicator', 'otrygg-kvall');
    // another question redraws the indicator (its target's unit follows it) and keeps the focus on the choice
    await page.waitForFunction(() => document.activeElement?.id === 'ap-priorities-0-indicators-1-indicator');
    await page.selectOption('#ap-priorities-0-indicators-1-group', 'female');
    await type(page, 'ap-priorities-0-indicators-1-targetValue', '20');
    expect(await page.textContent('label[for="ap-priorities-0-indicators-1-targetValue"]')).toBe('Mål: högst (procent)');
    expect(await page.textContent('[data-baseline="i2"]')).toContain('fylls i från den senaste trygghetsmätningen');

    // two measures with owners and partners, linked to the priority
    const measure = async (n: number, title: string, owner: string, partners: string, place: boolean) => {
      await press(page, 'ap-add-measure');
      await page.waitForSelector(`#ap-measures-${n}-title`);
      expect((await focused(page)).id).toBe(`ap-measures-${n}-title`);
      await page.keyboard.type(title);
      await type(page, `ap-measures-${n}-owner`, owner);
      await type(page, `ap-measures-${n}-partners`, partners);
      await tabTo(page, (a) => a.tag === 'INPUT' && a.data.link === String(n), 30);
      await page.keyboard.press('Space');
      if (!place) return;
      // the platssamverkan place in Husby
      await tabTo(page, (a) => a.tag === 'INPUT' && a.data.placeLink === String(n) && a.text === '', 10);
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).closest('label')?.textContent?.trim())).toMatch(/^Husby centrum/);
      await page.keyboard.press('Space');
    };
    // partners one per line, each with its role after a colon (Enter in the text area starts the next)
    await measure(0, 'Bättre belysning i gångtunneln', 'Trafikkontoret', 'Stockholmshem: fastighetsägare\nPolisen', true);
    await measure(1, 'Trygghetsvandringar kvällstid', 'SDF Rinkeby-Kista', 'Polisen: lokalpolisområde Rinkeby\nHusby IF: förening', false);
    await page.fill('#ap-measures-1-end', '2020-01-31'); // already past: flagged as overdue in the follow-up

    // a form axe finds nothing wrong with, every control labelled
    const unlabelled = await page.$$eval('#ap-form input, #ap-form textarea, #ap-form select', (cs) => cs.filter((c) => !(c as HTMLInputElement).labels?.length).map((c) => c.id));
    expect(unlabelled).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);

    // save: the server fills the baseline, and the editor shows it
    await press(page, 'ap-save');
    await page.waitForFunction(() => /Sparat som version 2/.test(document.getElementById('ap-msg')?.textContent ?? ''), null, { timeout: 60_000 });
    const plans = ((await (await api(`/api/action-plans?areaId=${husby}`)).json()) as { plans: Plan[] }).plans;
    expect(plans).toHaveLength(1);
    const plan = plans[0];
    const pr = plan.plan.priorities[0];
    expect(pr.origin).toMatchObject({ kind: 'finding', finding: { type: 'significant-rise', figures: { key: 'group:ran', categories: 'ran' } } });
    expect(pr.causalAnalysis).toMatchObject({ preparation: TEXT.preparation, chooseMeasures: TEXT.chooseMeasures, triangle: { offender: TEXT.offender, target: TEXT.target, place: TEXT.place } });
    const husbyCentrum = Number((await w.t.db.query<{ id: number }>(`SELECT id FROM places WHERE name LIKE 'Husby centrum%'`)).rows[0].id);
    expect(plan.plan.measures.map((m) => [m.title, m.owner, m.partners.map((p) => (p.role ? `${p.organisation}: ${p.role}` : p.organisation)), m.priorityIds, m.placeIds])).toEqual([
      ['Bättre belysning i gångtunneln', 'Trafikkontoret', ['Stockholmshem: fastighetsägare', 'Polisen'], [pr.id], [husbyCentrum]],
      ['Trygghetsvandringar kvällstid', 'SDF Rinkeby-Kista', ['Polisen: lokalpolisområde Rinkeby', 'Husby IF: förening'], [pr.id], []],
    ]);
    const b = pr.indicators[0].baseline;
    expect(pr.indicators[0]).toMatchObject({ label, categories: ['ran'] });
    // the baseline is /api/stats' figure for the same area, period and filter
    const stats = (await (await fetch(`${w.base}/api/stats?areaSet=stadsdelar&source=crimes&category=ran&from=${b.from}&to=${b.to}`)).json()) as { rows: { areaId: number; count: number | null; ratePer1000: number | null }[] };
    const row = stats.rows.find((x) => x.areaId === husby)!;
    expect(b.count).toBeGreaterThanOrEqual(80);
    expect([b.count, b.ratePer1000]).toEqual([row.count, row.ratePer1000]);
    // and the editor shows that baseline
    expect(Number(await page.getAttribute('[data-baseline="i1"]', 'data-rate'))).toBe(b.ratePer1000);
    expect(Number(await page.getAttribute('[data-baseline="i1"]', 'data-count'))).toBe(b.count);
    expect(await page.textContent('[data-baseline="i1"]')).toContain(`${b.from} – ${b.to}`);
    // the survey indicator's baseline is /api/survey's public figure for the same area set, question and group
    const si = pr.indicators[1] as unknown as { kind: string; indicator: string; group: string; targetValue: number; baseline: { wave: { id: string }; value: number | null; ciLow: number | null; ciHigh: number | null; respondents: number | null } };
    expect(si).toMatchObject({ kind: 'survey', indicator: 'otrygg-kvall', group: 'female', targetValue: 0.2 });
    const sv = (await (await fetch(`${w.base}/api/survey?areaSet=stadsdelar&indicator=otrygg-kvall&group=female`)).json()) as { meta: { wave: { id: string } }; rows: { areaId: number; value: number | null; ciLow: number | null; ciHigh: number | null; respondents: number | null }[] };
    const srow = sv.rows.find((x) => x.areaId === husby)!;
    expect([si.baseline.wave.id, si.baseline.value, si.baseline.ciLow, si.baseline.ciHigh, si.baseline.respondents]).toEqual([sv.meta.wave.id, srow.value, srow.ciLow, srow.ciHigh, srow.respondents]);
    expect(si.baseline.value).not.toBeNull();
    expect(Number(await page.getAttribute('[data-baseline="i2"]', 'data-value'))).toBe(si.baseline.value);
    expect(await page.textContent('[data-baseline="i2"]')).toContain(`${Math.round(si.baseline.value! * 100)} %`);

    // decide (after the confirmation): read-only from now on
    await press(page, 'ap-decide');
    await page.waitForFunction(() => /Beslutad/.test(document.getElementById('ap-status-line')?.textContent ?? ''), null, { timeout: 60_000 });
    expect(await page.textContent('#ap-msg')).toMatch(/Planen är beslutad/);
    expect(await page.isDisabled('#ap-priorities-0-causalAnalysis-preparation')).toBe(true);
    expect(await page.isDisabled('#ap-add-measure')).toBe(true);
    expect(await page.isVisible('#ap-save')).toBe(false);
    expect(((await (await api(`/api/action-plans/${plan.id}`)).json()) as Plan).status).toBe('decided');

    // the follow-up: the indicator's current value and status as the API computes them, the overdue measure flagged
    await press(page, 'ap-follow-up');
    await page.waitForSelector('#fu-indicators tr[data-indicator="i1"]', { timeout: 60_000 });
    const fu = (await (await api(`/api/action-plans/${plan.id}/follow-up`)).json()) as FollowUp;
    const want = fu.indicators.find((i) => i.indicatorId === 'i1')!;
    const cur = page.locator('#fu-indicators tr[data-indicator="i1"] [data-field="current"]');
    expect(Number(await cur.getAttribute('data-count'))).toBe(want.current.count);
    expect(Number(await cur.getAttribute('data-rate'))).toBe(want.current.ratePer1000);
    expect(await page.textContent('#fu-indicators tr[data-indicator="i1"] th')).toBe(label);
    expect(await page.textContent('#fu-indicators tr[data-indicator="i1"] [data-field="status"]')).toBe(want.statusText.sv);
    // the survey indicator: the latest wave is the baseline's, so too early, in the API's words
    const sWant = fu.indicators.find((i) => i.indicatorId === 'i2')!;
    expect(sWant.status).toBe('too-early');
    expect(await page.getAttribute('#fu-indicators tr[data-indicator="i2"]', 'data-kind')).toBe('survey');
    expect(await page.textContent('#fu-indicators tr[data-indicator="i2"] [data-field="status"]')).toBe(sWant.statusText.sv);
    expect(await page.textContent('#fu-indicators tr[data-indicator="i2"] [data-field="current"]')).toMatch(/\d+ %.*svarande/);
    expect(await page.textContent('#fu-measures')).toContain('Planerad: 2');
    expect(await page.textContent('#fu-overdue')).toContain('Trygghetsvandringar kvällstid');
    for (const f of ['pdf', 'docx', 'html']) {
      const href = new URL((await page.getAttribute(`#fu-${f}`, 'href'))!, w.base);
      expect([href.pathname, href.searchParams.get('f'), href.searchParams.get('lang')]).toEqual([`/api/action-plans/${plan.id}/follow-up`, f, 'sv']);
    }
    expect(await axeViolations(page)).toEqual([]);

    // the follow-up PDF behind the page's link holds the indicator with its status
    const pdf = await api(new URL((await page.getAttribute('#fu-pdf', 'href'))!, w.base).pathname + new URL((await page.getAttribute('#fu-pdf', 'href'))!, w.base).search);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
    const file = path.join(ARTIFACTS, 'action-plan-follow-up.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const words = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(words).toContain(label);
    expect(words).toContain(want.statusText.sv);

    // Escape closes the dialog and the focus returns to the plan in the panel
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !(document.getElementById('dialog') as HTMLDialogElement).open);
    await page.waitForSelector('#ap-list [data-status="decided"]');
    expect((await focused(page)).data.openPlan).toBe(String(plan.id));

    // the version history: who saved each version and what changed, in words, opened by keyboard
    await tabTo(page, (a) => a.tag === 'SUMMARY', 10);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-history="${plan.id}"] .ap-versions`, { timeout: 60_000 });
    const history = await page.$$eval(`[data-history="${plan.id}"] .ap-versions > li`, (lis) => lis.map((li) => li.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
    expect(history[0]).toMatch(/^Version 3 · Beslutad · sparad av key:\d+ .*Status: Beslutad$/);
    expect(history[1]).toContain('Prioritering tillagd: Rån');
    expect(history[1]).toContain('Åtgärd tillagd: Bättre belysning i gångtunneln');
    expect(history.at(-1)).toContain('Första versionen.');
    expect(await axeViolations(page)).toEqual([]);
    expect(problems.errors).toEqual([]);
    expect(problems.external).toEqual([]);
    await page.close();
  });

  it('at phone width: a save after someone else\'s shows who saved and keeps the text, which can be saved on top; decide, publish and revise', async () => {
    const made = await api('/api/action-plans', { method: 'POST', body: JSON.stringify({ areaId: husby, title: 'Konfliktplan E2E', plan: { priorities: [{ id: 'p1', title: 'Egen prioritering E2E', origin: { kind: 'own' } }] } }) });
    expect(made.status, await made.clone().text()).toBe(201);
    const id = ((await made.json()) as Plan).id;
    const { page, problems } = await openPage(w, `/?sel=a${husby}&c=17.94,59.41,12.3`);
    page.on('dialog', (d) => void d.accept());
    await login(page);
    // signed in (the login sits in the tools menu at phone width), then a phone's screen
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForSelector(`#ap-list [data-open-plan="${id}"]`, { timeout: 60_000 });
    await page.focus(`#ap-list [data-open-plan="${id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#ap-title');
    expect((await focused(page)).id).toBe('ap-title');
    // the dialog fits the phone: nothing wider than the screen
    expect(await page.evaluate(() => { const d = document.getElementById('dialog')!; return d.getBoundingClientRect().width <= window.innerWidth && d.scrollWidth <= d.clientWidth + 1; })).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // someone else saves version 2 meanwhile
    const theirs = await api(`/api/action-plans/${id}`, { method: 'PUT', body: JSON.stringify({ title: 'Deras rubrik', baseVersion: 1, plan: { priorities: [{ id: 'p1', title: 'Egen prioritering E2E', origin: { kind: 'own' } }] } }) });
    expect(theirs.status).toBe(200);
    await page.fill('#ap-title', 'Min rubrik E2E');
    await press(page, 'ap-save');
    await page.waitForSelector('#ap-overwrite', { timeout: 60_000 });
    expect(await page.textContent('#ap-error')).toMatch(/sparade version 2 .*efter version 1 som du utgick från/);
    expect(await page.inputValue('#ap-title')).toBe('Min rubrik E2E');
    await page.focus('#ap-overwrite');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /Sparat som version 3/.test(document.getElementById('ap-msg')?.textContent ?? ''), null, { timeout: 60_000 });
    expect(((await (await api(`/api/action-plans/${id}`)).json()) as Plan & { title: string }).title).toBe('Min rubrik E2E');

    // decide → publish → revise: read-only in between, editable again as a new draft version
    await press(page, 'ap-decide');
    await page.waitForSelector('#ap-publish', { timeout: 60_000 });
    expect(await page.isDisabled('#ap-title')).toBe(true);
    await press(page, 'ap-publish');
    await page.waitForFunction(() => /Publicerad/.test(document.getElementById('ap-status-line')?.textContent ?? ''), null, { timeout: 60_000 });
    // published: the public reads it
    expect((await fetch(`${w.base}/api/action-plans/${id}`)).status).toBe(200);
    await press(page, 'ap-revise');
    await page.waitForSelector('#ap-save', { timeout: 60_000 });
    expect(await page.textContent('#ap-status-line')).toMatch(/Utkast/);
    expect(await page.isDisabled('#ap-title')).toBe(false);
    const revised = (await (await api(`/api/action-plans/${id}`)).json()) as Plan;
    expect(revised.status).toBe('draft');
    expect(await page.textContent('#ap-status-line')).toContain(`Version ${revised.version}`);
    expect(problems.errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
    await page.close();
  });

  it('the analysts\' city overview lists every district with its latest lägesbild and plan, flags one 25 months old, and links the CSV', async () => {
    const kista = Number((await w.t.db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = 'KISTA'`)).rows[0].id);
    const r = await api('/api/reports', { method: 'POST', body: JSON.stringify({ areaId: kista, title: 'Lägesbild Kista (gammal)', evaluatePlaces: false }) }, analystKey);
    expect(r.status).toBe(201);
    await w.t.db.query(`UPDATE saved_reports SET report_date = (current_date - interval '25 months')::date WHERE id = $1`, [((await r.json()) as { id: number }).id]);
    const want = ((await (await api('/api/reports?areaSet=stadsdelar', {}, analystKey)).json()) as { areas: { areaId: number; latestReportDate: string | null; stale: boolean; latestActionPlan: { status: string } | null }[] }).areas;

    const { page, problems } = await openPage(w, '/');
    await login(page, analystKey);
    await page.waitForSelector('#btn-city-overview', { timeout: 60_000 });
    await page.focus('#btn-city-overview');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#co-table tbody tr[data-area-id]', { timeout: 60_000 });
    const rows = await page.$$eval('#co-table tbody tr', (trs) => trs.map((tr) => ({
      id: Number((tr as HTMLElement).dataset.areaId), stale: (tr as HTMLElement).dataset.stale === 'true',
      date: tr.querySelector('[data-field="latestReportDate"]')!.textContent!.trim(), flag: tr.querySelector('[data-field="stale"]')!.textContent!.trim(), plan: tr.querySelector('[data-field="plan"]')!.textContent!.trim(),
    })));
    expect(rows.length).toBe(want.length);
    expect(rows.length).toBeGreaterThan(10);
    const row = (id: number) => rows.find((x) => x.id === id)!;
    const wantKista = want.find((a) => a.areaId === kista)!;
    expect(wantKista.stale).toBe(true);
    expect(row(kista)).toMatchObject({ stale: true, date: wantKista.latestReportDate, flag: 'äldre än två år' });
    expect(row(husby)).toMatchObject({ stale: false, date: want.find((a) => a.areaId === husby)!.latestReportDate, flag: 'ja', plan: 'Utkast' });
    expect(rows.filter((x) => x.flag === 'saknas').length).toBe(want.filter((a) => !a.latestReportDate).length);
    expect(await page.textContent('#co-table caption')).toContain(`${want.length} stadsdelar`);
    expect(await page.getAttribute('#co-csv', 'href')).toBe('/api/reports?areaSet=stadsdelar&f=csv&lang=sv');

    // the map above the table: every district filled by the same state as its row, Kista (25 months) as stale
    await page.waitForFunction(() => (window as unknown as { __tk: { overviewReady?: boolean } }).__tk.overviewReady === true, null, { timeout: 60_000 });
    type M = { loaded: () => boolean; getCanvas: () => HTMLCanvasElement; queryRenderedFeatures: (o: unknown) => { id?: number; properties: { status: string } }[]; getSource: (id: string) => { getData: () => Promise<{ features: { id: number; properties: { status: string; attention: boolean } }[] }> }; getFeatureState: (f: unknown) => { selected?: boolean }; project: (p: [number, number]) => { x: number; y: number } };
    const onMap = await page.evaluate(async (k) => {
      const m = (window as unknown as { __tk: { overviewMap: M } }).__tk.overviewMap;
      return {
        loaded: m.loaded(), label: m.getCanvas().getAttribute('aria-label'), describedBy: m.getCanvas().getAttribute('aria-describedby'),
        kistaRendered: m.queryRenderedFeatures({ layers: ['co-fill'] }).filter((f) => f.id === k).map((f) => f.properties.status),
        source: (await m.getSource('co-areas').getData()).features.map((f) => ({ id: f.id, status: f.properties.status })),
      };
    }, kista);
    expect(await page.$('#co-map canvas.maplibregl-canvas')).not.toBeNull();
    expect(onMap.loaded).toBe(true);
    expect(onMap.label).toMatch(/^Karta över stadsdelarna/);
    expect(onMap.describedBy).toBe('co-map-note co-table');
    expect(onMap.kistaRendered.length).toBeGreaterThan(0);
    expect(new Set(onMap.kistaRendered)).toEqual(new Set(['stale']));
    const statusOf = (a: (typeof want)[number]) => (!a.latestReportDate ? 'missing' : a.stale ? 'stale' : !a.latestActionPlan ? 'noPlan' : a.latestActionPlan.status === 'draft' ? 'draft' : 'decided');
    expect(onMap.source.sort((a, b) => a.id - b.id)).toEqual(want.map((a) => ({ id: a.areaId, status: statusOf(a) })).sort((a, b) => a.id - b.id));
    expect(onMap.source.find((x) => x.id === husby)!.status).toBe('draft');
    // the legend names every state, each with its pattern, and the attention outline
    const legend = await page.$$eval('#co-legend li', (lis) => lis.map((li) => li.textContent!.trim()));
    expect(legend).toEqual([
      'Lägesbild saknas (korsrutor)', 'Lägesbild äldre än två år (snedstreck)', 'Aktuell lägesbild, ingen handlingsplan (prickar)',
      'Aktuell lägesbild, handlingsplan som utkast (vågräta linjer)', 'Aktuell lägesbild, beslutad eller publicerad plan (helfärg)',
      'Indikator åt fel håll eller försenad åtgärd (tjock streckad kant)',
    ]);
    // clicking Kista on the map marks and focuses its row
    const inKista = (await w.t.db.query<{ x: number; y: number }>(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) AS p FROM areas WHERE id = $1) q`, [kista])).rows[0];
    const px = await page.evaluate((p) => (window as unknown as { __tk: { overviewMap: M } }).__tk.overviewMap.project(p), [Number(inKista.x), Number(inKista.y)] as [number, number]);
    const box = (await (await page.$('#co-map canvas.maplibregl-canvas'))!.boundingBox())!;
    await page.mouse.click(box.x + px.x, box.y + px.y);
    await page.waitForFunction((k) => document.activeElement?.getAttribute('data-area-id') === String(k), kista, { timeout: 10_000 });
    expect(await page.getAttribute(`#co-table tr[data-area-id="${kista}"]`, 'aria-current')).toBe('true');
    expect(await page.textContent('#co-selected')).toBe('Markerad: Kista');
    // Enter on Husby's row marks Husby on the map
    await page.focus(`#co-table tr[data-area-id="${husby}"]`);
    await page.keyboard.press('Enter');
    expect(await page.evaluate((h) => (window as unknown as { __tk: { overviewMap: M } }).__tk.overviewMap.getFeatureState({ source: 'co-areas', id: h }).selected, husby)).toBe(true);
    expect(await page.getAttribute(`#co-table tr[data-area-id="${kista}"]`, 'aria-current')).toBeNull();
    // the map as PNG, with its legend
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#co-png')]);
    expect(dl.suggestedFilename()).toMatch(/^trygghetskarta-oversikt-stadsdelar-\d{4}-\d{2}-\d{2}\.png$/);
    const png = fs.readFileSync((await dl.path())!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'city-overview-map.png') });
    // at phone width the map sits above the table, no wider than the screen, and axe still passes
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => document.querySelector('#co-map')!.getBoundingClientRect().width <= 390);
    const mapBox = (await (await page.$('#co-map'))!.boundingBox())!;
    const tableBox = (await (await page.$('#co-table'))!.boundingBox())!;
    expect(mapBox.y + mapBox.height).toBeLessThanOrEqual(tableBox.y);
    expect(mapBox.height).toBeGreaterThan(150);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'city-overview-map-phone.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
    expect(problems.external).toEqual([]);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !(document.getElementById('dialog') as HTMLDialogElement).open);
    expect((await focused(page)).id).toBe('btn-city-overview');
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('staff of another district see Husby\'s plans only once published, and starting one there shows the server\'s refusal', async () => {
    const farsta = (await createKey(w.t.db, { name: 'sdf farsta plan e2e', role: 'staff', districts: ['stadsdelar:FARSTA'] })).key;
    const { page } = await openPage(w, `/?sel=a${husby}&c=17.94,59.41,12.3`);
    await login(page, farsta);
    await page.waitForSelector('#ap-list:not([aria-busy])', { timeout: 60_000 });
    const visible = await page.$$eval('#ap-list [data-plan-id]', (lis) => lis.map((li) => (li as HTMLElement).dataset.status));
    expect(visible.every((x) => x === 'published')).toBe(true);
    // the plan revised at phone width is a draft again, and they keep reading the version that was published
    expect(visible.length).toBeGreaterThan(0);
    await page.focus('#ap-create');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.getElementById('ap-part-error')?.textContent ?? '') !== '', null, { timeout: 60_000 });
    expect(await page.textContent('#ap-part-error')).toMatch(/^Du får inte spara här: .*Husby/);
    expect(await page.evaluate(() => (document.getElementById('dialog') as HTMLDialogElement).open)).toBe(false);
    await page.close();
  });
});
