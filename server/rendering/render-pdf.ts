// HTML → PDF and HTML/URL → PNG with the shared Chromium. The report HTML is self-contained (inline CSS, images as
// data URIs), so every network request from the page is refused: nothing leaks out, nothing is fetched from outside.
import type { BrowserContext, Page } from 'playwright-core';
import type { BrowserPool } from './browser.js';

async function offline(ctx: BrowserContext, allowOrigin?: string): Promise<void> {
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || (allowOrigin && url.startsWith(allowOrigin))) return route.continue();
    return route.abort('blockedbyclient');
  });
}

export type PdfOptions = {
  /** Chromium header/footer templates (inline styles only; classes pageNumber/totalPages are filled in). */
  headerTemplate?: string;
  footerTemplate?: string;
  timeoutMs?: number;
};

export async function htmlToPdf(pool: BrowserPool, html: string, opts: PdfOptions = {}): Promise<Buffer> {
  return pool.withContext(async (ctx) => {
    await offline(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(opts.timeoutMs ?? 30_000);
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const withHf = Boolean(opts.headerTemplate || opts.footerTemplate);
    return page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: withHf,
      headerTemplate: opts.headerTemplate ?? '<span></span>',
      footerTemplate: opts.footerTemplate ?? '<span></span>',
      margin: withHf ? { top: '22mm', bottom: '20mm', left: '18mm', right: '18mm' } : undefined,
      tagged: true,
      outline: true,
    });
  });
}

export type ShotOptions = { width: number; height: number; deviceScaleFactor?: number; timeoutMs?: number };

/** A PNG of self-contained HTML (e.g. an SVG map), sized exactly to the viewport. */
export async function htmlToPng(pool: BrowserPool, html: string, opts: ShotOptions): Promise<Buffer> {
  return pool.withContext(async (ctx) => {
    await offline(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(opts.timeoutMs ?? 15_000);
    await page.setContent(html, { waitUntil: 'load' });
    return page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: opts.width, height: opts.height } });
  }, { viewport: { width: opts.width, height: opts.height }, deviceScaleFactor: opts.deviceScaleFactor ?? 2 });
}

/**
 * A PNG of a page of our own server (the real map's report view). Only that origin may be requested; `ready`
 * decides when the page is drawn (e.g. the map signalled idle). Throws on timeout so callers can fall back.
 */
export async function urlToPng(pool: BrowserPool, url: string, opts: ShotOptions & { ready: (page: Page) => Promise<void>; headers?: Record<string, string> }): Promise<Buffer> {
  const origin = new URL(url).origin;
  return pool.withContext(async (ctx) => {
    await offline(ctx, origin);
    const page = await ctx.newPage();
    page.setDefaultTimeout(opts.timeoutMs ?? 15_000);
    await page.goto(url, { waitUntil: 'load' });
    await opts.ready(page);
    return page.screenshot({ type: 'png' });
  }, { viewport: { width: opts.width, height: opts.height }, deviceScaleFactor: opts.deviceScaleFactor ?? 2, extraHTTPHeaders: opts.headers ?? {} });
}
