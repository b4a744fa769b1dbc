// Per-database, per-data-version memo for derived data that is expensive to compute and changes only when data is
// imported (derived population, the overlap of imprecise incidents' areas with a set, batch provenance).
// Keyed by the Queryable object, so test databases and the app never share entries; data_version in the key
// makes every bump invalidate it (also one committed by another process). A bump committed in this process also
// frees the entries of the older versions at once.
import type { Queryable } from '../../db/index.js';
import { onDataVersionBump, readDataVersion } from './data-version.js';

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();
const MAX_ENTRIES = 500;
onDataVersionBump(({ db }) => { if (db) memos.delete(db); });

export async function memo<T>(db: Queryable, key: string, compute: () => Promise<T>, version?: number): Promise<T> {
  const v = version ?? (await readDataVersion(db));
  let m = memos.get(db);
  if (!m) { m = new Map(); memos.set(db, m); }
  const k = `${v}|${key}`;
  let p = m.get(k) as Promise<T> | undefined;
  if (!p) {
    if (m.size >= MAX_ENTRIES) m.clear();
    p = compute();
    m.set(k, p);
    p.catch(() => m!.delete(k));
  }
  return p;
}
