// Real clients against the running service (embedded backend): GDAL's OAPIF driver (Debian gdal-bin) lists every
// public collection and copies them across pages; headless Chromium renders the HTML landing and collection pages.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { openTestApp, type TestApp } from '../helpers/backends.js';

const run = promisify(execFile);
const hasGdal = fs.existsSync('/usr/bin/ogrinfo');

describe.skipIf(!hasGdal)('OGC API Features with GDAL and a browser (embedded)', () => {
  let t: TestApp;
  let root: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-ogc-gdal-'));

  beforeAll(async () => {
    t = await openTestApp('embedded');
    const pts = await t.db.query<{ x: number; y: number }>(
      `SELECT ST_X(p.geom) AS x, ST_Y(p.geom) AS y FROM areas a CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, 8, 3)) p
       WHERE a.area_set_id = 'stadsdelar' AND a.code IN ('SÖDERMALM', 'RINKEBY', 'FARSTA', 'HUSBY')`);
    const rows: IncidentInput[] = pts.rows.map((p, i) => ({ externalId: `g-${i}`, category: 'theft', precision: 'exact', x: p.x, y: p.y, occurredFrom: new Date(Date.UTC(2024, i % 12, 5, 12)) }));
    await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'synthetic', rows));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = t.app.server.address() as { port: number };
    root = `OAPIF:http://127.0.0.1:${addr.port}/ogc`;
  });
  afterAll(async () => { await t?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  async function copy(layer: string, pageSize: number) {
    const out = path.join(dir, `${layer}.geojson`);
    fs.rmSync(out, { force: true });
    const r = await run('ogr2ogr', ['--config', 'CPL_DEBUG', 'ON', '-oo', `PAGE_SIZE=${pageSize}`, '-f', 'GeoJSON', out, root, layer], { timeout: 120_000 });
    const itemRequests = (r.stderr.match(/HTTP: Fetch\([^)]*\/items\?/g) ?? []).length;
    return { fc: JSON.parse(fs.readFileSync(out, 'utf8')) as { features: { properties: Record<string, unknown> }[] }, itemRequests };
  }

  it('ogrinfo lists every public collection, and no restricted one', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-q', root], { timeout: 60_000 });
    const layers = [...stdout.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1]);
    const api = (await t.app.inject('/ogc/collections')).json() as { collections: { id: string }[] };
    expect(layers).toEqual(api.collections.map((c) => c.id));
    expect(layers).toContain('stadsdelar');
    expect(layers).toContain('stats-stadsdelar-crimes');
    expect(layers).not.toContain('incidents');
  });

  it('ogr2ogr copies the 117 stadsdelar across pages, and a stats collection with the /api/stats counts', async () => {
    const d = await copy('stadsdelar', 50);
    expect(d.fc.features).toHaveLength(117);
    expect(d.itemRequests).toBeGreaterThanOrEqual(3); // 50 + 50 + 17
    expect(new Set(d.fc.features.map((f) => f.properties.code)).size).toBe(117);

    const s = await copy('stats-stadsdelar-crimes', 40);
    expect(s.fc.features).toHaveLength(117);
    expect(s.itemRequests).toBeGreaterThanOrEqual(3);
    const api = (await t.app.inject('/api/stats?areaSet=stadsdelar&source=crimes')).json() as { rows: { code: string; count: number | null }[] };
    const want = Object.fromEntries(api.rows.map((r) => [r.code, r.count]));
    const got = Object.fromEntries(s.fc.features.map((f) => [f.properties.code, f.properties.count === undefined ? null : f.properties.count]));
    expect(got).toEqual(want);
    expect(Object.values(got).some((n) => n !== null && Number(n) > 0)).toBe(true);

    const h = await copy('basomraden', 200);
    expect(h.fc.features).toHaveLength(419);
  });

  it('the HTML landing and collections pages render in Chromium with a title and working links', async () => {
    const base = root.replace(/^OAPIF:/, '');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      // the browser's own /favicon.ico probe is the only request allowed to miss
      page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`); });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}?f=html`);
      expect(await page.title()).toContain('OGC API');
      expect(await page.locator('h1').textContent()).toContain('Trygghetskarta');
      await page.goto(`${base}/collections`); // Accept: text/html from the browser → HTML
      expect(await page.title()).toContain('Collections');
      const links = await page.locator('table a').count();
      expect(links).toBeGreaterThan(20);
      await page.locator('table a', { hasText: /^stadsdelar$/ }).click();
      await page.waitForLoadState();
      expect(await page.locator('h1').textContent()).toContain('Stadsdelar');
      await page.locator('a', { hasText: 'Browse the features' }).click();
      await page.waitForLoadState();
      expect(await page.locator('body').textContent()).toContain('of 117');
      await page.locator('a', { hasText: 'Next page' }).first().click();
      await page.waitForLoadState();
      expect(await page.locator('body').textContent()).toContain('Features 11–20 of 117');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
