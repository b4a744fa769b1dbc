// Work a request starts but does not wait for (rebuilding a derived rollup after an import), tracked per database
// so that closing the app waits for it instead of pulling the database away underneath it.
const pending = new WeakMap<object, Set<Promise<unknown>>>();

/** Runs fn without awaiting it; failures are swallowed (the work is an optimisation, the caller has a fallback). */
export function runInBackground(db: object, fn: () => Promise<unknown>): void {
  let set = pending.get(db);
  if (!set) { set = new Set(); pending.set(db, set); }
  const p: Promise<unknown> = fn().catch(() => undefined).finally(() => set!.delete(p));
  set.add(p);
}

/** Resolves when every background task of db has finished. */
export async function settleBackgroundWork(db: object): Promise<void> {
  const set = pending.get(db);
  while (set?.size) await Promise.all([...set]);
}
