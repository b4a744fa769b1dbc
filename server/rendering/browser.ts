// One headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) shared by every request:
// launched on first use, reused, relaunched if it dies, closed with the app. A small semaphore bounds how many
// pages render at once so a burst of report requests cannot exhaust memory on a small server.
import fs from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { DomainProblem } from '../domain/problems.js';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
  // software WebGL so MapLibre can draw the real map for the report's map image
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

/** Chromium is missing or will not start: the PDF/screenshot cannot be made; the HTML report still can. */
export class ChromiumUnavailableError extends DomainProblem {
  constructor(detail: string) {
    super('unavailable', `${detail} Ask for f=html (print it from the browser) or install Debian's chromium package (apt-get install chromium) and set CHROMIUM_PATH.`);
  }
}

/** A counting semaphore: at most `max` holders at once, the rest wait in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try { return await fn(); } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export type BrowserPoolOptions = { executablePath: string; maxPages?: number; launchTimeoutMs?: number };

export class BrowserPool {
  private browser: Promise<Browser> | null = null;
  private readonly gate: Semaphore;
  private closed = false;

  constructor(private readonly opts: BrowserPoolOptions) {
    this.gate = new Semaphore(opts.maxPages ?? 2);
  }

  /** True when the configured executable exists (it may still fail to start; then use() throws a 503). */
  available(): boolean {
    try { fs.accessSync(this.opts.executablePath, fs.constants.X_OK); return true; } catch { return false; }
  }

  private async launch(): Promise<Browser> {
    if (!this.available()) throw new ChromiumUnavailableError(`Chromium was not found at ${this.opts.executablePath}, so no PDF or map image can be rendered.`);
    const { chromium } = await import('playwright-core');
    try {
      const b = await chromium.launch({ executablePath: this.opts.executablePath, args: CHROMIUM_ARGS, headless: true, timeout: this.opts.launchTimeoutMs ?? 30_000 });
      b.on('disconnected', () => { this.browser = null; });
      return b;
    } catch (e) {
      throw new ChromiumUnavailableError(`Chromium at ${this.opts.executablePath} did not start (${(e as Error).message.split('\n')[0]}).`);
    }
  }

  private async getBrowser(): Promise<Browser> {
    if (this.closed) throw new ChromiumUnavailableError('The server is shutting down.');
    if (!this.browser) {
      this.browser = this.launch();
      this.browser.catch(() => { this.browser = null; });
    }
    return this.browser;
  }

  /** Runs fn with a fresh, isolated browser context (no shared cookies or cache between requests). */
  async withContext<T>(fn: (ctx: BrowserContext) => Promise<T>, contextOptions: Parameters<Browser['newContext']>[0] = {}): Promise<T> {
    return this.gate.use(async () => {
      const browser = await this.getBrowser();
      const ctx = await browser.newContext({ javaScriptEnabled: true, ...contextOptions });
      try { return await fn(ctx); } finally { await ctx.close().catch(() => {}); }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const b = this.browser;
    this.browser = null;
    if (b) await (await b.catch(() => null))?.close().catch(() => {});
  }
}
