// The cell-key method (as the Australian Bureau of Statistics' TableBuilder and SCB use it): every record carries a
// pseudo-random key; a cell's key is the sum of its records' keys modulo 2^24, so the same set of events always gets
// the same key — and so the same noise — however the query that produced the cell was phrased (another period that
// holds the same events, another category set, another area set with the same events). Overlapping queries can
// therefore not average the noise away.
//
// The record key is md5(secret | source | category | local day) cut to 24 bits. It depends on what the rollups keep
// (area × day × source × category), so a cell's key is computable from the rollups (n × key per rollup row) as well
// as from the incidents (one key per point). The secret (a random value stored by migration 011, per installation)
// keeps the keys unknowable from outside; a backup carries it with the data, so rollups stay consistent.
import type { Queryable } from '../../db/index.js';

export const KEY_BITS = 24;
export const KEY_MODULUS = 2 ** KEY_BITS;

/**
 * SQL for one record's key: a 24-bit integer. `secret` is a bound parameter ($n), the others SQL expressions
 * (text, text, date). Cheap enough for every point of a tile or a rollup rebuild (one md5 of ~60 bytes).
 */
export function recordKeySql(secret: string, source: string, category: string, day: string): string {
  return `(('x' || substr(md5(${secret} || '|' || ${source} || '|' || ${category} || '|' || (${day})::text), 1, 6))::bit(24)::int)`;
}

/** The cell key in [0, 1) from the sum of its records' keys (a JS number: sums stay far below 2^53). */
export function cellKey(keySum: number): number {
  const m = ((keySum % KEY_MODULUS) + KEY_MODULUS) % KEY_MODULUS;
  return m / KEY_MODULUS;
}

const secrets = new WeakMap<object, Promise<string>>();

/** The installation's record-key secret (stored by migration 011). */
export function disclosureSecret(db: Queryable): Promise<string> {
  let p = secrets.get(db);
  if (!p) {
    p = db.query<{ secret: string }>('SELECT secret FROM disclosure_secret WHERE id = 1').then((r) => {
      if (!r.rows.length) throw new Error('disclosure_secret is empty: run the migrations');
      return r.rows[0].secret;
    });
    secrets.set(db, p);
    p.catch(() => secrets.delete(db));
  }
  return p;
}
