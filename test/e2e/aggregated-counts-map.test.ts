// Aggregated counts on the web map (issue 19), in headless Chromium on the embedded backend: after an area-counts
// import for kommuner-ab ("Kommuner i Stockholms län", selectable in the area-set menu), the choropleth paints every
// municipality with its aggregated count (the public's published value, within the stated error of the file's sum),
// the legend labels the figures as aggregated counts per month and the provenance line names the file — not the
// synthetic events of the same source, which are not added in. axe finds nothing at desktop and phone width.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, openPage, settled, startWebApp, type WebApp } from '../helpers/web-app.js';

const CODES = ['0114', '0115', '0117', '0120', '0123', '0125', '0126', '0127', '0128', '0136', '0138', '0139', '0140', '0160', '0162', '0163',
  '0180', '0181', '0182', '0183', '0184', '0186', '0187', '0188', '0191', '0192'];
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
const countOf = (code: string, month: string) => 100 + Number(code.slice(1)) + Number(month.slice(5)) * 3;

describe('aggregated counts on the web map (embedded)', { timeout: 300_000 }, () => {
  let w: WebApp;
  beforeAll(async () => {
    w = await startWebApp(500);
    const csv = ['area_code;period;category;count', ...CODES.flatMap((c) => MONTHS.map((m) => `${c};${m};stold;${countOf(c, m)}`))].join('\n');
    const r = await w.t.app.inject({ method: 'POST', url: '/api/imports/area-counts?areaSet=kommuner-ab&source=crimes&fileName=stold-kommun-2025.csv',
      payload: csv, headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${w.adminKey}` } });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(201);
  }, 600_000);
  afterAll(async () => { await w?.close(); });

  const painted = (page: Page) => page.evaluate(() => {
    // the data the choropleth source was given (every area, also those outside the viewport)
    type F = { properties: { code: string; v: number | null; cls: number } };
    const m = (window as unknown as { __tk: { map: { getSource: (s: string) => { serialize: () => { data: { features: F[] } } } } } }).__tk.map;
    const seen = new Map<string, { v: number | null; cls: number }>();
    for (const f of m.getSource('choropleth').serialize().data.features) seen.set(f.properties.code, { v: f.properties.v, cls: f.properties.cls });
    return [...seen.entries()];
  });

  it('kommuner-ab is in the area-set menu; its choropleth shows the aggregated counts, labelled as such', async () => {
    const { page, problems } = await openPage(w, '/?set=kommuner-ab&m=count&src=crimes');
    expect(await page.locator('#f-set option[value="kommuner-ab"]').textContent()).toBe('Kommuner i Stockholms län');
    expect(await page.locator('#f-set').inputValue()).toBe('kommuner-ab');
    const legend = await page.locator('#legend').innerText();
    expect(legend).toContain('Aggregerade antal per månad som de importerats, inte räknade händelser');
    const prov = await page.locator('#provenance').innerText();
    expect(prov).toMatch(/^Källa: Anmälda brott · aggregerade antal per månad ur stold-kommun-2025\.csv \(importerad \d+ \p{L}+ \d{4}\) · data t\.o\.m\. 31 dec 2025$/u);
    const byCode = new Map(await painted(page));
    expect(byCode.size).toBe(26);
    for (const code of CODES) {
      const truth = MONTHS.reduce((s, m) => s + countOf(code, m), 0);
      const v = byCode.get(code)!.v!;
      expect(Math.abs(v - truth), code).toBeLessThanOrEqual(3); // the public's published count: within maxError of the file's sum
      expect(byCode.get(code)!.cls).toBeGreaterThanOrEqual(0);
    }
    expect(problems.errors).toEqual([]);
    expect(problems.failed).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('choosing kommuner-ab in the menu (keeping the period of the events) switches the choropleth to the aggregated counts', async () => {
    const { page, problems } = await openPage(w, '/?m=count&src=crimes');
    expect(await page.locator('#legend').innerText()).not.toContain('Aggregerade');
    await page.locator('#f-set').selectOption('kommuner-ab');
    await settled(page);
    await page.waitForFunction(() => document.getElementById('legend')?.innerText.includes('Aggregerade antal per månad'), null, { timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('set')).toBe('kommuner-ab');
    expect(await page.locator('#provenance').innerText()).toContain('stold-kommun-2025.csv');
    expect(problems.failed).toEqual([]);
    await page.close();
  });

  it('at phone width the legend and provenance still say so, and axe finds nothing', async () => {
    const { page, problems } = await openPage(w, '/?set=kommuner-ab&m=count&src=crimes', { width: 390, height: 844 });
    expect(await page.locator('#provenance').innerText()).toContain('aggregerade antal per månad');
    expect(await axeViolations(page)).toEqual([]);
    expect(problems.failed).toEqual([]);
    await page.close();
  });
});
