// Statement timing for whoever listens (the metrics plugin logs slow statements with their route). Both backends
// report every statement they run — its SQL text (placeholders, never the parameters' values), how long it took
// (embedded: from its turn on the one connection; PostgreSQL: a statement outside a transaction includes its wait for
// a pooled connection) and whether it failed. Without a listener it costs nothing.
import { listeners } from '../../shared/listeners.js';
import type { Db } from './types.js';

export type StatementEvent = {
  /** the database the statement ran on (null: a connection whose Db is not known yet, e.g. during open) */
  db: Db | null;
  /** the SQL text as sent: $n placeholders, no values */
  sql: string;
  ms: number;
  failed: boolean;
};
export type StatementListener = (e: StatementEvent) => void;

const statementListeners = listeners<StatementEvent>();

/** Hears every statement of every database in this process; returns the unsubscribe. */
export const onStatement = (listener: StatementListener): (() => void) => statementListeners.on(listener);

/** Runs one statement and tells the listeners how long it took (failures too). */
export async function timed<T>(owner: { db: Db | null }, sql: string, run: () => Promise<T>): Promise<T> {
  if (!statementListeners.size) return run();
  const t0 = performance.now();
  let failed = true;
  try {
    const out = await run();
    failed = false;
    return out;
  } finally {
    statementListeners.tell({ db: owner.db, sql, ms: performance.now() - t0, failed });
  }
}

/**
 * A statement's shape for a log line: whitespace collapsed, every quoted literal and number replaced by ?, at most
 * `max` characters. Parameters are never part of it; literals in the SQL text come from the code, but are dropped too.
 */
export function statementShape(sql: string, max = 160): string {
  const s = sql
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\$[\s\S]*?\$\$/g, '?')
    .replace(/(?<![\w$.])\d+(\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
