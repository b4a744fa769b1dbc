// Done when (issue 22): "With REGION=kommun:1480 (Göteborg) on a fresh embedded start the app shows Göteborg". The real
// server (`node --import tsx server/main.ts`, as `npm start`) on a new data directory, in Chromium: the map opens on
// Göteborg with Göteborg's area sets (Stockholm's districts do not exist there), /api/region says Göteborg, the table
// beside the map lists Göteborg, the page names it, axe finds nothing; a Stockholm link falls back to what exists. Then
// the import command on the same data directory refuses a Stockholm point, naming Göteborg, and takes a Göteborg one.
// The first start loads the synthetic sample as it does everywhere (SAMPLE_CRIMES small here): all of it in Göteborg.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.js';
import { ensureWebBuilt } from '../../server/web-build.js';
import { ARTIFACTS, axeViolations, CHROMIUM_ARGS, openPage } from '../helpers/web-app.js';

const run = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}

describe('REGION=kommun:1480: a fresh embedded start shows Göteborg', { timeout: 600_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-goteborg-'));
  const SAMPLE_CRIMES = 3000;
  const env: NodeJS.ProcessEnv = { ...process.env, REGION: 'kommun:1480', DATA_DIR: dataDir, SAMPLE_CRIMES: String(SAMPLE_CRIMES), LOG_LEVEL: 'info' };
  delete env.SAMPLE_DATA; // the default of a zero-setup start: on
  delete env.DATABASE_URL;
  delete env.DATABASE_READ_URLS;
  let server: ChildProcess | null = null;
  let output = '';
  let base = '';
  let browser: Browser;
  let goteborg: Feature<Polygon | MultiPolygon>;

  async function stopServer(): Promise<void> {
    const s = server;
    server = null;
    if (!s || s.exitCode !== null) return;
    await new Promise<void>((resolve) => { s.once('exit', () => resolve()); s.kill('SIGTERM'); });
  }

  beforeAll(async () => {
    await ensureWebBuilt(); // built here, so the server's own check finds it current
    const port = await freePort();
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: PROJECT_ROOT, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (b: Buffer) => { output += b.toString(); });
    server.stderr!.on('data', (b: Buffer) => { output += b.toString(); });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => { if (/ready in/.test(output)) { clearInterval(timer); resolve(); } }, 200);
      server!.once('exit', (code) => { clearInterval(timer); reject(new Error(`the server exited (${code}):\n${output}`)); });
    });
    base = `http://127.0.0.1:${port}`;
    const areas = await (await fetch(`${base}/api/area-sets/kommuner-1480/areas?f=geojson`)).json() as FeatureCollection<Polygon | MultiPolygon>;
    goteborg = areas.features[0];
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stopServer();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const open = (url: string) => openPage({ browser, base }, url);

  const center = (page: Page) => page.evaluate(() => {
    const m = (window as unknown as { __tk: { map: { getCenter: () => { lng: number; lat: number } } } }).__tk.map;
    const c = m.getCenter();
    return [c.lng, c.lat] as [number, number];
  });

  it('GET /api/region says Göteborg, with its own area sets and box', async () => {
    const r = await (await fetch(`${base}/api/region`)).json() as { spec: string; label: string; defaultAreaSet: string; countySetId: string; municipalities: { name: string }[] };
    expect(r).toMatchObject({ spec: 'kommun:1480', label: 'Göteborg', defaultAreaSet: 'kommuner-1480', countySetId: 'lan-o' });
    expect(r.municipalities.map((m) => m.name)).toEqual(['Göteborg']);
    expect(goteborg.properties?.name).toBe('Göteborg');
  });

  it('the first start\'s synthetic sample lies in Göteborg: the municipality counts all of it', async () => {
    expect(output).toMatch(/loaded SYNTHETIC sample data[^\n]*crimes 3000/);
    const r = await (await fetch(`${base}/api/stats?areaSet=kommuner-1480&source=crimes&from=2023-01-01&to=2026-01-01`)).json() as { rows: { code: string; count: number }[] };
    expect(r.rows.map((x) => x.code)).toEqual(['1480']);
    // public counts carry a little noise (DISCLOSURE_NOISE): every crime is counted, none fell outside
    expect(Math.abs(r.rows[0].count - SAMPLE_CRIMES)).toBeLessThanOrEqual(5);
  });

  it('a REGION naming no municipality stops the start with its reason in one line', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: PROJECT_ROOT, env: { ...env, REGION: 'kommun:9999', DATA_DIR: path.join(dataDir, 'never') } })
      .then(() => null, (e: { code: number; stderr: string }) => e);
    expect(r?.code).toBe(1);
    expect(r?.stderr.trim()).toBe('[trygghetskarta] REGION kommun:9999: no municipality has kommunkod 9999 (e.g. 0180 Stockholm, 1480 Göteborg, 1280 Malmö)');
  });

  it('any other setting it cannot run with stops the start the same way, naming the variable', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: PROJECT_ROOT, env: { ...env, PORT: 'abc', DATA_DIR: path.join(dataDir, 'never') } })
      .then(() => null, (e: { code: number; stderr: string }) => e);
    expect(r?.code).toBe(1);
    expect(r?.stderr.trim()).toBe('[trygghetskarta] Invalid configuration: PORT: Invalid input: expected number, received NaN');
  });

  it('the map opens on Göteborg, offers Göteborg\'s area sets and not Stockholm\'s, and names Göteborg', async () => {
    const { page, problems } = await open('/');
    expect(turf.booleanPointInPolygon(turf.point(await center(page)), goteborg)).toBe(true);
    const q = new URL(page.url()).searchParams;
    expect(q.get('set')).toBe('kommuner-1480');
    const [lng, lat] = (q.get('c') ?? '').split(',').map(Number);
    expect(turf.booleanPointInPolygon(turf.point([lng, lat]), goteborg)).toBe(true);
    const sets = await page.$$eval('#f-set option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(sets).toContain('kommuner-1480');
    expect(sets).toContain('lan-o');
    expect(sets).not.toContain('stadsdelar');
    expect(await page.textContent('#app-subtitle')).toContain('Göteborg');
    // Göteborg is drawn: the choropleth's area and the basemap's municipality
    const drawn = await page.evaluate(() => {
      const m = (window as unknown as { __tk: { map: { getLayer: (id: string) => unknown; queryRenderedFeatures: (o: unknown) => { properties: { name?: string } }[] } } }).__tk.map;
      return m.queryRenderedFeatures({ layers: ['ch-fill', 'ch-pattern'].filter((l) => m.getLayer(l)) }).map((f) => f.properties.name);
    });
    expect(drawn).toContain('Göteborg');
    await page.screenshot({ path: path.join(ARTIFACTS, 'region-goteborg.png') });
    // the map cannot be dragged to Stockholm
    await page.evaluate(() => (window as unknown as { __tk: { map: { jumpTo: (o: unknown) => void } } }).__tk.map.jumpTo({ center: [18.07, 59.33], zoom: 11 }));
    expect((await center(page))[0]).toBeLessThan(16);
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('the table beside the map lists Göteborg; search finds it; axe finds nothing', async () => {
    const { page, problems } = await open('/');
    await page.click('#btn-table');
    await page.waitForSelector('#table-view table');
    const names = await page.$$eval('#table-view tbody th[scope="row"]', (ths) => ths.map((th) => th.textContent?.trim() ?? ''));
    expect(names).toEqual(['Göteborg']);
    // no Stockholm districts to search for here: the field says what it finds
    expect(await page.getAttribute('#search', 'placeholder')).toBe('Sök kommun, område, hållplats, plats…');
    await page.fill('#search', 'Götebo');
    await page.waitForSelector('#search-results [role="option"][data-i]');
    expect(await page.textContent('#search-results [role="option"][data-i="0"]')).toContain('Göteborg');
    await page.keyboard.press('Escape');
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('a Stockholm link (its district set, its camera) falls back to Göteborg\'s default set, and the URL says so', async () => {
    const { page, problems } = await open('/?set=stadsdelar&m=rate');
    expect(new URL(page.url()).searchParams.get('set')).toBe('kommuner-1480');
    expect(await page.$eval('#f-set', (s) => (s as HTMLSelectElement).value)).toBe('kommuner-1480');
    expect(turf.booleanPointInPolygon(turf.point(await center(page)), goteborg)).toBe(true);
    expect(problems).toEqual({ errors: [], failed: [], external: [] });
    await page.close();
  });

  it('a request without areaSet gets the region\'s default set: hotspots, tiles, OGC', async () => {
    const h = await (await fetch(`${base}/api/hotspots?f=json`)).json() as { meta: { areaSet: string } };
    expect(h.meta.areaSet).toBe('kommuner-1480');
    const ogc = await (await fetch(`${base}/ogc/collections/hotspots/items?f=json`)).json() as { studyArea?: string };
    expect(ogc.studyArea).toBe('kommuner-1480');
    // the areas layer over Göteborg: drawn from the region's set (a 204 would mean nothing there)
    const z = 10, x = Math.floor(((11.97 + 180) / 360) * 2 ** z);
    const y = Math.floor(((1 - Math.log(Math.tan((57.7 * Math.PI) / 180) + 1 / Math.cos((57.7 * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
    const tile = await fetch(`${base}/tiles/areas/${z}/${x}/${y}.mvt`);
    expect(tile.status).toBe(200);
  });

  it('the import command refuses a Stockholm point, naming Göteborg, and takes a Göteborg one', async () => {
    await stopServer(); // one process at a time may open an embedded database
    const H = 'id,occurred_from,occurred_to,category,x,y\n';
    const sthlm = path.join(dataDir, 'sthlm.csv');
    fs.writeFileSync(sthlm, `${H}S-1,2025-05-01T10:00:00Z,,stold,674599.3,6578832.3\n`);
    const refused = await run(process.execPath, ['--import', 'tsx', 'server/cli/import.ts', 'crimes', sthlm], { cwd: PROJECT_ROOT, env }).then(() => null, (e: { code: number; stdout: string }) => e);
    expect(refused?.code).toBe(1);
    expect(refused?.stdout).toMatch(/line 2: x,y point \(674599\.3, 6578832\.3\) in EPSG:3006 lies outside the region Göteborg \(REGION=kommun:1480\)/);
    const gbg = path.join(dataDir, 'gbg.csv');
    fs.writeFileSync(gbg, `${H}G-1,2025-05-01T10:00:00Z,,stold,319500,6399900\n`);
    const ok = await run(process.execPath, ['--import', 'tsx', 'server/cli/import.ts', 'crimes', gbg], { cwd: PROJECT_ROOT, env });
    expect(ok.stdout).toMatch(/inserted: +1\n/);
  });
});
