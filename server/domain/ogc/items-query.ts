// Parses and validates the items query string against one collection: limit, offset, bbox (+ bbox-crs), datetime,
// crs, f and the collection's queryable properties. Anything else is a 400 naming the parameter (OGC core
// /req/core/query-param-unknown), so a typo never silently returns unfiltered data.
import { invalid } from '../problems.js';
import { parseBbox, parseCrs } from './crs.js';
import { parseDatetime } from './datetime.js';
import type { ItemsQuery, OgcCollection } from './types.js';

export const DEFAULT_LIMIT = 10;
/** Larger limits are clamped to this (the standard allows it); numberReturned and the next link say what came back. */
export const MAX_LIMIT = 10_000;

export type RawQuery = Record<string, string | string[] | undefined>;

function param(name: string, why: string, validCodes?: readonly string[]) {
  return invalid(`Parameter "${name}" ${why}.`, [{ field: name, message: why }], validCodes ? { parameter: name, validCodes: [...validCodes] } : undefined);
}

/** Single string values only: a repeated parameter is ambiguous. */
export function singleValues(q: RawQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q ?? {})) {
    if (v === undefined) continue;
    if (Array.isArray(v)) throw param(k, 'is given more than once');
    out[k] = v;
  }
  return out;
}

export function rejectUnknown(q: Record<string, string>, allowed: Iterable<string>, hint: string): void {
  const ok = new Set(allowed);
  for (const k of Object.keys(q)) if (!ok.has(k)) throw param(k, `is not a parameter of this resource (${hint})`);
}

function intParam(q: Record<string, string>, name: string, dflt: number, min: number, max: number): number {
  const v = q[name];
  if (v === undefined) return dflt;
  if (!/^\d{1,12}$/.test(v.trim())) throw param(name, `must be a whole number ≥ ${min}; got "${v.slice(0, 40)}"`);
  const n = Number(v);
  if (n < min) throw param(name, `must be ≥ ${min}`);
  return Math.min(n, max);
}

export const ITEMS_PARAMS = ['f', 'limit', 'offset', 'bbox', 'bbox-crs', 'datetime', 'crs'];

export function parseItemsQuery(raw: RawQuery, c: OgcCollection): ItemsQuery {
  const q = singleValues(raw);
  const queryables = Object.keys(c.queryables);
  rejectUnknown(q, [...ITEMS_PARAMS, ...queryables], `items take ${ITEMS_PARAMS.join(', ')}${queryables.length ? ` and the properties ${queryables.join(', ')}` : ''}`);
  const datetime = parseDatetime(q.datetime);
  if (datetime && c.datetimeMeaning === null) throw param('datetime', `does not apply: collection "${c.id}" has no time dimension`);
  const filters: Record<string, string> = {};
  for (const k of queryables) {
    if (q[k] === undefined) continue;
    if (q[k].length > 200) throw param(k, 'is too long');
    const e = c.queryables[k].enum;
    if (e && !e.includes(q[k])) throw param(k, `must be one of ${e.join(', ')}`, e);
    filters[k] = q[k];
  }
  return {
    limit: intParam(q, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT),
    offset: intParam(q, 'offset', 0, 0, 1_000_000_000),
    bbox: parseBbox(q.bbox, q['bbox-crs']),
    datetime,
    crs: parseCrs(q.crs, 'crs'),
    filters,
  };
}
