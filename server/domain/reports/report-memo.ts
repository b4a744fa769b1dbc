// The lägesbild's expensive parts are pure functions of the data (per data version), the area, the period, the
// viewer's disclosure control and the language: the per-place before/after evaluation, the hotspot section, the
// data sources' provenance and the map image. They are memoised per database and data version (data-version/memo.ts;
// the map image in a small bounded memo of its own, below), so asking again for the same report reuses them and an
// import (a bump) computes them afresh. Every key holds all that changes the output: disclosureKey says which privacy view (public cell-key or exact) with its parameters —
// a public and an analyst report never share an entry — and the language is in the key of whatever carries text.
// Goals and measures are read on every request (they change without a bump).
import type { Queryable } from '../../db/index.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { memo } from '../data-version/memo.js';
import { onDataVersionBump, readDataVersion } from '../data-version/data-version.js';

/** Everything of the disclosure control that changes a published figure (the cell-key secret is per database, like the memo). */
export function disclosureKey(d: Disclosure): string {
  const m = d.method;
  return `${d.exact ? 'exact' : 'public'}:${m.method}:k${d.k}:b${m.roundingBase ?? '-'}:n${m.maxNoise}:e${m.maxError}:${m.periods}`;
}

export type NoteFn = (key: string, text: string) => void;
export type NoteList = [string, string][];

/** A result handed to the callers waiting for it but not kept (e.g. a failure the section turned into a note). */
class NotKept<T> extends Error {
  constructor(readonly result: T) { super('not kept'); }
}

/**
 * memo() for a report part. `keep`: whether a result may be kept for later requests (default: always); a result not
 * kept still answers the callers already waiting for it, and the next request computes it again.
 */
export async function memoPart<T>(db: Queryable, key: string, version: number | undefined, compute: () => Promise<T>,
  keep: (value: T) => boolean = () => true): Promise<T> {
  try {
    return await memo(db, `lagesbild|${key}`, async () => {
      const value = await compute();
      if (!keep(value)) throw new NotKept(value);
      return value;
    }, version);
  } catch (e) {
    if (e instanceof NotKept) return e.result as T;
    throw e;
  }
}

/**
 * Memoises a report section that also writes notes: the notes it wrote are kept with its value and written again,
 * in the same order, on every use (a hit or not). `version`: the data version the report was read at.
 */
export async function memoSection<T>(db: Queryable, key: string, version: number, note: NoteFn,
  compute: (note: NoteFn) => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
  const r = await memoPart(db, key, version, async () => {
    const notes: NoteList = [];
    const value = await compute((k, t) => { notes.push([k, t]); });
    return { value, notes };
  }, (x) => keep(x.value));
  for (const [k, t] of r.notes) note(k, t);
  return r.value;
}

// Map images are large (a PNG as a data URI, ~200 KB): kept apart from memo()'s 500 entries, at most MAX_IMAGES per
// database, the least recently used dropped first; a bump committed in this process frees them all.
const images = new WeakMap<object, Map<string, Promise<unknown>>>();
const MAX_IMAGES = 24;
onDataVersionBump(({ db }) => { if (db) images.delete(db); });

/** memoPart for a large result (the map image): the same keys and keep rule, a small least-recently-used bound. */
export async function memoImage<T>(db: Queryable, key: string, compute: () => Promise<T>, keep: (value: T) => boolean): Promise<T> {
  const k = `${await readDataVersion(db)}|${key}`;
  let m = images.get(db);
  if (!m) { m = new Map(); images.set(db, m); }
  let p = m.get(k) as Promise<T> | undefined;
  if (p) {
    m.delete(k); // most recently used last
    m.set(k, p);
    return p;
  }
  const own = m;
  p = compute();
  own.set(k, p);
  if (own.size > MAX_IMAGES) own.delete(own.keys().next().value as string);
  const drop = () => { if (own.get(k) === p) own.delete(k); };
  p.then((v) => { if (!keep(v)) drop(); }, drop);
  return p;
}
