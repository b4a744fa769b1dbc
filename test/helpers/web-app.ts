// The web app in a real headless Chromium (Debian's chromium via playwright-core) against the app started in-process
// on an embedded database copy with the seeded synthetic sample data: what the browser tests share.
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/config.js';
import { ensureWebBuilt } from '../../server/web-build.js';
import { openTestApp, type TestApp } from './backends.js';

export const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
export const CHROMIUM_ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export type Problems = { errors: string[]; failed: string[]; external: string[] };
export type WebApp = { t: TestApp; base: string; browser: Browser; adminKey: string; close: () => Promise<void> };

export async function startWebApp(sampleCrimes = 6000): Promise<WebApp> {
  await ensureWebBuilt();
  process.env.SAMPLE_CRIMES = String(sampleCrimes);
  const t = await openTestApp('embedded');
  const { ensureSampleData } = await import('../../server/reference/sample-data.js');
  await ensureSampleData(t.db);
  const { createKey } = await import('../../server/domain/keys/api-keys.js');
  const adminKey = (await createKey(t.db, { name: 'e2e-admin', role: 'admin' })).key;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return { t, base, browser, adminKey, close: async () => { await browser.close(); await t.close(); } };
}

/** Opens a page and collects console errors, failed and external requests. `wait` false: don't wait for the map. */
export async function openPage(w: Pick<WebApp, 'browser' | 'base'>, url: string, viewport = { width: 1366, height: 768 }, wait = true): Promise<{ page: Page; problems: Problems }> {
  const page = await w.browser.newPage({ viewport });
  const problems: Problems = { errors: [], failed: [], external: [] };
  page.on('console', (m) => { if (m.type() === 'error') problems.errors.push(m.text()); });
  page.on('pageerror', (e) => problems.errors.push(String(e)));
  page.on('response', (r) => { if (r.status() >= 400) problems.failed.push(`${r.status()} ${r.url()}`); });
  page.on('request', (r) => { const u = new URL(r.url()); if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['blob:', 'data:'].includes(u.protocol)) problems.external.push(r.url()); });
  await page.goto(w.base + url, { waitUntil: 'load' });
  if (wait) await mapReady(page);
  return { page, problems };
}

export const mapReady = (page: Page) => page.waitForFunction(() => (window as unknown as { __tk?: { ready?: boolean } }).__tk?.ready === true, null, { timeout: 120_000 });

/** Waits for the next completed render after a state change. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => { const s = document.getElementById('status'); return s?.hidden || !s?.classList.contains('status-loading'); }, null, { timeout: 120_000 });
  await page.evaluate(() => new Promise<void>((r) => { const m = (window as unknown as { __tk: { map: { once: (e: string, f: () => void) => void; triggerRepaint: () => void } } }).__tk.map; m.once('idle', () => r()); m.triggerRepaint(); }));
}

/** What has the keyboard focus, described so a test can match it. */
export const focused = (page: Page) => page.evaluate(() => {
  const e = document.activeElement as HTMLElement | null;
  return { tag: e?.tagName ?? '', id: e?.id ?? '', name: e?.getAttribute('name') ?? '', text: (e?.getAttribute('aria-label') ?? e?.textContent ?? '').trim(), data: { ...(e?.dataset ?? {}) } };
});

/** Tab (or Shift+Tab) until the focused element matches; fails after `max` presses. Returns the presses used. */
export async function tabTo(page: Page, want: (a: Awaited<ReturnType<typeof focused>>) => boolean, max = 60, back = false): Promise<number> {
  for (let i = 0; i < max; i++) {
    if (want(await focused(page))) return i;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`focus never reached the control in ${max} presses; last: ${JSON.stringify(await focused(page))}`);
}

const AXE = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
export type AxeViolation = { id: string; impact: string; help: string; nodes: string[] };

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now: the violations, each with the selectors it hit. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // evaluated, not added as a <script>: the app's Content-Security-Policy (rightly) refuses inline scripts
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { getRules: (tags: string[]) => { ruleId: string }[]; run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    // every rule with these tags by name, so the experimental ones (label-content-name-mismatch among them) run too
    const rules = axe.getRules(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).map((x) => x.ruleId);
    const r = await axe.run(document, { runOnly: { type: 'rule', values: rules } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 8) }));
  });
}
