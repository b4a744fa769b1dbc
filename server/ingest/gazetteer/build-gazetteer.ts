// The gazetteer for placing police events by their text: the bundled stadsdelar (117 districts of Stockholm
// city), basområden (419) and metro stations (a station → the district that contains it), plus the
// municipalities of Stockholms län. Built from the database, so the area ids are the ones incidents point to.
import fs from 'node:fs';
import type { FeatureCollection, Point } from 'geojson';
import type { Queryable } from '../../db/index.js';
import { bundled, REFERENCE_SETS } from '../../domain/bundled-files.js';

export type GazetteerPlace = {
  /** the name as written in the text (title case) */
  name: string;
  kind: 'stadsdel' | 'basomrade' | 'station';
  /** precision an event reaches when this name places it */
  precision: 'district' | 'basomrade';
  /** the area recorded as the event's location (a stadsdel, or a basområde) */
  areaId: number;
  /** the stadsdel this place lies in (to check that several names in one text agree) */
  districtId: number;
  /** kommunkod of the municipality the place lies in */
  kommun: string;
};

export type Gazetteer = {
  places: GazetteerPlace[];
  /** municipality name (kom_namn, e.g. "Stockholm", "Södertälje") → kommuner-ab area */
  municipalities: Map<string, { areaId: number; code: string }>;
  countyAreaId: number | null;
};

/** Strip the direction suffix of basområde names ("Norra Bantorget V", "Centralstationen S"). */
function baseName(n: string): string {
  return n.replace(/\s+[NSVÖ]$/u, '').trim();
}

export async function buildGazetteer(db: Queryable): Promise<Gazetteer> {
  const S = REFERENCE_SETS;
  const districts = (await db.query<{ id: number; name: string }>(`SELECT id, name FROM areas WHERE area_set_id = $1`, [S.stadsdelar])).rows;
  const stockholm = (await db.query<{ code: string }>(`SELECT code FROM areas WHERE area_set_id = $1 AND name = 'Stockholm'`, [S.kommuner])).rows[0]?.code ?? '0180';
  const places: GazetteerPlace[] = districts.map((d) => ({ name: d.name, kind: 'stadsdel', precision: 'district', areaId: Number(d.id), districtId: Number(d.id), kommun: stockholm }));
  const districtNames = new Set(districts.map((d) => d.name.toLowerCase()));

  // basområden: each placed in the district containing its point on surface; a name shared by several
  // basområden in one district places at the district, across districts it is ambiguous and left out
  const bas = (await db.query<{ id: number; name: string; district_id: number | null }>(
    `SELECT b.id, b.name, (SELECT d.id FROM areas d WHERE d.area_set_id = $2 AND ST_Covers(d.geom, ST_PointOnSurface(b.geom)) LIMIT 1) AS district_id
     FROM areas b WHERE b.area_set_id = $1`, [S.basomraden, S.stadsdelar])).rows;
  const byName = new Map<string, { id: number; district: number }[]>();
  for (const b of bas) {
    if (b.district_id === null) continue;
    const n = baseName(b.name);
    if (n.length < 4 || districtNames.has(n.toLowerCase())) continue;
    byName.set(n, [...(byName.get(n) ?? []), { id: Number(b.id), district: Number(b.district_id) }]);
  }
  for (const [name, list] of byName) {
    const ds = new Set(list.map((l) => l.district));
    if (ds.size !== 1) continue;
    const district = list[0].district;
    if (list.length === 1) places.push({ name, kind: 'basomrade', precision: 'basomrade', areaId: list[0].id, districtId: district, kommun: stockholm });
    else places.push({ name, kind: 'basomrade', precision: 'district', areaId: district, districtId: district, kommun: stockholm });
  }

  // metro stations: the district containing the station (stations outside Stockholm city refine nothing)
  const stations = (JSON.parse(fs.readFileSync(bundled.metroStations, 'utf8')) as FeatureCollection<Point>).features;
  const located = await db.query<{ name: string; district_id: number | null }>(
    `SELECT s.name, (SELECT d.id FROM areas d WHERE d.area_set_id = $2 AND ST_Covers(d.geom, ST_Transform(ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326), 3006)) LIMIT 1) AS district_id
     FROM jsonb_to_recordset($1::jsonb) AS s(name text, lon double precision, lat double precision)`,
    [JSON.stringify(stations.map((f) => ({ name: String(f.properties?.name), lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }))), S.stadsdelar]);
  const known = new Set(places.map((p) => p.name.toLowerCase()));
  for (const s of located.rows) {
    if (s.district_id === null || known.has(s.name.toLowerCase())) continue;
    places.push({ name: s.name, kind: 'station', precision: 'district', areaId: Number(s.district_id), districtId: Number(s.district_id), kommun: stockholm });
    known.add(s.name.toLowerCase());
  }

  const municipalities = new Map((await db.query<{ id: number; code: string; name: string }>(
    `SELECT id, code, name FROM areas WHERE area_set_id = $1`, [S.kommuner])).rows.map((r) => [r.name, { areaId: Number(r.id), code: r.code }]));
  const county = (await db.query<{ id: number }>(`SELECT id FROM areas WHERE area_set_id = $1 LIMIT 1`, [S.county])).rows[0];
  return { places, municipalities, countyAreaId: county ? Number(county.id) : null };
}
