// The map in a real headless Chromium (Debian's chromium via playwright-core) against the app started in-process
// on an embedded database copy with a small seeded synthetic data set. Browser tests run on the embedded backend
// only: the API's agreement between backends is tested by the API tests.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/backends.js';
import { ARTIFACTS, openPage, startWebApp, type WebApp } from '../helpers/web-app.js';



describe('web map in Chromium (embedded)', { timeout: 300_000 }, () => {
  let t: TestApp;
  let base = '';
  let browser: Browser;
  let adminKey = '';

  let w: WebApp;
  beforeAll(async () => {
    w = await startWebApp(6000);
    ({ t, base, browser, adminKey } = w);
  }, 600_000);
  afterAll(async () => { await w?.close(); });

  const open = (url: string, viewport = { width: 1366, height: 768 }) => openPage(w, url, viewport);

  const ready = (page: Page) => page.waitForFunction(() => (window as unknown as { __tk?: { ready?: boolean } }).__tk?.ready === true, null, { timeout: 120_000 });
  /** waits for the next completed render after a state change */
  async function settled(page: Page): Promise<void> {
    await page.waitForFunction(() => { const s = document.getElementById('status'); return s?.hidden || !s?.classList.contains('status-loading'); }, null, { timeout: 120_000 });
    await page.evaluate(() => new Promise<void>((r) => { const m = (window as unknown as { __tk: { map: { once: (e: string, f: () => void) => void; loaded: () => boolean; triggerRepaint: () => void } } }).__tk.map; m.once('idle', () => r()); m.triggerRepaint(); }));
  }
  const rendered = (page: Page, layers: string[]) => page.evaluate((ls) => {
    const m = (window as unknown as { __tk: { map: { getLayer: (id: string) => unknown; queryRenderedFeatures: (o: unknown) => unknown[] } } }).__tk.map;
    const present = ls.filter((l) => m.getLayer(l));
    return present.length ? m.queryRenderedFeatures({ layers: present }).length : 0;
  }, layers);
  const query = (page: Page) => new URL(page.url()).searchParams;

  async function clickArea(page: Page, name: string): Promise<void> {
    const labels = await (await fetch(`${base}/basemap/layers/district-labels.geojson`)).json() as { features: { properties: { name: string }; geometry: { coordinates: [number, number] } }[] };
    const f = labels.features.find((x) => x.properties.name === name)!;
    const pt = await page.evaluate((c) => { const m = (window as unknown as { __tk: { map: { project: (c: [number, number]) => { x: number; y: number }; getCanvas: () => HTMLCanvasElement } } }).__tk.map; const p = m.project(c); const r = m.getCanvas().getBoundingClientRect(); return { x: r.left + p.x, y: r.top + p.y }; }, f.geometry.coordinates);
    await page.mouse.click(pt.x, pt.y);
  }

  it('loads with a map canvas, no console errors, no failed or external requests, and writes a screenshot', async () => {
    const { page, problems } = await open('/');
    const box = await page.locator('#map canvas').first().boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(300);
    const ms = await page.evaluate(() => (window as unknown as { __tk: { firstChoroplethMs: number } }).__tk.firstChoroplethMs);
    console.log(`first render of the district choropleth: ${ms} ms`);
    expect(await rendered(page, ['ch-fill', 'ch-pattern'])).toBeGreaterThan(50);
    // the legend shows exactly the fill's classes: same colours, in order
    const fill = await page.evaluate(() => JSON.stringify((window as unknown as { __tk: { map: { getPaintProperty: (l: string, p: string) => unknown } } }).__tk.map.getPaintProperty('ch-fill', 'fill-color')));
    const swatches = await page.$$eval('#legend .legend-block:first-child .sw', (els) => els.map((e) => (e as HTMLElement).style.background).filter(Boolean));
    const fillColors = (JSON.parse(fill) as unknown[]).filter((x) => typeof x === 'string' && x.startsWith('#'));
    expect(swatches.length).toBe(fillColors.length);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-map-main.png') });
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('toggling each layer changes what is drawn', async () => {
    const { page, problems } = await open('/?c=18.06,59.33,12.5&ly=ch');
    const cases: [string, string[]][] = [
      ['choropleth', ['ch-fill', 'ch-pattern']], ['hexbins', ['ov-hexbins-fill']], ['hotspots', ['ov-hotspots-fill', 'ov-hotspots-line']],
      ['places', ['ov-places-fill', 'ov-places-line']], ['transit', ['base-metro', 'base-stops']],
    ];
    for (const [layer, ids] of cases) {
      const box = page.locator(`[data-layer="${layer}"]`);
      expect(await box.isDisabled(), `${layer} is available`).toBe(false);
      const before = await rendered(page, ids);
      await box.click();
      await settled(page);
      const after = await rendered(page, ids);
      expect(after, `${layer}: ${before} → ${after}`).not.toBe(before);
      expect(query(page).get('ly')?.split(',').includes({ choropleth: 'ch', hexbins: 'hx', hotspots: 'hs', places: 'pl', transit: 'tr' }[layer]!)).toBe(!(before > 0));
    }
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('clicking a district opens its panel with the API\'s numbers; the period drives URL and numbers; reload restores the view', async () => {
    const { page, problems } = await open('/?c=17.94,59.41,12.3&ly=ch,tr');
    await clickArea(page, 'Husby');
    await page.waitForSelector('#panel:not([hidden]) [data-source="crimes"]', { timeout: 60_000 });
    const areaId = Number(await page.getAttribute('#panel', 'data-area-id'));
    expect(query(page).get('sel')).toBe(`a${areaId}`);
    expect(await page.textContent('#panel-title')).toBe('Husby');
    const expected = async (from: string, to: string) => {
      const prof = await fetch(`${base}/api/areas/${areaId}/profile?from=${from}&to=${to}`);
      if (prof.ok) return JSON.stringify(await prof.json());
      const st = await (await fetch(`${base}/api/stats?areaSet=stadsdelar&source=crimes&from=${from}&to=${to}`)).json() as { rows: { areaId: number; count: number | null; suppressed: boolean }[] };
      const r = st.rows.find((x) => x.areaId === areaId)!;
      return r.suppressed ? 'suppressed' : String(r.count);
    };
    const shown = async () => page.getAttribute('#panel [data-source="crimes"] [data-field="count"]', 'data-value');
    const q1 = query(page);
    const exp1 = await expected(q1.get('from')!, q1.get('to')!);
    const v1 = await shown();
    expect(exp1 === v1 || exp1.includes(`"count":${v1}`)).toBe(true);

    // a shorter period: the URL and the panel follow
    await page.selectOption('#f-preset', '90d');
    await settled(page);
    await page.waitForFunction((old) => new URL(location.href).searchParams.get('from') !== old, q1.get('from'));
    await page.waitForSelector('#panel:not([hidden]) [data-source="crimes"] [data-field="count"]');
    const q2 = query(page);
    expect(q2.get('p')).toBe('90d');
    const exp2 = await expected(q2.get('from')!, q2.get('to')!);
    const v2 = await shown();
    expect(exp2 === v2 || exp2.includes(`"count":${v2}`)).toBe(true);
    expect(v2).not.toBe(v1);

    // reload: the same URL gives the same view
    const urlBefore = page.url();
    await page.reload({ waitUntil: 'load' });
    await ready(page);
    await page.waitForSelector('#panel:not([hidden]) [data-source="crimes"] [data-field="count"]', { timeout: 60_000 });
    expect(page.url()).toBe(urlBefore);
    expect(await shown()).toBe(v2);
    expect(await page.inputValue('#f-preset')).toBe('90d');
    expect(await page.isChecked('[data-layer="transit"]')).toBe(true);
    expect(await page.isChecked('[data-layer="hexbins"]')).toBe(false);
    const zoom = await page.evaluate(() => (window as unknown as { __tk: { map: { getZoom: () => number } } }).__tk.map.getZoom());
    expect(zoom).toBeCloseTo(12.3, 1);
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('shows periods with their last day inclusive and compares 2025 with 2024; the comparison rule can be chosen', async () => {
    const { page, problems } = await open('/?p=custom&from=2025-01-01&to=2026-01-01&cmp=1&m=change');
    await settled(page);
    expect(await page.textContent('#period-label')).toBe('1 jan – 31 dec 2025');
    expect(await page.inputValue('#f-to')).toBe('2025-12-31'); // the input says "till och med"; the URL keeps to exclusive
    expect(query(page).get('to')).toBe('2026-01-01');
    await page.waitForFunction(() => document.getElementById('compare-right')?.textContent?.includes('2024'));
    expect(await page.textContent('#compare-right')).toContain('1 jan – 31 dec 2024');
    expect(await page.textContent('#legend')).toContain('2025 jämfört med 2024');
    // the other rule by name goes to the API
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.selectOption('#f-compare-rule', 'preceding-equal-length');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('cr') === 'preceding-equal-length');
    await settled(page);
    expect(requests.some((u) => /\/api\/stats\?/.test(u) && new URL(u).searchParams.get('compare') === 'preceding-equal-length')).toBe(true);
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.getElementById('period-label')?.textContent === '1 Jan – 31 Dec 2025');
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('filters by a category group from /api/categories: the codes go into the URL and the stats and tile requests', async () => {
    const { page, problems } = await open('/?ly=ch,hx');
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.waitForSelector('#categories-toggle');
    await page.click('#categories-toggle'); // the categories are a folded group (issue 17: they no longer stand before the rest)
    await page.waitForSelector('#f-categories [data-cat-group]');
    const group = (await page.getAttribute('#f-categories [data-cat-group]', 'data-cat-group'))!;
    const codes = ((await (await fetch(`${base}/api/categories?source=crimes`)).json()) as { code: string; group: string | null }[])
      .filter((c) => c.group === group).map((c) => c.code).sort();
    expect(codes.length).toBeGreaterThan(0);
    await page.check(`#f-categories [data-cat-group="${group}"]`);
    await page.waitForFunction(() => new URL(location.href).searchParams.has('cat'));
    await settled(page);
    expect(query(page).get('cat')!.split(',').sort()).toEqual(codes);
    const withCats = (re: RegExp) => requests.filter((u) => re.test(u)).map((u) => new URL(u).searchParams.get('category')?.split(',').sort().join(','));
    expect(withCats(/\/api\/stats\?/)).toContain(codes.join(','));
    expect(withCats(/\/tiles\/hexbins\//)).toContain(codes.join(','));
    // police events are a source of their own in the selector
    expect(await page.textContent('#f-source option[value="police-events"]')).toBe('Polisens händelser');
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('switches between Swedish and English', async () => {
    const { page, problems } = await open('/');
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    expect(await page.textContent('#h-filters')).toBe('Filter');
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.textContent('#h-layers')).toBe('Layers');
    expect(await page.textContent('#lang-toggle')).toBe('Svenska');
    expect(query(page).get('lang')).toBe('en');
    await page.reload({ waitUntil: 'load' });
    await ready(page);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.documentElement.lang === 'sv');
    expect(await page.textContent('#h-layers')).toBe('Lager');
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('staff draw a place, add a goal and a measure, and see the evaluation chart', async () => {
    const { page, problems } = await open('/?c=18.0735,59.3145,15.5&ly=ch,pl');
    await page.click('#btn-login');
    await page.fill('input[name="apiKey"]', adminKey);
    await page.click('#login-form button[type="submit"]');
    await page.waitForSelector('#btn-draw:not([hidden])');
    await page.click('#btn-draw');
    await page.waitForSelector('#draw-hint:not([hidden])');
    const r = (await page.locator('#map canvas').first().boundingBox())!;
    const cx = r.x + r.width * 0.35, cy = r.y + r.height / 2;
    // click the corners, then the first corner again to close the ring (Terra Draw's polygon mode)
    for (const [dx, dy] of [[-60, -40], [60, -40], [60, 40], [-60, 40], [-60, -40]]) {
      await page.mouse.move(cx + dx - 5, cy + dy - 5);
      await page.mouse.move(cx + dx, cy + dy, { steps: 3 });
      await page.mouse.down(); await page.mouse.up();
      await page.waitForTimeout(300);
    }
    if (!(await page.isVisible('#place-form'))) console.log('draw snapshot', JSON.stringify(await page.evaluate(() => (window as unknown as { __tk: { draw?: { getSnapshot: () => unknown } } }).__tk.draw?.getSnapshot())).slice(0, 400));
    await page.waitForSelector('#place-form', { timeout: 30_000 });
    await page.fill('#place-form input[name="name"]', 'Testtorget');
    await page.fill('#place-form textarea[name="partners"]', 'Stadsdelsförvaltningen: sammankallande\nPolisen: lokalpolis');
    await page.click('#place-form button[type="submit"]');
    await page.waitForSelector('#panel [data-verdict], #panel #evaluation .error, #panel #evaluation .muted', { timeout: 120_000 });
    expect(await page.textContent('#panel-title')).toBe('Testtorget');
    expect(query(page).get('sel')).toMatch(/^p\d+$/);
    await page.click('text=' + 'Lägg till mål');
    await page.fill('#goal-form input[name="description"]', 'Färre anmälda brott');
    await page.click('#goal-form button[type="submit"]');
    await page.waitForSelector('#panel .goals li', { timeout: 60_000 });
    await page.click('text=' + 'Lägg till åtgärd');
    await page.selectOption('#measure-form select[name="type"]', 'lighting');
    await page.fill('#measure-form input[name="description"]', 'Ny belysning i gången');
    await page.click('#measure-form button[type="submit"]');
    await page.waitForSelector('#panel .measure-list li', { timeout: 60_000 });
    await page.waitForSelector('#panel #eval-chart svg', { timeout: 120_000 });
    expect(await page.locator('#panel .goals li').count()).toBe(1);
    expect(await page.textContent('#panel .measure-list')).toContain('Ny belysning');
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-map-place.png') });
    const placeId = Number(query(page).get('sel')!.slice(1));
    const detail = await (await fetch(`${base}/api/places/${placeId}`)).json() as { goals: unknown[]; measures: unknown[]; partners: unknown[] };
    expect([detail.goals.length, detail.measures.length, detail.partners.length]).toEqual([1, 1, 2]);
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('works at phone width and serves the report view with only the map', async () => {
    const phone = await open('/', { width: 390, height: 800 });
    const box = await phone.page.locator('#map canvas').first().boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(380);
    await phone.page.click('#menu-toggle');
    await phone.page.waitForSelector('body.sidebar-open');
    expect(phone.problems).toEqual({ errors: [], failed: [], external: [] });
    await phone.page.close();
    const husby = ((await (await fetch(`${base}/api/area-sets/stadsdelar/areas`)).json()) as { id: number; name: string }[]).find((a) => a.name === 'Husby')!;
    const rep = await open(`/?view=report&area=${husby.id}&from=2025-01-01&to=2026-01-01`, { width: 1000, height: 700 });
    await rep.page.waitForSelector('body[data-report-ready="1"]', { timeout: 120_000 });
    expect(await rep.page.isVisible('.sidebar')).toBe(false);
    expect(await rep.page.isVisible('#map canvas')).toBe(true);
    await rep.page.screenshot({ path: path.join(ARTIFACTS, 'web-map-report.png') });
    expect(rep.problems).toEqual({ errors: [], failed: [], external: [] });
    await rep.page.close();
  });
});
