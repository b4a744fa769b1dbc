// The hot spot analysis (analyse-cells.ts: neighbour search, Gi*, p, FDR) runs off the event loop, in a small pool
// of worker threads (one per core but one, at least one), so a large analysis never stalls other requests. Each job
// has a deadline (HOTSPOT_TIMEOUT_MS, counted from when it was asked for, queue included): past it the job is
// dropped, or its worker terminated, and the request answered 503 with Retry-After. Idle workers end after a while.
// The worker is TypeScript, loaded through tsx (as the server itself runs), under vitest too.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DomainProblem, unavailable } from '../problems.js';
import { analysisJob, joinAnalysis, type AnalysedCell, type AnalysisJob, type AnalysisOutput, type CountBounds } from './analyse-cells.js';
import type { Cell } from './hex-grid.js';
import { assertWorkWithin, hotspotSettings } from './hotspot-limits.js';

const WORKER_URL = new URL('./analyse-cells.worker.ts', import.meta.url).href;
const TSX_API = tsxEsmApi();
// The worker registers tsx's loader itself, then imports the TypeScript worker module: `execArgv: ['--import', 'tsx']`
// does not work for workers on Node 20 (the hooks are not ready when the entry module loads).
const BOOT = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); })`;
const SIZE = Math.max(1, Math.min(4, (os.availableParallelism?.() ?? os.cpus().length) - 1));
const IDLE_MS = 30_000;
const RETRY_AFTER_S = 30;

type Task = { job: AnalysisJob; timeoutMs: number; resolve: (o: AnalysisOutput) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout; slot?: Slot };
type Slot = { worker: Worker; task: Task | null; idle?: NodeJS.Timeout };

export class AnalysisTimeoutError extends DomainProblem {
  constructor(ms: number, why: 'slow' | 'busy' = 'slow') {
    super('unavailable', why === 'slow'
      ? `The hot spot analysis did not finish within ${ms} ms and was stopped. Try again in a while, ` +
        'or ask for less: a larger cellSize, a smaller distanceBand or a smaller area set.'
      : `Too many hot spot analyses are waiting (none could start within ${ms} ms); try again in a while.`, { retryAfterSeconds: RETRY_AFTER_S });
  }
}

/** The ES module build of tsx's API (require.resolve would give the CommonJS one). */
function tsxEsmApi(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  return pathToFileURL(path.join(path.dirname(pkgPath), pkg.exports['./esm/api'].import!.default!)).href;
}

class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  /** Workers terminated because their job ran past its deadline (for tests and logs). */
  terminated = 0;

  run(job: AnalysisJob, timeoutMs: number): Promise<AnalysisOutput> {
    return new Promise<AnalysisOutput>((resolve, reject) => {
      const task: Task = { job, timeoutMs, resolve, reject };
      task.timer = setTimeout(() => this.expire(task), timeoutMs);
      this.queue.push(task);
      this.next();
    });
  }

  get size() { return this.slots.length; }

  private next(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot && this.slots.length < SIZE) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      if (slot.idle) { clearTimeout(slot.idle); slot.idle = undefined; }
      slot.task = task;
      task.slot = slot;
      slot.worker.ref();
      const buffers = [task.job.i.buffer, task.job.j.buffer, ...task.job.counts.map((c) => c.buffer),
        ...task.job.bounds.flatMap((b) => (b ? [b.lower.buffer, b.upper.buffer] : []))] as ArrayBuffer[];
      slot.worker.postMessage(task.job, buffers);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT, { eval: true });
    const slot: Slot = { worker, task: null };
    worker.on('message', (m: { ok: true; out: AnalysisOutput } | { ok: false; message: string }) => {
      const task = slot.task;
      slot.task = null;
      worker.unref();
      if (task) {
        clearTimeout(task.timer);
        if (m.ok) task.resolve(m.out); else task.reject(new Error(`hot spot analysis failed: ${m.message}`));
      }
      this.next();
      if (!slot.task) slot.idle = setTimeout(() => this.retire(slot), IDLE_MS).unref();
    });
    const fail = (e: Error) => {
      this.remove(slot);
      const task = slot.task;
      slot.task = null;
      if (task) { clearTimeout(task.timer); task.reject(e); }
      this.next();
    };
    worker.on('error', (e) => fail(e));
    worker.on('exit', (code) => fail(unavailable(`The hot spot analysis stopped (worker exit ${code}); try again.`, 5)));
    this.slots.push(slot);
    return slot;
  }

  private expire(task: Task): void {
    const q = this.queue.indexOf(task);
    if (q >= 0) this.queue.splice(q, 1);
    else if (task.slot && task.slot.task === task) {
      // the job was handed to a worker: only terminating it stops the job
      const slot = task.slot;
      slot.task = null;
      this.remove(slot);
      this.terminated++;
      void slot.worker.terminate();
      this.next();
    }
    task.reject(new AnalysisTimeoutError(task.timeoutMs));
  }

  private retire(slot: Slot): void {
    if (slot.task) return;
    this.remove(slot);
    void slot.worker.terminate();
  }

  private remove(slot: Slot): void {
    const k = this.slots.indexOf(slot);
    if (k >= 0) this.slots.splice(k, 1);
    if (slot.idle) clearTimeout(slot.idle);
    slot.worker.removeAllListeners('message');
    slot.worker.removeAllListeners('exit');
    slot.worker.removeAllListeners('error');
    slot.worker.on('error', () => { /* after removal: nothing waits for it */ });
    slot.worker.unref();
  }
}

const pool = new AnalysisPool();

/** How the pool is doing (tests). */
export function analysisPoolStats(): { workers: number; terminated: number } {
  return { workers: pool.size, terminated: pool.terminated };
}

/**
 * Gi*, p, FDR and class for each count vector over the same cells (e.g. a period and its baseline: the neighbourhoods
 * are found once), in a worker thread, within the work cap and deadline of this database's app (hotspot-limits.ts).
 */
export async function analyseManyInWorker<C extends Cell>(db: object, cells: readonly C[], counts: readonly (readonly number[])[],
  cellSize: number, alpha: number, band?: number, bounds: readonly (CountBounds | undefined)[] = []): Promise<AnalysedCell<C>[][]> {
  const s = hotspotSettings(db);
  assertWorkWithin(cells.length, cellSize, band, s.maxWork);
  const out = await pool.run(analysisJob(cells, counts, cellSize, alpha, band, bounds), s.timeoutMs);
  return counts.map((c, m) => joinAnalysis(cells, c, out, m));
}

/** analyseCells (analyse-cells.ts) in a worker thread. */
export async function analyseInWorker<C extends Cell>(db: object, cells: readonly C[], counts: readonly number[],
  cellSize: number, alpha: number, band?: number, bounds?: CountBounds): Promise<AnalysedCell<C>[]> {
  return (await analyseManyInWorker(db, cells, [counts], cellSize, alpha, band, [bounds]))[0];
}

/**
 * At most a few hot spot requests are worked on at a time per database (counting, analysis, answer): one on the
 * embedded database, whose queries all run on the one thread (so other requests' queries wait behind at most one
 * request's), else one more than the workers. The rest wait their turn, up to HOTSPOT_TIMEOUT_MS (then 503); at most
 * QUEUE_MAX wait at once.
 */
const QUEUE_MAX = 64;
type Waiter = { grant: () => void; timer: NodeJS.Timeout };
type Gate = { free: number; waiting: Waiter[] };
const gates = new WeakMap<object, Gate>();

export function hotspotConcurrency(db: { kind?: string }): number {
  return db.kind === 'embedded' ? 1 : SIZE + 1;
}

/** Waits for a turn; resolves to the function that ends it (call it exactly once). */
export function hotspotTurn(db: object & { kind?: string }): Promise<() => void> {
  let g = gates.get(db);
  if (!g) { g = { free: hotspotConcurrency(db), waiting: [] }; gates.set(db, g); }
  const gate = g;
  const release = () => {
    const next = gate.waiting.shift();
    if (next) { clearTimeout(next.timer); next.grant(); } else gate.free++;
  };
  const once = () => { let done = false; return () => { if (!done) { done = true; release(); } }; };
  if (gate.free > 0) { gate.free--; return Promise.resolve(once()); }
  const timeoutMs = hotspotSettings(db).timeoutMs;
  if (gate.waiting.length >= QUEUE_MAX) return Promise.reject(new AnalysisTimeoutError(timeoutMs, 'busy'));
  return new Promise((resolve, reject) => {
    const w: Waiter = {
      grant: () => resolve(once()),
      timer: setTimeout(() => {
        const k = gate.waiting.indexOf(w);
        if (k >= 0) gate.waiting.splice(k, 1);
        reject(new AnalysisTimeoutError(timeoutMs, 'busy'));
      }, timeoutMs),
    };
    gate.waiting.push(w);
  });
}
