// The bundled demo places: five platssamverkan sites at real squares by metro stations (coordinates from
// data/transit/metro-stations.geojson), each an octagon about 160 m across, clearly labelled synthetic (name
// suffix "(syntetiskt exempel)", synthetic = true) — the partners, goals and measures are made up. Idempotent by
// external_id: a second call adds nothing, and a place a user deleted comes back only with a fresh database.
// Goals get their baselines measured from whatever incidents are loaded (call this after the sample incidents).
// Two places get a demo effect added to the synthetic crimes, so the evaluation shows what it finds: Rinkeby torg
// a fall inside the place after 2025-01-01 (→ improved), Husby centrum a fall inside with the same number more in
// the ring around it (→ displacement-suspected). Those crimes are synthetic too (provider "synthetic",
// ids SYN-PLACE-…), and are added only when the synthetic crimes cover 2024–2025.
import fs from 'node:fs';
import seedrandom from 'seedrandom';
import type { Db, Queryable } from '../db/index.js';
import { writeIncidents, type IncidentInput } from '../ingest/write-incidents.js';
import { addDays } from '../../shared/dates.js';
import { sourceCoverage } from '../domain/places/place-incident-counts.js';
import { bundled } from '../domain/bundled-files.js';
import { bumpDataVersion } from '../domain/data-version/data-version.js';
import { insertGoal, measureBaseline, type GoalIndicator } from '../domain/places/goal-store.js';
import { insertMeasure, type MeasureInput } from '../domain/places/measure-store.js';
import { districtForGeometry } from '../domain/places/place-geometry.js';
import type { Partner, PlaceStatus } from '../domain/places/place-store.js';

type SamplePlace = {
  key: string; name: string; station: string; status: PlaceStatus; startDate: string; endDate: string | null; description: string;
  partners: Partner[]; measures: MeasureInput[]; goalDeadline: string;
  /** A demo effect added to the synthetic crimes (when they cover 2024–2025), so the evaluation has something to find. */
  demo?: 'improved' | 'displacement';
};

const SUFFIX = ' (syntetiskt exempel)';
const SAMPLES: SamplePlace[] = [
  {
    key: 'husby-centrum', name: 'Husby centrum', station: 'Husby', status: 'active', startDate: '2025-01-01', endDate: null, goalDeadline: '2025-12-31', demo: 'displacement',
    description: 'Torget och gångstråken vid tunnelbanan. Gemensam vision: ett centrum där boende och besökare känner sig trygga även kvällstid.',
    partners: [{ organisation: 'Stadsdelsförvaltningen', role: 'sammankallande' }, { organisation: 'Lokalpolisområdet', role: 'medverkande' }, { organisation: 'Centrumägaren', role: 'fastighetsägare' }, { organisation: 'Bostadsbolaget', role: 'fastighetsägare' }],
    measures: [{ type: 'lighting', date: '2025-02-15', description: 'Ny belysning i gångtunneln mot tunnelbanan.' }, { type: 'guards', date: '2025-03-01', description: 'Ordningsvakter fredag–lördag 18–02.' }, { type: 'place-activation', date: '2025-05-20', description: 'Sommaraktiviteter på torget.' }],
  },
  {
    key: 'rinkeby-torg', name: 'Rinkeby torg', station: 'Rinkeby', status: 'active', startDate: '2025-01-01', endDate: null, goalDeadline: '2026-12-31', demo: 'improved',
    description: 'Rinkeby torg med omgivande gångstråk. Fokus: öppen narkotikahandel och otrygghet kvällstid.',
    partners: [{ organisation: 'Stadsdelsförvaltningen', role: 'sammankallande' }, { organisation: 'Lokalpolisområdet', role: 'medverkande' }, { organisation: 'Fastighetsägarföreningen', role: 'fastighetsägare' }, { organisation: 'Trafikförvaltningen (SL)', role: 'medverkande' }],
    measures: [{ type: 'cameras', date: '2025-01-20', description: 'Kamerabevakning av torget (tillstånd beviljat).' }, { type: 'cleaning', date: '2025-02-01', description: 'Utökad städning och klotterborttagning inom 24 h.' }, { type: 'social-effort', date: '2025-04-01', description: 'Fältassistenter kvällstid.' }],
  },
  {
    key: 'medborgarplatsen', name: 'Medborgarplatsen', station: 'Medborgarplatsen', status: 'active', startDate: '2025-03-01', endDate: null, goalDeadline: '2026-06-30',
    description: 'Platsen och parken framför Medborgarhuset. Fokus: nattlivets våld och rån.',
    partners: [{ organisation: 'Stadsdelsförvaltningen', role: 'sammankallande' }, { organisation: 'Lokalpolisområdet', role: 'medverkande' }, { organisation: 'Krögarnas samverkan', role: 'näringsidkare' }],
    measures: [{ type: 'guards', date: '2025-03-15', description: 'Gemensamma ordningsvakter för krogarna.' }, { type: 'lighting', date: '2025-04-10', description: 'Belysning av parkens gångvägar.' }],
  },
  {
    key: 'skarholmen-centrum', name: 'Skärholmen centrum', station: 'Skärholmen', status: 'ended', startDate: '2024-09-01', endDate: '2025-08-31', goalDeadline: '2025-08-31',
    description: 'Torget och bussterminalen. Avslutad ettårig samverkan.',
    partners: [{ organisation: 'Stadsdelsförvaltningen', role: 'sammankallande' }, { organisation: 'Centrumägaren', role: 'fastighetsägare' }, { organisation: 'Lokalpolisområdet', role: 'medverkande' }],
    measures: [{ type: 'physical-change', date: '2024-10-01', description: 'Buskage nedklippt, siktlinjer öppnade.' }, { type: 'cleaning', date: '2024-11-01', description: 'Trygghetsvandring och städdag.' }],
  },
  {
    key: 'tensta-centrum', name: 'Tensta centrum', station: 'Tensta', status: 'planned', startDate: '2026-03-01', endDate: null, goalDeadline: '2027-12-31',
    description: 'Planerad samverkan kring centrum och tunnelbaneuppgången.',
    partners: [{ organisation: 'Stadsdelsförvaltningen', role: 'sammankallande' }, { organisation: 'Bostadsbolaget', role: 'fastighetsägare' }],
    measures: [],
  },
];

function stationCoordinates(): Map<string, [number, number]> {
  const fc = JSON.parse(fs.readFileSync(bundled.metroStations, 'utf8')) as { features: { properties: { name: string }; geometry: { coordinates: [number, number] } }[] };
  return new Map(fc.features.map((f) => [f.properties.name, f.geometry.coordinates]));
}

/** Seeded synthetic crimes inside the place (and its ring) that make the demo effect. */
async function addDemoEffect(tx: Queryable, placeId: number, key: string, demo: 'improved' | 'displacement'): Promise<number> {
  const cov = await sourceCoverage(tx, 'crimes');
  if (!cov.firstDay || !cov.lastDay || cov.firstDay > '2024-01-07' || cov.lastDay < '2025-12-24') return 0;
  const cat = await tx.query<{ category: string }>(`SELECT category FROM incidents WHERE source = 'crimes' AND provider = 'synthetic' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
  if (!cat.rows.length) return 0;
  const rng = seedrandom(`sample-place-${key}`);
  const plan: [region: 'place' | 'ring', year: number, n: number][] = demo === 'improved'
    ? [['place', 2024, 45], ['place', 2025, 12]]
    : [['place', 2024, 60], ['place', 2025, 15], ['ring', 2025, 45]];
  const rows: IncidentInput[] = [];
  let seed = 1;
  for (const [region, year, n] of plan) {
    const geom = region === 'place' ? 'p.geom' : 'ST_Difference(ST_Buffer(p.geom, 200), ST_Buffer(p.geom, 20))';
    const pts = await tx.query<{ x: number; y: number }>(
      `SELECT ST_X(g.geom) AS x, ST_Y(g.geom) AS y FROM places p, LATERAL ST_Dump(ST_GeneratePoints(${geom}, $2::int, $3::int)) g WHERE p.id = $1`, [placeId, n, seed++]);
    pts.rows.forEach((pt, i) => {
      const day = addDays(`${year}-01-01`, Math.floor(rng() * 365));
      const hour = 10 + Math.floor(rng() * 12);
      rows.push({ externalId: `SYN-PLACE-${key}-${region}-${year}-${i}`, category: cat.rows[0].category, occurredFrom: new Date(`${day}T${String(hour).padStart(2, '0')}:${String(Math.floor(rng() * 60)).padStart(2, '0')}:00Z`), x: pt.x, y: pt.y, precision: 'exact' });
    });
  }
  await writeIncidents(tx, 'crimes', 'synthetic', rows);
  return rows.length;
}

export async function ensureSamplePlaces(db: Db, log: (msg: string) => void = () => {}, surveyMinRespondents = 30): Promise<number> {
  const stations = stationCoordinates();
  let created = 0;
  for (const s of SAMPLES) {
    const at = stations.get(s.station);
    if (!at) { log(`sample places: no metro station "${s.station}" in the bundled data; skipped`); continue; }
    await db.transaction(async (tx) => {
      const g = await tx.query<{ hex: string }>(
        `SELECT ST_AsHEXEWKB(ST_Multi(ST_Buffer(ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 3006), 80, 'quad_segs=2'))) AS hex`, at);
      const hex = g.rows[0].hex;
      const district = await districtForGeometry(tx, hex);
      const ins = await tx.query<{ id: number }>(
        `INSERT INTO places (external_id, name, geom, district_area_id, partners, status, start_date, end_date, description, synthetic)
         VALUES ($1, $2, $3::geometry, $4, $5, $6, $7, $8, $9, true) ON CONFLICT (external_id) DO NOTHING RETURNING id`,
        [`sample:${s.key}`, s.name + SUFFIX, hex, district, JSON.stringify(s.partners), s.status, s.startDate, s.endDate, s.description]);
      if (!ins.rows.length) return;
      const id = Number(ins.rows[0].id);
      created++;
      await bumpDataVersion(tx, 'sample place created');
      if (s.demo) {
        const n = await addDemoEffect(tx, id, s.key, s.demo);
        if (n) log(`sample places: added ${n} SYNTHETIC crimes at ${s.name} for a demo ${s.demo} effect`);
      }
      for (const m of s.measures) await insertMeasure(tx, id, m);
      // an incident goal: 20 % fewer reported crimes inside the place than in the year before the start
      const baselineTo = addDays(s.startDate, -1);
      const baselineFrom = `${Number(baselineTo.slice(0, 4)) - 1}${baselineTo.slice(4)}`;
      const from = addDays(baselineFrom, 1);
      const crimes: GoalIndicator = { type: 'incidents', source: 'crimes', categories: [] };
      const base = await measureBaseline(tx, id, { indicator: crimes, baselineFrom: from, baselineTo }, surveyMinRespondents);
      await insertGoal(tx, id, {
        description: 'Minska anmälda brott i platsen med 20 % jämfört med året före starten (högst 3 om de redan är få).', indicator: crimes,
        // a target derived from a small baseline would reveal it (the public sees counts below k as null)
        baselineFrom: from, baselineTo, targetValue: base !== null && base >= 10 ? Math.round(base * 0.8) : 3, deadline: s.goalDeadline,
      }, surveyMinRespondents);
      // a survey goal when a survey is loaded: the district's share worried about crime, 10 % lower
      const ind = await tx.query<{ code: string }>(`SELECT code FROM survey_indicators WHERE direction = 'higher-is-worse' ORDER BY code LIMIT 1`);
      if (ind.rows.length) {
        const survey: GoalIndicator = { type: 'survey', indicator: ind.rows[0].code, group: 'all' };
        const sb = await measureBaseline(tx, id, { indicator: survey, baselineFrom: `${baselineTo.slice(0, 4)}-01-01`, baselineTo }, surveyMinRespondents);
        if (sb !== null) {
          await insertGoal(tx, id, {
            description: 'Lägre andel i stadsdelen som upplever otrygghet (trygghetsmätningen), 10 % lägre än vid starten.', indicator: survey,
            baselineFrom: `${baselineTo.slice(0, 4)}-01-01`, baselineTo, targetValue: Math.round(sb * 0.9 * 1000) / 1000, deadline: s.goalDeadline,
          }, surveyMinRespondents);
        }
      }
    });
  }
  if (created) log(`sample places: created ${created} synthetic platssamverkan places`);
  return created;
}
