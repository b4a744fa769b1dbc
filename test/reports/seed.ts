// A small seeded dataset for the report tests: crimes in Rinkeby that clearly rise from 2024 to 2025, a steady
// background in other districts, a few shootings and guard reports, a two-wave survey and one platssamverkan.
// Points come from ST_GeneratePoints inside the real district polygons (seeded), so they lie where we say.
import type { Db } from '../../server/db/index.js';
import { writeIncidents, type IncidentInput } from '../../server/ingest/write-incidents.js';

export async function districtId(db: Db, code: string): Promise<number> {
  const r = await db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = 'stadsdelar' AND code = $1`, [code]);
  return Number(r.rows[0].id);
}

async function points(db: Db, code: string, n: number, seed: number): Promise<[number, number][]> {
  const r = await db.query<{ x: number; y: number }>(
    `SELECT ST_X(d.geom) AS x, ST_Y(d.geom) AS y FROM areas a, ST_Dump(ST_GeneratePoints(a.geom, $2::int, $3::int)) d
     WHERE a.area_set_id = 'stadsdelar' AND a.code = $1`, [code, n, seed]);
  return r.rows.map((p) => [Number(p.x), Number(p.y)]);
}

/** n incidents spread over [from, to) days at varied hours; categories cycle through the list. */
async function incidents(db: Db, prefix: string, code: string, n: number, from: string, days: number, cats: string[], seed: number): Promise<IncidentInput[]> {
  const pts = await points(db, code, n, seed);
  const t0 = Date.parse(`${from}T00:00:00Z`);
  return pts.map(([x, y], i) => ({
    externalId: `${prefix}-${code}-${i}`, category: cats[i % cats.length],
    occurredFrom: new Date(t0 + ((i * 7919) % days) * 86_400_000 + ((i * 37) % 24) * 3_600_000),
    occurredTo: i % 5 === 0 ? new Date(t0 + ((i * 7919) % days) * 86_400_000 + ((i * 37) % 24) * 3_600_000 + 6 * 3_600_000) : null,
    x, y, precision: 'exact' as const,
  }));
}

export const CRIME_CATS = ['misshandel', 'stold', 'skadegorelse'];

export async function seedReportData(db: Db): Promise<void> {
  await db.query(`INSERT INTO categories (source, code, label_sv, label_en, grp) VALUES
    ('crimes','misshandel','Misshandel','Assault','vald'), ('crimes','stold','Stöld','Theft','stold'), ('crimes','skadegorelse','Skadegörelse','Criminal damage','skadegorelse')
    ON CONFLICT DO NOTHING`);
  const crimes: IncidentInput[] = [
    ...(await incidents(db, 'c24', 'RINKEBY', 60, '2024-01-01', 366, CRIME_CATS, 1)),
    ...(await incidents(db, 'c25', 'RINKEBY', 180, '2025-01-01', 365, CRIME_CATS, 2)),
  ];
  let seed = 10;
  for (const code of ['HUSBY', 'KISTA', 'TENSTA', 'SÖDERMALM', 'VASASTADEN', 'AKALLA', 'SPÅNGA']) {
    crimes.push(...(await incidents(db, 'c24', code, 70, '2024-01-01', 366, CRIME_CATS, seed++)));
    crimes.push(...(await incidents(db, 'c25', code, 70, '2025-01-01', 365, CRIME_CATS, seed++)));
  }
  await db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', crimes));
  // shootings: 3 in Rinkeby 2025 (a small count: suppressed for the public), 6 injured in Husby
  const shots = [
    ...(await incidents(db, 's25', 'RINKEBY', 3, '2025-02-01', 200, ['injured', 'none', 'killed'], 40)),
    ...(await incidents(db, 's25', 'HUSBY', 6, '2025-02-01', 200, ['injured'], 41)),
  ];
  await db.transaction((tx) => writeIncidents(tx, 'shootings', 'file', shots));
  const guards = [
    ...(await incidents(db, 'g24', 'RINKEBY', 30, '2024-01-01', 366, ['avvisning', 'avlagsnande', 'omhandertagande'], 50)),
    ...(await incidents(db, 'g25', 'RINKEBY', 32, '2025-01-01', 365, ['avvisning', 'avlagsnande', 'omhandertagande'], 51)),
  ];
  await db.transaction((tx) => writeIncidents(tx, 'guard-reports', 'file', guards));

  // survey: one indicator, two waves, six districts, by sex and an age band
  await db.query(`INSERT INTO survey_indicators (code, text_sv, text_en, kind, direction) VALUES
    ('otrygg-kvall', 'Känner sig otrygg utomhus sent en kväll i sitt bostadsområde', 'Feels unsafe outdoors late in the evening', 'share', 'higher-is-worse')`);
  await db.query(`INSERT INTO survey_waves (id, name, year, area_set_id) VALUES ('tm2021', 'Trygghetsmätningen 2021', 2021, 'stadsdelar'), ('tm2024', 'Trygghetsmätningen 2024', 2024, 'stadsdelar')`);
  const values: Record<string, [number, number]> = { RINKEBY: [0.42, 0.55], HUSBY: [0.40, 0.41], KISTA: [0.30, 0.31], TENSTA: [0.45, 0.44], 'SÖDERMALM': [0.15, 0.16], VASASTADEN: [0.12, 0.12] };
  for (const [code, [v21, v24]] of Object.entries(values)) {
    const id = await districtId(db, code);
    for (const [wave, v] of [['tm2021', v21], ['tm2024', v24]] as const) {
      for (const [grp, d, n] of [['all', 0, 800], ['female', 0.06, 420], ['male', -0.06, 380], ['16-29', 0.02, 25]] as const) {
        await db.query(`INSERT INTO survey_results (wave_id, area_id, indicator, grp, respondents, value, row_hash) VALUES ($1, $2, 'otrygg-kvall', $3, $4, $5, 'x')`,
          [wave, id, grp, n, Math.round((v + d) * 1000) / 1000]);
      }
    }
  }
  // one platssamverkan site in Rinkeby with one measure
  const rinkeby = await districtId(db, 'RINKEBY');
  await db.query(`INSERT INTO places (name, geom, district_area_id, status, start_date, description)
    SELECT 'Rinkeby torg', ST_Multi(ST_Buffer(ST_PointOnSurface(geom), 150)), id, 'active', '2025-03-01', 'Platssamverkan kring torget' FROM areas WHERE id = $1`, [rinkeby]);
  await db.query(`INSERT INTO place_measures (place_id, type, date, description) SELECT id, 'lighting', '2025-03-15', 'Ny belysning' FROM places WHERE name = 'Rinkeby torg'`);
}

/** More crimes in Rinkeby in 2025: a later import that must not change a saved snapshot. */
export async function importMore(db: Db): Promise<void> {
  const more = await incidents(db, 'late', 'RINKEBY', 40, '2025-06-01', 100, CRIME_CATS, 99);
  await db.transaction((tx) => writeIncidents(tx, 'crimes', 'file', more));
}
