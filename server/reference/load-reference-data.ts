// Loads the bundled real boundaries and population of the deployment's region (REGION) whenever they are missing
// (both backends, first start, or the CLI before the server ever ran), and records the region in the database. Each
// set goes through the same writer as an `areas` import. The region's counties and municipalities come from the
// national boundaries; Stockholm city's district sets only when the region has Stockholm (0180).
import fs from 'node:fs';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { parse } from 'csv-parse/sync';
import type { Db, Queryable } from '../db/index.js';
import { writeAreaSet, type AreaFeatureInput, type AreaSetInput } from '../ingest/write-area-set.js';
import { bundled, REFERENCE_SETS, titleCase } from '../domain/bundled-files.js';
import { resolveRegion, type Region } from '../domain/region/resolve-region.js';
import { saveRegion } from '../domain/region/stored-region.js';

type AnyFeature = Feature<Polygon | MultiPolygon, Record<string, unknown>>;

function readFc(file: string): AnyFeature[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>).features as AnyFeature[];
}

function features(fs_: AnyFeature[], code: (p: Record<string, unknown>) => string, name: (p: Record<string, unknown>) => string,
  parent?: (p: Record<string, unknown>) => string | null): AreaFeatureInput[] {
  return fs_.map((f, i) => ({ line: i + 1, code: code(f.properties), name: name(f.properties), parentCode: parent?.(f.properties) ?? null, geometry: f.geometry }));
}

// Stockholm's reorganisation of 2023-07-01: 13 district-council areas became 11.
const MERGED_2023: Record<string, string> = {
  Norrmalm: 'Norra innerstaden', Östermalm: 'Norra innerstaden',
  'Rinkeby-Kista': 'Järva', 'Spånga-Tensta': 'Järva',
};

async function batch(tx: Queryable, file: string, setId: string): Promise<number> {
  const r = await tx.query<{ id: number }>(
    `INSERT INTO import_batches (kind, provider, file_name, options, imported_by) VALUES ('areas', 'bundled', $1, $2, 'system') RETURNING id`,
    [file.split('/').slice(-2).join('/'), { areaSet: setId }],
  );
  return Number(r.rows[0].id);
}

async function loadSet(tx: Queryable, file: string, input: Omit<AreaSetInput, 'batchId' | 'isReference' | 'srid'>): Promise<void> {
  const batchId = await batch(tx, file, input.id);
  const res = await writeAreaSet(tx, { ...input, srid: 4326, isReference: true, batchId });
  await tx.query(`UPDATE import_batches SET rows_read=$2, inserted=$3, updated=$4, unchanged=$5 WHERE id=$1`,
    [batchId, res.read, res.inserted, res.updated, res.unchanged]);
}

export async function ensureReferenceData(db: Db, log: (msg: string) => void = () => {}, region: Region = resolveRegion()): Promise<string[]> {
  const have = new Set((await db.query<{ id: string }>('SELECT id FROM area_sets')).rows.map((r) => r.id));
  const loaded: string[] = [];
  const S = REFERENCE_SETS;
  const step = async (id: string, fn: (tx: Queryable) => Promise<void>) => {
    if (have.has(id)) return;
    await db.transaction(fn);
    loaded.push(id);
    log(`loaded reference area set ${id}`);
  };
  const national = region.kommuner.length === 290;
  await step(region.countySetId, (tx) => loadSet(tx, bundled.lan, { id: region.countySetId,
    name: region.counties.length === 1 ? region.counties[0].name : national ? 'Sveriges län' : `Län (${region.counties.length})`,
    level: 'county', vintage: 2023, source: 'okfse/sweden-geojson',
    features: region.counties.map((c, i) => ({ line: i + 1, code: c.code, name: c.name, parentCode: null, geometry: c.feature.geometry })) }));
  await step(region.kommunSetId, (tx) => loadSet(tx, bundled.kommuner, { id: region.kommunSetId,
    name: region.kommunSetId === S.kommuner ? 'Kommuner i Stockholms län' : region.kommuner.length === 1 ? region.kommuner[0].name : `Kommuner: ${region.label}`,
    level: 'kommun', vintage: 2023, parentSetId: region.countySetId, source: 'okfse/sweden-geojson',
    features: region.kommuner.map((k, i) => ({ line: i + 1, code: k.code, name: k.name, parentCode: k.lanCode, geometry: k.feature.geometry })) }));
  if (!region.stockholmCity) {
    await saveRegion(db, region);
    return loaded;
  }
  await step(S.stadsdelsomraden2020, (tx) => loadSet(tx, bundled.stadsdelsomraden2020, { id: S.stadsdelsomraden2020,
    name: 'Stadsdelsnämndsområden 2020 (13)', level: 'stadsdelsomrade', vintage: 2020, parentSetId: region.kommunSetId, source: 'Stockholm dataportal',
    features: features(readFc(bundled.stadsdelsomraden2020), (p) => String(p.name), (p) => String(p.name), () => '0180') }));
  await step(S.stadsdelsomraden2023, async (tx) => {
    // dissolve the merged areas from the 2020 set (valid polygons only: the writer repairs before any union)
    const rows = await tx.query<{ name: string; gj: string }>(
      `SELECT name, ST_AsGeoJSON(ST_Transform(geom, 4326), 7) AS gj FROM areas WHERE area_set_id = $1 ORDER BY name`, [S.stadsdelsomraden2020]);
    const groups = new Map<string, string[]>();
    for (const r of rows.rows) {
      const n = MERGED_2023[r.name] ?? r.name;
      groups.set(n, [...(groups.get(n) ?? []), r.gj]);
    }
    const feats: AreaFeatureInput[] = [];
    let line = 1;
    for (const [name, gjs] of groups) {
      const g = gjs.length === 1 ? gjs[0] : (await tx.query<{ gj: string }>(
        `SELECT ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(ST_MakeValid(ST_GeomFromGeoJSON(g)))), 3)), 7) AS gj FROM unnest($1::text[]) g`, [gjs])).rows[0].gj;
      feats.push({ line: line++, code: name, name, parentCode: '0180', geometry: JSON.parse(g) });
    }
    await loadSet(tx, bundled.stadsdelsomraden2020, { id: S.stadsdelsomraden2023, name: 'Stadsdelsnämndsområden 2023 (11)',
      level: 'stadsdelsomrade', vintage: 2023, parentSetId: region.kommunSetId, source: 'derived from Stadsdelsnamndsomrade_2020 (2023 reorganisation)', features: feats });
  });
  await step(S.stadsdelar, (tx) => {
    const parents = new Map((parse(fs.readFileSync(bundled.stadsdelToOmrade2020, 'utf8'), { columns: true }) as Record<string, string>[])
      .map((r) => [r.stadsdel, r.stadsdelsomrade_2020]));
    return loadSet(tx, bundled.stadsdelar, { id: S.stadsdelar, name: 'Stadsdelar (117)', level: 'stadsdel', vintage: 2021,
      parentSetId: S.stadsdelsomraden2020, source: 'Stockholm stad Stadskarta 2021-04-13',
      features: features(readFc(bundled.stadsdelar), (p) => String(p.name), (p) => titleCase(String(p.name)), (p) => parents.get(String(p.name)) ?? null) });
  });
  await step(S.basomraden, async (tx) => {
    await loadSet(tx, bundled.basomraden, { id: S.basomraden, name: 'Basområden (419)', level: 'basomrade', vintage: 2016,
      parentSetId: region.kommunSetId, source: 'Stockholm stad via filipwastberg/swemaps2',
      features: features(readFc(bundled.basomraden), (p) => String(p.code), (p) => String(p.name), () => '0180') });
    const rows = parse(fs.readFileSync(bundled.basomradenPopulation, 'utf8'), { columns: true }) as Record<string, string>[];
    const batchId = await batch(tx, bundled.basomradenPopulation, S.basomraden);
    await tx.query(`UPDATE import_batches SET kind = 'population' WHERE id = $1`, [batchId]);
    await tx.query(`CREATE TEMP TABLE _pop_stage (code text, year int, sex text, age_band text, population int) ON COMMIT DROP`);
    await tx.copyRows('_pop_stage', ['code', 'year', 'sex', 'age_band', 'population'],
      rows.map((r) => [r.basomrade_code, Number(r.year), r.sex, r.age_band, Number(r.population)]));
    const ins = await tx.query(
      `INSERT INTO population (area_id, year, sex, age_band, population, batch_id)
       SELECT a.id, s.year, s.sex, s.age_band, s.population, $2 FROM _pop_stage s JOIN areas a ON a.area_set_id = $1 AND a.code = s.code
       ON CONFLICT DO NOTHING`, [S.basomraden, batchId]);
    await tx.query(`UPDATE import_batches SET rows_read = $2, inserted = $3 WHERE id = $1`, [batchId, rows.length, ins.rowCount]);
  });
  await saveRegion(db, region);
  return loaded;
}
