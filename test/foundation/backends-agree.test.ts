// The same requests on the embedded PGlite and on real PostGIS give the same answers (same migrations, same SQL).
// Runs only when TEST_DATABASE_URL is set (CI always sets it).
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';
import { openTestApp, type TestApp } from '../helpers/backends.js';

const URLS = [
  '/api/area-sets',
  '/api/area-sets/stadsdelar/areas',
  '/api/area-sets/stadsdelar/areas?f=geojson',
  // dissolved polygons (ST_Union) may start their rings at another vertex under another GEOS: compare the rows
  '/api/area-sets/stadsdelsomraden-2023/areas',
  '/api/area-sets/basomraden/areas',
];

/** Fields that legitimately differ between runs or backends. */
const VOLATILE = new Set(['generatedAt', 'database', 'postgis', 'timeStamp', 'dataVersion', 'at', 'createdAt', 'created_at', 'durationMs']);

function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => !VOLATILE.has(k)).map(([k, x]) => [k, normalise(x)]));
  }
  // floating point may differ in the last bits between the two PostGIS builds
  if (typeof v === 'number' && !Number.isInteger(v)) return Number(v.toPrecision(9));
  return v;
}

export function seededIncidents(seed: string, n: number): IncidentInput[] {
  const rng = seedrandom(seed);
  const out: IncidentInput[] = [];
  for (let i = 0; i < n; i++) {
    // around central Stockholm in EPSG:3006, 2024–2025
    const from = new Date(Date.UTC(2024, 0, 1) + Math.floor(rng() * 730 * 24) * 3_600_000);
    out.push({
      externalId: `T${i}`, category: ['ran', 'stold', 'misshandel'][Math.floor(rng() * 3)], occurredFrom: from,
      occurredTo: rng() < 0.2 ? new Date(from.getTime() + Math.ceil(rng() * 12) * 3_600_000) : null,
      x: 666_000 + rng() * 20_000, y: 6_570_000 + rng() * 20_000, precision: 'exact',
    });
  }
  return out;
}

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('embedded and PostgreSQL backends agree', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([openTestApp('embedded'), openTestApp('postgres')]);
    const rows = seededIncidents('agree', 3000);
    for (const t of [a, b]) await t.db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', rows));
  });
  afterAll(async () => { await Promise.all([a?.close(), b?.close()]); });

  it.each(URLS)('GET %s', async (url) => {
    const [ra, rb] = await Promise.all([a.app.inject(url), b.app.inject(url)]);
    expect(ra.statusCode).toBe(rb.statusCode);
    expect(normalise(ra.json())).toEqual(normalise(rb.json()));
  });

  it('the rollups are identical', async () => {
    const q = `SELECT c.area_set_id, a.code, c.source, c.category, c.day::text AS day, c.n FROM area_day_counts c JOIN areas a ON a.id = c.area_id ORDER BY 1,2,3,4,5`;
    const [ra, rb] = await Promise.all([a.db.query(q), b.db.query(q)]);
    expect(ra.rows.length).toBeGreaterThan(100);
    expect(ra.rows).toEqual(rb.rows);
  });
});
