// Rate-limit counters that several instances on one PostgreSQL database share (issue 22: N instances behind a load
// balancer must not give N times the limit). One row per counted key in the UNLOGGED table rate_counters
// (migration 022: counters are worth nothing after a crash), a window of windowMs starting at the key's first count
// and measured by PostgreSQL's clock, so every instance agrees on it.
//
// A statement per request would cost every cached tile a round trip, so each instance keeps what it counted since its
// last flush and the shared total it last read:
//  - a key this instance has not seen in its window, and a key whose estimate (last shared total + own unflushed
//    counts) has reached half its limit, is counted in the database at once: the answer is the cluster's total;
//  - below that, the count is added locally and flushed with every other key's within FLUSH_MS (one statement).
// So far from its limit a client costs no query, and near it every instance decides on the shared total. What can
// slip past is what other instances counted in their last FLUSH_MS while still below half the limit. `exact` counters
// (failed credential checks: few, and guessing must not get more tries) always count in the database. When the
// database cannot be reached the local count is used.
import type { Db } from '../../db/index.js';

export type Count = { n: number; ttl: number };
export interface RateCounter {
  /** Adds d (a refund subtracts) and returns the count in the key's window and the ms left of it. */
  add(key: string, d?: number): Promise<Count>;
  /** The count now, without adding. */
  peek(key: string): Promise<Count>;
}

const FLUSH_MS = 200;

type Local = { shared: number; pending: number; reset: number };

export class SharedRateCounter implements RateCounter {
  private readonly m = new Map<string, Local>();
  private timer: NodeJS.Timeout | null = null;
  private sweepAt = 0;
  private closed = false;

  /** `prefix` names the counter ('addr', 'fail', 'key'); `limit` sets where counting goes to the database at once. */
  constructor(private readonly db: Db, private readonly prefix: string, private readonly limit: number,
    private readonly opts: { windowMs?: number; exact?: boolean } = {}) {}

  private get windowMs() { return this.opts.windowMs ?? 60_000; }

  async add(key: string, d = 1): Promise<Count> {
    const now = Date.now();
    let e = this.m.get(key);
    if (e && e.reset <= now) { this.m.delete(key); e = undefined; }
    if (!e || this.opts.exact || Math.max(0, e.shared + e.pending + d) * 2 >= this.limit) {
      if (!e) { e = { shared: 0, pending: 0, reset: now + this.windowMs }; this.m.set(key, e); }
      e.pending += d;
      return this.flushKeys([key]).then(() => this.local(key, now), () => this.local(key, now));
    }
    e.pending += d;
    this.schedule();
    return this.local(key, now);
  }

  async peek(key: string): Promise<Count> {
    const now = Date.now();
    const e = this.m.get(key);
    if (this.opts.exact || !e || e.reset <= now) {
      try {
        const r = await this.db.query<{ n: number; ttl: number }>(
          `SELECT n, GREATEST(0, ceil(extract(epoch FROM window_end - clock_timestamp()) * 1000))::int AS ttl
           FROM rate_counters WHERE key = $1 AND window_end > clock_timestamp()`, [`${this.prefix}:${key}`]);
        const row = r.rows[0];
        // (an exact counter has nothing unflushed)
        return row ? { n: Number(row.n), ttl: Number(row.ttl) } : { n: 0, ttl: this.windowMs };
      } catch {
        /* the local count */
      }
    }
    return this.local(key, now);
  }

  private local(key: string, now: number): Count {
    const e = this.m.get(key);
    if (!e || e.reset <= now) return { n: 0, ttl: this.windowMs };
    return { n: Math.max(0, e.shared + e.pending), ttl: e.reset - now };
  }

  private schedule() {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => { this.timer = null; void this.flushKeys(null).catch(() => {}); }, FLUSH_MS);
    this.timer.unref();
  }

  /** Sends the unflushed counts of `keys` (null: every key) in one statement and takes the totals it returns. */
  private async flushKeys(keys: string[] | null): Promise<void> {
    const now = Date.now();
    if (now >= this.sweepAt) {
      for (const [k, v] of this.m) if (v.reset <= now) this.m.delete(k);
      this.sweepAt = now + this.windowMs;
      // windows long over, whichever instance counted them (every instance does this about once a window)
      void this.db.query(`DELETE FROM rate_counters WHERE key LIKE $1 AND window_end < clock_timestamp() - interval '10 seconds'`, [`${this.prefix}:%`]).catch(() => {});
    }
    // sorted: two instances' flushes lock their rows in the same order (no deadlock)
    const todo = (keys ?? [...this.m.keys()]).filter((k) => this.m.has(k) && (keys !== null || this.m.get(k)!.pending !== 0)).sort();
    if (!todo.length) return;
    const sent = todo.map((k) => this.m.get(k)!.pending);
    todo.forEach((k) => { this.m.get(k)!.pending = 0; });
    try {
      const r = await this.db.query<{ key: string; n: number; ttl: number }>(
        `INSERT INTO rate_counters AS c (key, window_end, n, delta)
         SELECT k, clock_timestamp() + make_interval(secs => $3::float8 / 1000), GREATEST(0, d), d FROM unnest($1::text[], $2::int[]) AS u(k, d)
         ON CONFLICT (key) DO UPDATE SET
           n = CASE WHEN c.window_end <= clock_timestamp() THEN EXCLUDED.n ELSE GREATEST(0, c.n + EXCLUDED.delta) END,
           window_end = CASE WHEN c.window_end <= clock_timestamp() THEN EXCLUDED.window_end ELSE c.window_end END
         RETURNING key, n, GREATEST(0, ceil(extract(epoch FROM window_end - clock_timestamp()) * 1000))::int AS ttl`,
        [todo.map((k) => `${this.prefix}:${k}`), sent, this.windowMs]);
      const at = Date.now();
      for (const row of r.rows) {
        const e = this.m.get(row.key.slice(this.prefix.length + 1));
        if (e) { e.shared = Number(row.n); e.reset = at + Number(row.ttl); }
      }
    } catch (e) {
      // not sent: counted again with the next flush
      todo.forEach((k, i) => { const x = this.m.get(k); if (x) x.pending += sent[i]; });
      throw e;
    }
  }

  /** Stops the flush timer after one last flush. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    await this.flushKeys(null).catch(() => {});
  }
}
