// Issue 22, data-version tile URLs in the browser: the map asks for hexbin tiles with v=<the data version of its
// stats answer>, which the public gets as immutable; after an import (as the import tools' reload does: the map
// refreshed) a signed-in user's map asks for the new version's URLs, answered privately. Embedded backend.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIncidents } from '../../server/ingest/write-incidents.js';
import { openPage, settled, startWebApp, type WebApp } from '../helpers/web-app.js';

type TileAnswer = { v: string | null; status: number; cacheControl: string };

describe('data-version tile URLs in Chromium (embedded)', { timeout: 300_000 }, () => {
  let w: WebApp;
  beforeAll(async () => { w = await startWebApp(3000); }, 600_000);
  afterAll(async () => { await w?.close(); });

  const statsVersion = async () => (await w.t.app.inject(`/api/stats?areaSet=stadsdelar&source=crimes`)).json<{ meta: { dataVersion: number } }>().meta.dataVersion;
  function watchTiles(page: Page): TileAnswer[] {
    const seen: TileAnswer[] = [];
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (!u.pathname.startsWith('/tiles/hexbins/')) return;
      seen.push({ v: u.searchParams.get('v'), status: r.status(), cacheControl: r.headers()['cache-control'] ?? '' });
    });
    return seen;
  }

  it('the public map asks for the current version\'s tiles, kept as immutable; after an import a signed-in map switches to the new version', async () => {
    const v1 = await statsVersion();
    const page = await w.browser.newPage({ viewport: { width: 1200, height: 800 } });
    const tiles = watchTiles(page);
    await page.goto(`${w.base}/?ly=ch,hx`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { __tk?: { ready?: boolean } }).__tk?.ready === true, null, { timeout: 120_000 });
    await settled(page);
    expect(tiles.length).toBeGreaterThan(0);
    expect(new Set(tiles.map((x) => x.v))).toEqual(new Set([String(v1)]));
    const drawn = tiles.filter((x) => x.status === 200);
    expect(drawn.length).toBeGreaterThan(0);
    for (const x of drawn) expect(x.cacheControl).toBe('public, max-age=31536000, immutable');
    await page.close();

    // signed in (as an importer is), then an import and the map's reload after it
    const { page: p2 } = await openPage(w, '/?ly=ch,hx');
    const after = watchTiles(p2);
    await p2.focus('#btn-login');
    await p2.keyboard.press('Enter');
    await p2.waitForSelector('#login-form input[name="apiKey"]');
    await p2.keyboard.type(w.adminKey);
    await p2.keyboard.press('Enter');
    await p2.waitForFunction(() => !(document.getElementById('dialog') as HTMLDialogElement).open);
    await settled(p2);
    await w.t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', [{ externalId: 'tile-version-e2e', category: 'stold', precision: 'exact', occurredFrom: new Date(), x: 674_927, y: 6_579_086 }]));
    const v2 = await statsVersion();
    expect(v2).toBeGreaterThan(v1);
    after.length = 0;
    await p2.evaluate(() => (window as unknown as { __tk: { refresh: () => Promise<void> } }).__tk.refresh());
    await settled(p2);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((x) => x.v))).toEqual(new Set([String(v2)]));
    for (const x of after) expect(x.cacheControl).not.toMatch(/public|immutable/);
    await p2.close();
  });
});
