// The lägesbild reuses its expensive parts (each place's before/after evaluation, the hotspot section, the sources'
// provenance, the map image) per data version: asking again for the same report runs none of their statements and
// gives the same content; another privacy view or language does not share them; an import (a data-version bump)
// makes the next report compute them afresh, with the new figures. Statements are counted with db/observe.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onStatement } from '../../server/db/observe.js';
import { createKey } from '../../server/domain/keys/api-keys.js';
import type { LagesbildContent } from '../../server/domain/reports/types.js';
import { backends, openTestApp, type TestApp } from '../helpers/backends.js';
import { districtId, importMore, seedReportData } from './seed.js';

/** the statements of each memoised part, by a fragment of their SQL */
const PARTS = {
  placeEvaluation: /FROM incidents i CROSS JOIN p/,
  hotspotGrid: /ST_HexagonGrid/,
  provenance: /SELECT i\.precision, count\(\*\)/,
  mapSvg: /ST_AsSVG/,
};
type Part = keyof typeof PARTS;

describe.each(backends)('lägesbild memo on %s', (kind) => {
  let t: TestApp;
  let rinkeby: number;
  let analystKey: string;
  beforeAll(async () => {
    t = await openTestApp(kind);
    await seedReportData(t.db);
    rinkeby = await districtId(t.db, 'RINKEBY');
    analystKey = (await createKey(t.db, { name: 'analyst', role: 'analyst' })).key;
  });
  afterAll(async () => { await t?.close(); });

  /** The report, and how many statements of each memoised part (and in all) it ran. */
  async function report(who: 'public' | 'analyst', lang = 'sv') {
    const seen: string[] = [];
    const off = onStatement((e) => { if (e.db === t.db || e.db === null) seen.push(e.sql); });
    try {
      const r = await t.app.inject({
        method: 'GET', url: `/api/reports/lagesbild?areaId=${rinkeby}&from=2025-01-01&to=2026-01-01&f=json&lang=${lang}`,
        headers: who === 'analyst' ? { authorization: `Bearer ${analystKey}` } : {},
      });
      expect(r.statusCode, r.body).toBe(200);
      const runs = Object.fromEntries(Object.entries(PARTS).map(([k, re]) => [k, seen.filter((s) => re.test(s)).length])) as Record<Part, number>;
      return { content: r.json() as LagesbildContent, runs, statements: seen.length };
    } finally { off(); }
  }
  const sameContent = (a: LagesbildContent, b: LagesbildContent) => expect({ ...b, generatedAt: '' }).toEqual({ ...a, generatedAt: '' });

  let first: Awaited<ReturnType<typeof report>>;
  it('computes every part on the first request', async () => {
    first = await report('public');
    expect(first.content.places.some((p) => p.followUp !== null)).toBe(true);
    expect(first.runs.placeEvaluation).toBeGreaterThan(0);
    expect(first.runs.hotspotGrid).toBeGreaterThan(0);
    expect(first.runs.provenance).toBe(4);
    if (first.content.whereWhen.map.kind === 'svg-fallback') expect(first.runs.mapSvg).toBeGreaterThan(0);
  });

  it('serves the second request for the same report from the memo, with the same content', async () => {
    const again = await report('public');
    expect(again.runs).toEqual({ placeEvaluation: 0, hotspotGrid: 0, provenance: 0, mapSvg: 0 });
    expect(again.statements).toBeLessThan(first.statements);
    sameContent(first.content, again.content);
    expect(again.content.whereWhen.map.dataUri).toBe(first.content.whereWhen.map.dataUri);
  });

  it('does not share the memo between privacy views or languages', async () => {
    const analyst = await report('analyst');
    expect(analyst.content.viewer.exact).toBe(true);
    expect(analyst.runs.placeEvaluation).toBeGreaterThan(0);
    expect(analyst.runs.hotspotGrid).toBeGreaterThan(0);
    expect(analyst.runs.provenance).toBe(4);
    // the analyst's exact figures, not the public's protected ones
    expect(analyst.content.sources[0].total).not.toBeNull();
    expect(first.content.viewer.exact).toBe(false);
    const analystAgain = await report('analyst');
    expect(analystAgain.runs).toEqual({ placeEvaluation: 0, hotspotGrid: 0, provenance: 0, mapSvg: 0 });
    sameContent(analyst.content, analystAgain.content);
    // the public report is still the public one
    sameContent(first.content, (await report('public')).content);
    // English: the hotspot rows, the sources and the map carry words, so they are computed again; the evaluation is shared
    const en = await report('public', 'en');
    expect(en.content.lang).toBe('en');
    expect(en.runs.hotspotGrid).toBeGreaterThan(0);
    expect(en.runs.provenance).toBe(4);
    expect(en.runs.placeEvaluation).toBe(0);
  });

  it('computes afresh after an import (data-version bump), with the new figures', async () => {
    const before = await report('analyst');
    await importMore(t.db); // 40 more crimes in Rinkeby in 2025
    const after = await report('analyst');
    expect(after.content.dataVersion).toBeGreaterThan(before.content.dataVersion);
    expect(after.runs.placeEvaluation).toBeGreaterThan(0);
    expect(after.runs.hotspotGrid).toBeGreaterThan(0);
    expect(after.runs.provenance).toBe(4);
    const crimes = (c: LagesbildContent) => c.sources.find((s) => s.source === 'crimes')!;
    expect(crimes(after.content).total).toBe(crimes(before.content).total! + 40);
    const precisionSum = (c: LagesbildContent) => crimes(c).precision.reduce((a, p) => a + (p.count ?? 0), 0);
    expect(precisionSum(after.content)).toBe(precisionSum(before.content) + 40);
    // and the public report too
    const pub = await report('public');
    expect(pub.runs.placeEvaluation).toBeGreaterThan(0);
    expect(pub.runs.provenance).toBe(4);
  });
});
