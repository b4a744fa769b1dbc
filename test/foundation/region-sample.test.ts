// Issue 22, "Done when": with REGION=kommun:1480 (Göteborg) a fresh embedded start's synthetic sample lies in
// Göteborg — every incident inside the municipality the map shows — and brings no Stockholm survey or places.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { openReadyDb } from '../../server/startup.js';
import type { Db } from '../../server/db/index.js';

describe('a fresh embedded database for REGION=kommun:1480', { timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-region-'));
  let db: Db | undefined;
  afterAll(async () => { await db?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('gets a synthetic sample whose every incident lies in Göteborg, without Stockholm\'s survey and places', async () => {
    process.env.SAMPLE_CRIMES = '2000'; // read when the sample module loads
    const { ensureSampleData } = await import('../../server/reference/sample-data.js');
    db = await openReadyDb(loadConfig({ DATA_DIR: dir, REGION: 'kommun:1480', SAMPLE_DATA: 'on', LOG_LEVEL: 'silent' }));
    const logged: string[] = [];
    await ensureSampleData(db, (m) => logged.push(m));
    expect(logged.join('\n')).toMatch(/SYNTHETIC sample data for Göteborg/);
    const r = await db.query<{ source: string; n: number; inside: number }>(
      `SELECT i.source, count(*)::int AS n, count(*) FILTER (WHERE ST_Intersects(i.geom, a.geom))::int AS inside
       FROM incidents i CROSS JOIN (SELECT geom FROM areas WHERE area_set_id = 'kommuner-1480' AND code = '1480') a
       GROUP BY i.source ORDER BY i.source`);
    const by = Object.fromEntries(r.rows.map((x) => [x.source, x]));
    expect(Object.keys(by).sort()).toEqual(['citizen-reports', 'crimes', 'guard-reports', 'shootings']);
    expect(by.crimes.n).toBe(2000);
    for (const x of r.rows) expect(x.inside, x.source).toBe(x.n);
    const extra = await db.query<{ places: number; survey: number }>(
      `SELECT (SELECT count(*)::int FROM places) AS places, (SELECT count(*)::int FROM survey_results) AS survey`);
    expect(extra.rows[0]).toEqual({ places: 0, survey: 0 });
  });
});
