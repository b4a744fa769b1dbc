// `areas` — a GeoJSON FeatureCollection of (Multi)Polygons → one area set (--area-set, created or replaced):
// code and name from --code-property / --name-property, optional parent codes (--parent-code-property) in
// --parent-set. Geometry checked before PostGIS; invalid polygons repaired only when the area changes < 0.1 %.
import type { Readable } from 'node:stream';
import type { MultiPolygon, Polygon } from 'geojson';
import { sridOf } from '../crs.js';
import { ImportFileError } from '../errors.js';
import { checkPolygonGeometry } from '../geometry-checks.js';
import { assertNoRejections, type ImportContext, type KindResult } from '../import-context.js';
import { writeAreaSet, type AreaFeatureInput } from '../write-area-set.js';
import { crsMismatch, readFeatureCollection } from './geojson-file.js';

export async function importAreas(ctx: ImportContext, input: Readable): Promise<KindResult> {
  const { tx, options: o } = ctx;
  if (!o.areaSet) throw new ImportFileError('an areas import needs --area-set <id> (the id of the set to create or replace)');
  const existing = await tx.query<{ is_reference: boolean }>('SELECT is_reference FROM area_sets WHERE id = $1', [o.areaSet]);
  if (existing.rows[0]?.is_reference) throw new ImportFileError(`area set "${o.areaSet}" is bundled reference data and cannot be replaced; import under another id`);
  if (o.parentSet) {
    const p = await tx.query('SELECT 1 FROM area_sets WHERE id = $1', [o.parentSet]);
    if (!p.rows.length) throw new ImportFileError(`no parent area set "${o.parentSet}"`);
  }
  const { features, crs, crsFrom } = await readFeatureCollection(input, o.crs);
  const codeProp = o.codeProperty ?? 'code';
  const nameProp = o.nameProperty ?? 'name';
  const feats: AreaFeatureInput[] = [];
  features.forEach((f, i) => {
    const n = i + 1;
    ctx.progress(n);
    const props = f?.properties ?? {};
    const codeRaw = props[codeProp];
    if (codeRaw === undefined || codeRaw === null || String(codeRaw).trim() === '') {
      ctx.errors.add({ line: n, unit: 'feature', column: codeProp, reason: `${codeProp} (the --code-property) is missing` });
      return;
    }
    const code = String(codeRaw).trim();
    const chk = checkPolygonGeometry(f?.geometry ?? null);
    if (!chk.ok) { ctx.errors.add({ line: n, unit: 'feature', column: 'geometry', reason: `geometry: ${chk.reason} (code ${JSON.stringify(code)})` }); return; }
    const bad = crsMismatch(chk.geometry, crs);
    if (bad) { ctx.errors.add({ line: n, unit: 'feature', column: 'geometry', reason: `geometry: ${bad}; CRS taken from ${crsFrom}` }); return; }
    const name = props[nameProp] ?? codeRaw;
    const parent = o.parentCodeProperty ? props[o.parentCodeProperty] : null;
    feats.push({ line: n, code, name: String(name).trim() || code, parentCode: parent === null || parent === undefined ? null : String(parent), geometry: chk.geometry as Polygon | MultiPolygon });
  });
  if (!features.length) throw new ImportFileError('the FeatureCollection has no features');
  assertNoRejections(ctx);
  const res = await writeAreaSet(tx, {
    id: o.areaSet, name: o.name ?? o.areaSet, level: o.level ?? 'custom', vintage: o.vintage ?? null, parentSetId: o.parentSet ?? null,
    source: `import batch ${ctx.batchId}`, batchId: ctx.batchId, srid: sridOf(crs), features: feats, skipInvalid: o.skipInvalid,
  });
  for (const r of res.rejected) ctx.errors.add({ ...r, unit: 'feature' });
  return { rowsRead: features.length, inserted: res.inserted, updated: res.updated, unchanged: res.unchanged, deleted: res.deleted, notes: [`CRS from ${crsFrom}: ${crs}`] };
}
