// meta.data_version, read cheaply: every import bumps it in the database; tile and hotspot caches key on it.
// Read at most once per TTL per database (so a tile cache hit costs no query); an import in this process can call
// forgetDataVersion(db) to make the next request see the new version at once. Imports in another process are
// picked up within the TTL.
import type { Queryable } from '../../db/index.js';

const TTL_MS = 1000;
const cache = new WeakMap<Queryable, { value: number; at: number; pending?: Promise<number> }>();

export async function currentDataVersion(db: Queryable): Promise<number> {
  const now = Date.now();
  const hit = cache.get(db);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  if (hit?.pending) return hit.pending;
  const pending = db.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'data_version'`)
    .then((r) => {
      const value = Number(r.rows[0]?.value ?? 0);
      cache.set(db, { value, at: Date.now() });
      return value;
    })
    .catch((e) => { cache.delete(db); throw e; });
  cache.set(db, { value: hit?.value ?? -1, at: hit?.at ?? 0, pending });
  return pending;
}

export function forgetDataVersion(db: Queryable): void {
  cache.delete(db);
}
