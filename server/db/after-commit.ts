// Work to run once a transaction has committed — never when it rolls back. Both backends' Db.transaction register
// the Queryable they hand out (beginTransaction) and run its hooks after COMMIT (committed). The data-version owner
// uses it to tell this process's caches about a bump only when the new version is visible to other connections.
import { isDb, type Db, type Queryable } from './types.js';

type Hook = (db: Db | null) => void;
type Open = { db: Db; hooks: Hook[]; done: boolean };
const open = new WeakMap<Queryable, Open>();

/** Called by a backend when it hands `tx` to a transaction's function. */
export function beginTransaction(tx: Queryable, db: Db): void {
  open.set(tx, { db, hooks: [], done: false });
}

/** `alias` (e.g. a wrapper that logs each statement) stands for the open transaction `tx`: hooks added through it run with tx's. */
export function aliasTransaction(alias: Queryable, tx: Queryable): void {
  const o = open.get(tx);
  if (o) open.set(alias, o);
}

/** Called by a backend after COMMIT of `tx`: runs its hooks in order (a hook that throws does not stop the others). */
export function committed(tx: Queryable): void {
  const o = open.get(tx);
  open.delete(tx);
  if (!o) return;
  o.done = true;
  for (const h of o.hooks.splice(0)) {
    try { h(o.db); } catch { /* a cache hook must not fail a committed transaction */ }
  }
}

/** Called by a backend after ROLLBACK of `tx`: its hooks never run. */
export function rolledBack(tx: Queryable): void {
  const o = open.get(tx);
  open.delete(tx);
  if (o) { o.done = true; o.hooks.length = 0; }
}

/**
 * Runs `fn` after `tx` commits, with the Db the transaction belongs to. When `tx` is not an open transaction of a
 * backend (the Db itself, whose statements commit at once, an unknown wrapper, or a transaction already over), `fn`
 * runs at once, with the Db when known, else null.
 */
export function afterCommit(tx: Queryable, fn: Hook): void {
  const o = open.get(tx);
  if (o && !o.done) { o.hooks.push(fn); return; }
  try { fn(o?.db ?? (isDb(tx) ? tx : null)); } catch { /* as in committed() */ }
}


/** The Db whose open transaction `tx` is (null when `tx` is none, or already over). */
export function transactionDb(tx: Queryable): Db | null {
  const o = open.get(tx);
  return o && !o.done ? o.db : null;
}
