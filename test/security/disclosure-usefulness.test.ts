// The published figures stay useful (issue 15): on the bundled synthetic sample data, the public's city and district
// figures for a year are within the disclosure control's stated bound of the exact ones, and the hot spots the
// public sees at the default cell size are the analyst's hot-99 cells. On both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../server/domain/keys/api-keys.js';
import { ensureSampleData } from '../../server/reference/sample-data.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';

type Row = { code: string; count: number | null };
type Stats = { meta: { disclosure: { maxError: number; method: string } }; total: Row; rows: Row[] };
type Cell = { i: number; j: number; count: number | null; class: string };

describe.each(backends)('published figures stay useful on the sample data (%s)', (kind) => {
  let t: TestApp;
  let analyst = '';
  const json = async <T>(url: string, key?: string): Promise<T> => {
    const r = await t.app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    return r.json() as T;
  };

  beforeAll(async () => {
    t = await openTestApp(kind);
    // a fixed record-key secret, so the noise (and the borderline cells it can move) is the same on every run
    await t.db.query(`UPDATE disclosure_secret SET secret = 'usefulness-test-secret'`);
    await ensureSampleData(t.db);
    analyst = (await createKey(t.db, { name: 'analyst', role: 'analyst' })).key;
  }, 600_000);
  afterAll(async () => { await t?.close(); });

  it.each(['kommuner-ab', 'stadsdelsomraden-2023', 'stadsdelar'])('%s, crimes in 2025: every published count within the stated bound', async (set) => {
    const q = `/api/stats?areaSet=${set}&source=crimes&from=2025-01-01&to=2026-01-01`;
    const [pub, exact] = [await json<Stats>(q), await json<Stats>(q, analyst)];
    expect(pub.meta.disclosure.method).toBe('cell-key');
    const bound = pub.meta.disclosure.maxError;
    const pairs: [Row, Row][] = [[pub.total, exact.total], ...pub.rows.map((r, i): [Row, Row] => [r, exact.rows[i]])];
    let shown = 0;
    for (const [p, x] of pairs) {
      expect(p.code).toBe(x.code);
      if (x.count! < 5) { expect(p.count).toBeNull(); continue; }
      expect(Math.abs(p.count! - x.count!), `${set} ${p.code}: ${p.count} vs ${x.count}`).toBeLessThanOrEqual(bound);
      shown++;
    }
    expect(shown).toBeGreaterThan(set === 'kommuner-ab' ? 1 : pairs.length / 2); // the sample covers the city of Stockholm only
  });

  it('the hot spots the public sees at the default cell size are the analyst\'s hot-99 cells', async () => {
    const q = '/api/hotspots?source=crimes&from=2025-01-01&to=2026-01-01&f=json';
    const [pub, exact] = [await json<{ cells: Cell[] }>(q), await json<{ cells: Cell[] }>(q, analyst)];
    const cls = (cs: Cell[]) => new Map(cs.map((c) => [`${c.i},${c.j}`, c.class]));
    const pc = cls(pub.cells), ec = cls(exact.cells);
    const exact99 = [...ec].filter(([, c]) => c === 'hot-99').map(([k]) => k);
    const pub99 = [...pc].filter(([, c]) => c === 'hot-99').map(([k]) => k);
    expect(exact99.length).toBeGreaterThan(10);
    // every analyst hot-99 cell is hot-99 for the public …
    for (const k of exact99) expect(pc.get(k), k).toBe('hot-99');
    // … every public hot-99 cell is a hot spot for the analyst too (one at the analyst's 95 % edge may read 99 % after
    // the noise), and no cell is hot for one and cold for the other
    for (const k of pub99) expect(['hot-99', 'hot-95'], k).toContain(ec.get(k));
    for (const [k, c] of pc) {
      const e = ec.get(k)!;
      if (c !== 'not-significant' && e !== 'not-significant') expect(e.slice(0, 3), k).toBe(c.slice(0, 3));
    }
    expect(pub99.length).toBeLessThanOrEqual(exact99.length * 1.1);
  });
});
