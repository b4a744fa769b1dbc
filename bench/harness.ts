// Shared bench helpers: timing, percentiles, peak RSS, and the printed/written result table.
// Benches never assert on time: they print figures and ratios against a baseline measured in the same run.
import fs from 'node:fs';
import path from 'node:path';

export const RESULTS_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export type BenchRow = { metric: string; value: number | string; unit?: string; target?: string; ok?: boolean | null };

/** Prints a markdown table and writes bench/results/<name>.json (and .md) for the README. */
export function report(name: string, rows: BenchRow[], notes: string[] = []): void {
  const fmt = (v: number | string) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : v);
  const lines = [`### ${name}`, '', '| metric | value | target | ok |', '|---|---|---|---|',
    ...rows.map((r) => `| ${r.metric} | ${fmt(r.value)}${r.unit ? ' ' + r.unit : ''} | ${r.target ?? ''} | ${r.ok === undefined || r.ok === null ? '' : r.ok ? 'yes' : 'NO'} |`),
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : [])];
  console.log(lines.join('\n'));
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const meta = { name, at: new Date().toISOString(), node: process.version, cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? null };
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), JSON.stringify({ ...meta, rows, notes }, null, 1));
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.md`), lines.join('\n') + '\n');
}

/** Peak resident set size of this process so far, in MB (Linux: VmHWM). */
export function peakRssMb(pid: number | 'self' = 'self'): number {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(s);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch { return NaN; }
}
