// Issue 17: the map for everyone. axe-core (WCAG 2.1 A and AA) on every view at desktop and phone widths, the
// keyboard-only journeys, the table beside the map (the map's text alternative) and the views that used to mislead.
// Only the keyboard drives the journeys: no mouse events.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, axeViolations, focused, openPage, settled, startWebApp, tabTo, type AxeViolation, type WebApp } from '../helpers/web-app.js';

const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

describe('the map for everyone: WCAG 2.1 AA, keyboard, phone, table (embedded)', { timeout: 600_000 }, () => {
  let w: WebApp;
  let ids: Record<string, number> = {};
  let placeId = 0;

  beforeAll(async () => {
    w = await startWebApp();
    const areas = await (await fetch(`${w.base}/api/area-sets/stadsdelar/areas`)).json() as { id: number; name: string }[];
    ids = Object.fromEntries(areas.map((a) => [a.name, a.id]));
    const places = await (await fetch(`${w.base}/api/places`)).json() as { features?: { id: number }[]; places?: { id: number }[] } | { id: number }[];
    const list = Array.isArray(places) ? places : places.features ?? places.places ?? [];
    placeId = Number(list[0]?.id ?? (list[0] as unknown as { properties: { id: number } })?.properties?.id);
  }, 600_000);
  afterAll(async () => { await w?.close(); });

  const url = (page: Page) => new URL(page.url()).searchParams;
  const visible = (page: Page, sel: string) => page.evaluate((s) => {
    const e = document.querySelector(s) as HTMLElement | null;
    if (!e) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right <= innerWidth + 1 && r.bottom <= innerHeight + 1 && r.left >= -1 && getComputedStyle(e).visibility !== 'hidden';
  }, sel);

  it('axe-core finds no WCAG 2.1 A/AA violation on the main view, area panel, place panel, methodology, table and lägesbild, at desktop and phone width', async () => {
    const found: { view: string; width: number; violations: AxeViolation[] }[] = [];
    for (const vp of [DESKTOP, PHONE]) {
      const check = async (view: string, page: Page) => { found.push({ view, width: vp.width, violations: await axeViolations(page) }); await page.screenshot({ path: path.join(ARTIFACTS, `a11y-${view}-${vp.width}.png`) }); };
      let { page } = await openPage(w, '/', vp);
      await settled(page);
      if (vp === DESKTOP) {
        // the check can fail: a button named otherwise than it reads, and an image without a text alternative
        await page.evaluate(() => { const d = document.createElement('div'); d.id = 'axe-control'; d.innerHTML = '<button aria-label="Byt språk">English</button><img src="data:,">'; document.body.append(d); });
        expect((await axeViolations(page)).map((v) => v.id)).toEqual(expect.arrayContaining(['label-content-name-mismatch', 'image-alt']));
        await page.evaluate(() => document.getElementById('axe-control')!.remove());
      }
      await check('main', page);
      await page.evaluate(() => (document.getElementById('btn-method') as HTMLButtonElement).click());
      await page.waitForSelector('#dialog[open]');
      await check('methodology', page);
      await page.close();

      // the area panel and the table beside the map, open together (one page load for both)
      ({ page } = await openPage(w, `/?sel=a${ids.Rinkeby}&tbl=1`, vp));
      await page.waitForSelector('#panel:not([hidden]) #panel-title');
      await page.waitForSelector('#lb-list:not([aria-busy]), #panel [data-source]', { timeout: 60_000 });
      await page.waitForSelector('#table-view table tbody tr');
      await check('area-panel-and-table', page);
      await page.close();

      ({ page } = await openPage(w, `/?sel=p${placeId}`, vp));
      await page.waitForSelector('#panel:not([hidden]) #panel-title', { timeout: 60_000 });
      await check('place-panel', page);
      await page.close();


      page = await w.browser.newPage({ viewport: vp });
      await page.goto(`${w.base}/api/reports/lagesbild?areaId=${ids.Husby}&from=2025-01-01&to=2026-01-01&f=html`, { waitUntil: 'load', timeout: 240_000 }); // the report computes a lot
      await check('lagesbild', page);
      await page.close();
    }
    expect(found.filter((f) => f.violations.length)).toEqual([]);
  });

  it('keyboard only: layers before categories, skjutningar, 2024, the slider three months and back, Rinkeby from search, its weekday × hour, Esc back to search', async () => {
    const { page, problems } = await openPage(w, '/', DESKTOP);
    // the skip links come first and lead to the map, the filters and the table
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Hoppa till kartan');
    expect(await page.$$eval('.skip-link', (as) => as.map((a) => a.getAttribute('href')))).toEqual(['#map', '#sidebar-body', '#table-view']);

    // layers come before the categories, and the categories sit in a collapsed group out of the tab order
    const firstLayer = await tabTo(page, (a) => a.data.layer !== undefined, 40);
    await page.keyboard.press('Shift+Tab');
    const toCategories = await tabTo(page, (a) => a.id === 'categories-toggle', 40);
    expect(toCategories).toBeGreaterThan(1);
    expect(firstLayer).toBeLessThan(40);
    expect(await page.$$eval('[data-cat]', (cs) => cs.filter((c) => (c as HTMLElement).checkVisibility()).length)).toBe(0);
    const catWidth = await page.evaluate(() => { document.querySelector<HTMLDetailsElement>('#f-categories')!.open = true; const r = document.querySelector('[data-cat]')!.getBoundingClientRect().width; document.querySelector<HTMLDetailsElement>('#f-categories')!.open = false; return r; });
    expect(catWidth).toBeLessThan(30); // a checkbox, not a stretched field

    // source: skjutningar, by typing into the select
    await tabTo(page, (a) => a.id === 'f-source', 40, true);
    await page.keyboard.type('Skj');
    await settled(page);
    expect(url(page).get('src')).toBe('shootings');
    expect((await focused(page)).id).toBe('f-source');

    // period: calendar year 2024
    await tabTo(page, (a) => a.id === 'f-preset', 20);
    await page.keyboard.type('Kalender');
    await settled(page);
    await tabTo(page, (a) => a.id === 'f-year', 5);
    await page.keyboard.type('2024');
    await settled(page);
    expect([url(page).get('from'), url(page).get('to')]).toEqual(['2024-01-01', '2025-01-01']);

    // the slider keeps the focus while stepping three months back and forward again
    await tabTo(page, (a) => a.id === 'frame', 80);
    const labels: string[] = [];
    for (const key of ['ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowRight', 'ArrowRight', 'ArrowRight']) {
      await page.keyboard.press(key);
      await settled(page);
      expect((await focused(page)).id).toBe('frame');
      labels.push(await page.getAttribute('#frame', 'aria-valuetext') ?? '');
    }
    expect(labels).toEqual(['dec 2024', 'nov 2024', 'okt 2024', 'nov 2024', 'dec 2024', 'Hela perioden']);
    expect(url(page).get('fr')).toBeNull();
    // playing keeps the focus on the play button
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).id).toBe('play');
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('play');
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('play');

    // search: Rinkeby; choosing it moves the focus to the panel's heading
    await tabTo(page, (a) => a.id === 'search', 120, true);
    await page.keyboard.type('Rinkeby');
    await page.waitForSelector('#search-results [role="option"][aria-selected="true"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'panel-title' && document.activeElement.textContent === 'Rinkeby', null, { timeout: 60_000 });
    expect(url(page).get('sel')).toBe(`a${ids.Rinkeby}`);
    // the weekday × hour as a table a screen reader can read: 7 weekdays × 24 hours, hidden cells said in words
    await tabTo(page, (a) => a.id === 'weekhour-table-toggle', 40);
    await page.keyboard.press('Enter');
    const table = await page.evaluate(() => {
      const t = document.querySelector('#weekhour-table table')!;
      return { caption: t.querySelector('caption')?.textContent ?? '', rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')) };
    });
    expect(table.caption).toMatch(/Veckodag × timme/);
    expect(table.rows.map((r) => r[0])).toEqual(['Mån', 'Tis', 'Ons', 'Tor', 'Fre', 'Lör', 'Sön']);
    expect(table.rows.every((r) => r.length === 25)).toBe(true);
    expect(table.rows.flat().some((c) => c === '< 5')).toBe(true);
    // Esc closes the panel and gives the focus back to the search box
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => (document.getElementById('panel') as HTMLElement).hidden);
    expect((await focused(page)).id).toBe('search');
    expect(url(page).get('sel')).toBeNull();
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('at 390 × 844 every tool is reachable by keyboard: Metod, CSV, PNG, table, language and sign-in; the legend folds away', async () => {
    const { page, problems } = await openPage(w, '/', PHONE);
    expect(await visible(page, '#btn-method')).toBe(false);
    await tabTo(page, (a) => a.id === 'tools-toggle', 20);
    await page.keyboard.press('Enter');
    for (const id of ['btn-method', 'btn-table', 'btn-csv', 'btn-png', 'btn-login', 'lang-toggle']) {
      await tabTo(page, (a) => a.id === id, 12);
      expect(await visible(page, `#${id}`), id).toBe(true);
    }
    await tabTo(page, (a) => a.id === 'btn-method', 12, true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#dialog[open]');
    await page.keyboard.press('Escape');
    // the legend starts folded on a phone and opens by keyboard
    expect(await page.getAttribute('#legend-toggle', 'aria-expanded')).toBe('false');
    const folded = (await page.locator('#legend-box').boundingBox())!.height;
    await tabTo(page, (a) => a.id === 'legend-toggle', 80);
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#legend-toggle', 'aria-expanded')).toBe('true');
    expect((await page.locator('#legend-box').boundingBox())!.height).toBeGreaterThan(folded + 40);
    expect(folded).toBeLessThan(844 * 0.1);
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('the table beside the map holds the choropleth\'s values (equal to /api/stats), sorts by keyboard and selects the area', async () => {
    const { page, problems } = await openPage(w, '/?tbl=1&m=rate&p=year&from=2025-01-01&to=2026-01-01', DESKTOP);
    await page.waitForSelector('#table-view table tbody tr');
    const stats = await (await fetch(`${w.base}/api/stats?areaSet=stadsdelar&source=crimes&from=2025-01-01&to=2026-01-01`)).json() as { rows: { areaId: number; name: string; count: number | null; ratePer1000: number | null; suppressed: boolean; changeSignificant: boolean; rateRatio: number | null }[] };
    const rows = await page.$$eval('#table-view tbody tr', (trs) => trs.map((tr) => ({
      id: Number((tr as HTMLElement).dataset.areaId), count: tr.querySelector('[data-field="count"]')?.getAttribute('data-value') ?? '',
      rate: tr.querySelector('[data-field="ratePer1000"]')?.getAttribute('data-value') ?? '', hatched: !!tr.querySelector('.suppressed'), sig: tr.querySelector('[data-field="change"]')?.textContent ?? '' })));
    expect(rows.length).toBe(stats.rows.length);
    for (const r of stats.rows) {
      const shown = rows.find((x) => x.id === r.areaId)!;
      expect(shown, r.name).toBeDefined();
      if (r.suppressed) { expect(shown.count).toBe('suppressed'); expect(shown.hatched).toBe(true); }
      else { expect(Number(shown.count)).toBe(r.count); expect(Number(shown.rate)).toBeCloseTo(r.ratePer1000!, 6); }
      if (r.changeSignificant) expect(shown.sig).toMatch(r.rateRatio! > 1 ? /ökning/ : /minskning/);
    }
    // sort by rate, descending, from the keyboard; the header says how it is sorted
    await page.focus('#table-view th[data-sort="ratePer1000"] button');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#table-view th[data-sort="ratePer1000"]', 'aria-sort')).toBe('descending');
    const rates = await page.$$eval('#table-view tbody tr [data-field="ratePer1000"]', (cs) => cs.map((c) => c.getAttribute('data-value')).filter((v) => v && v !== 'suppressed').map(Number));
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    // choosing a row selects the area and moves the focus to its panel
    await page.focus(`#table-view tr[data-area-id="${ids.Husby}"] button`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'panel-title' && document.activeElement.textContent === 'Husby', null, { timeout: 60_000 });
    expect(url(page).get('sel')).toBe(`a${ids.Husby}`);
    expect(url(page).get('tbl')).toBe('1');
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('views that used to mislead: survey groups, legend and means from the data; empty layers; hatched hidden cells; rise and fall by shape; precision; provenance', async () => {
    // survey mode: the period, slider and categories step aside; the groups are those in the data; the mean is a mean
    const survey = await (await fetch(`${w.base}/api/survey?areaSet=stadsdelar&indicator=trygghetsindex`)).json() as { meta: { wave: { name: string }; minRespondents: number }; rows: { group?: string }[] };
    let { page, problems } = await openPage(w, '/?m=survey&si=trygghetsindex', DESKTOP);
    await settled(page);
    expect(await page.isVisible('#f-preset')).toBe(false);
    expect(await page.isVisible('#frame')).toBe(false);
    expect(await page.isVisible('#f-categories')).toBe(false);
    const legend = await page.textContent('#legend') ?? '';
    expect(legend).toContain('Trygghet i bostadsområdet');
    expect(legend).toContain(survey.meta.wave.name);
    expect(legend).toContain('< 30 svarande');
    expect(legend).not.toMatch(/%/);
    expect(legend).toMatch(/\(1–5\)/);
    expect(await page.evaluate(() => document.getElementById('f-wave')?.closest('label')?.querySelector('span')?.textContent)).toBe('Mätning');
    const groups = await page.$$eval('#f-group option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(groups).not.toContain('16-19');
    for (const g of groups.filter((x) => x !== 'all')) {
      const r = await fetch(`${w.base}/api/survey?areaSet=stadsdelar&indicator=trygghetsindex&group=${encodeURIComponent(g)}`);
      expect(r.status, g).toBe(200);
    }
    await page.close();

    // police events with no data in the period: no fill at all, and the legend says so
    ({ page, problems } = await openPage(w, '/?src=police-events&p=year&from=2025-01-01&to=2026-01-01', DESKTOP));
    await settled(page);
    const filled = await page.evaluate(() => (window as unknown as { __tk: { map: { queryRenderedFeatures: (o: unknown) => unknown[] } } }).__tk.map.queryRenderedFeatures({ layers: ['ch-fill'] }).length);
    expect(filled).toBe(0);
    expect(await page.textContent('#legend')).toContain('Inga data');
    expect(await page.textContent('#legend')).not.toMatch(/≥/);
    // the public cannot draw a place
    expect(await page.isVisible('#btn-draw')).toBe(false);
    // the provenance line names the source; no badge, since nothing synthetic (nothing at all) is shown
    expect(await page.textContent('#provenance')).toBe('Källa: Polisens händelser');
    await page.close();

    ({ page, problems } = await openPage(w, '/?m=change&p=year&from=2025-01-01&to=2026-01-01', DESKTOP));
    await settled(page);
    const prov2 = await page.textContent('#provenance') ?? '';
    expect(prov2).toMatch(/Anmälda brott/);
    expect(prov2).toMatch(/data t\.o\.m\. 31 dec 2025/);
    expect(prov2).toMatch(/^Syntetiska exempeldata/);
    // rise and fall: a solid and a dashed outline, not two colours of the same dash
    const dashes = await page.evaluate(() => { const m = (window as unknown as { __tk: { map: { getPaintProperty: (l: string, p: string) => unknown } } }).__tk.map; return [JSON.stringify(m.getPaintProperty('ch-sig-up', 'line-dasharray') ?? null), JSON.stringify(m.getPaintProperty('ch-sig-down', 'line-dasharray') ?? null)]; });
    expect(dashes[0]).not.toBe(dashes[1]);
    await page.close();

    // Vinsta over 2025: hidden weekday × hour cells are hatched, never drawn as 0; the city's shooting rate keeps its digits
    ({ page, problems } = await openPage(w, `/?sel=a${ids.Vinsta}&p=year&from=2025-01-01&to=2026-01-01`, DESKTOP));
    await page.waitForSelector('#panel [data-source="shootings"]', { timeout: 60_000 });
    const heat = await page.evaluate(() => ({ hatched: document.querySelectorAll('#panel svg.heat rect.suppressed-cell').length, zeros: [...document.querySelectorAll('#panel svg.heat rect title')].filter((t) => /: 0$/.test(t.textContent ?? '')).length }));
    expect(heat.hatched).toBeGreaterThan(0);
    expect(heat.zeros).toBe(0);
    const cityShootings = await page.textContent('#panel [data-source="shootings"] [data-field="cityRate"]');
    expect(cityShootings).not.toBe('0,0');
    expect(cityShootings).toMatch(/^0,0[1-9]/);
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });
});
