// CSV imports of the point-like sources (crimes, shootings, guard-reports, citizen-reports): each row validated
// with zod, its location resolved (x,y in --crs, lat,lon in WGS84, or area_code in --area-set), staged by COPY in
// chunks (memory does not grow with the file), duplicates found in SQL, then one upsert and one rollup refresh.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { CATEGORY_CODE_CHAR } from '../../../shared/categories.js';
import type { PointSource } from '../../../shared/sources.js';
import { RowView, type CsvHeader } from '../csv-reader.js';
import { toSweref, type Crs } from '../crs.js';
import { ImportFileError } from '../errors.js';
import { inExtent, loadPointExtent, outsideHint, type Extent } from '../extent.js';
import { assertNoRejections, type ImportContext, type KindResult } from '../import-context.js';
import { parseBool, parseFiniteNumber, parseInstant } from '../parse-values.js';
import { readTable } from '../table-reader.js';

/** A Swedish point of another region: the file or the deployment's REGION is wrong, not the CRS. */
const OTHER_REGION = ' (it is in Sweden but not in this deployment\'s region, which REGION sets)';
import { findStagedDuplicates, mergeStagedIncidents, prepareIncidentStage, stageIncidents, type IncidentInput } from '../write-incidents.js';

export type IncidentKind = PointSource;

export const OUTCOMES = ['killed', 'injured', 'none', 'unknown'] as const;
export const INTERVENTIONS = ['avvisning', 'avlagsnande', 'omhandertagande', 'lob', 'gripande', 'rapport', 'annan'] as const;

type Spec = { time: string[]; timeTo?: string; category: string; categoryEnum?: readonly string[]; confirmed?: boolean; status?: boolean };
const SPECS: Record<IncidentKind, Spec> = {
  crimes: { time: ['occurred_from', 'occurred_at'], timeTo: 'occurred_to', category: 'category' },
  shootings: { time: ['occurred_at', 'occurred_from'], timeTo: 'occurred_to', category: 'outcome', categoryEnum: OUTCOMES, confirmed: true },
  'guard-reports': { time: ['occurred_at', 'occurred_from'], timeTo: 'occurred_to', category: 'intervention', categoryEnum: INTERVENTIONS },
  'citizen-reports': { time: ['reported_at', 'occurred_at', 'occurred_from'], category: 'category', status: true },
};

const CHUNK = 20_000;
const CODE = new RegExp(`^${CATEGORY_CODE_CHAR}{1,64}$`, 'u');

function custom<T>(parse: (s: string) => { ok: true; value: T } | { ok: false; reason: string }) {
  return z.string().transform((s, ctx) => {
    const r = parse(s);
    if (!r.ok) { ctx.addIssue({ code: 'custom', message: r.reason }); return z.NEVER; }
    return r.value;
  });
}

function rowSchema(spec: Spec) {
  const optionalText = (s: string) => (s === '' ? null : s);
  return z.object({
    id: z.string().min(1, 'is missing').max(200, 'is longer than 200 characters'),
    from: custom(parseInstant),
    to: z.string().transform(optionalText).pipe(custom(parseInstant).nullable()),
    category: spec.categoryEnum
      ? z.string().transform((s) => s.toLowerCase()).pipe(z.enum(spec.categoryEnum as [string, ...string[]], { error: (i) => `${JSON.stringify(i.input)} is not one of ${spec.categoryEnum!.join('|')}` }))
      : z.string().min(1, 'is missing').regex(CODE, 'is not a category code (letters, digits, _ . : -, at most 64)'),
    confirmed: z.string().transform(optionalText).pipe(custom(parseBool).nullable()),
    status: z.string().max(40, 'is longer than 40 characters').transform(optionalText),
  });
}

type Located = { x: number; y: number; areaId: null } | { x: null; y: null; areaId: number };

export async function importIncidentCsv(ctx: ImportContext, kind: IncidentKind, input: Readable): Promise<KindResult> {
  const spec = SPECS[kind];
  const schema = rowSchema(spec);
  const { tx, options, errors } = ctx;
  const extent: Extent = await loadPointExtent(tx);
  const crs: Crs = options.crs ?? 'EPSG:3006';
  const project = toSweref(crs);
  const wgs = toSweref('EPSG:4326');
  let areaCodes: Map<string, number> | null = null;
  let header!: CsvHeader;
  let timeCol = spec.time[0];
  let mode = { xy: false, latlon: false, area: false };
  const stats = { exact: 0, area: 0 };
  let rowsRead = 0;
  let chunk: IncidentInput[] = [];

  await prepareIncidentStage(tx);
  // Double buffering: a chunk's COPY runs in PostgreSQL while the next chunk is parsed here, so the two processes
  // work at the same time instead of taking turns. One COPY at a time: the transaction has one connection.
  let staging: Promise<unknown> = Promise.resolve();
  const flush = async () => {
    if (!chunk.length) return;
    const rows = chunk;
    chunk = [];
    await staging;
    staging = stageIncidents(tx, rows);
    staging.catch(() => {}); // a failure surfaces at the next await of `staging`, not as an unhandled rejection
  };

  const onHeader = async (h: CsvHeader) => {
    header = h;
    timeCol = spec.time.find((c) => h.index.has(c)) ?? spec.time[0];
    const need = ['id', timeCol, spec.category];
    const missing = need.filter((c) => !h.index.has(c));
    mode = { xy: h.index.has('x') && h.index.has('y'), latlon: h.index.has('lat') && (h.index.has('lon') || h.index.has('lng')), area: h.index.has('area_code') };
    if (missing.length) throw new ImportFileError(`line 1: the header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (a ${kind} file has ${['id', spec.time[0], spec.timeTo, spec.category].filter(Boolean).join(', ')} and x,y or lat,lon or area_code; found: ${h.columns.join(', ')})`);
    if (!mode.xy && !mode.latlon && !mode.area) throw new ImportFileError(`line 1: the header has no location columns: give x,y (in --crs, default EPSG:3006), lat,lon (WGS84) or area_code (with --area-set); found: ${h.columns.join(', ')}`);
    if (mode.area && !options.areaSet) throw new ImportFileError('the file has an area_code column: say which area set the codes refer to with --area-set <id>');
  };

  const loadAreas = async () => {
    const set = await tx.query<{ id: string }>('SELECT id FROM area_sets WHERE id = $1', [options.areaSet]);
    if (!set.rows.length) throw new ImportFileError(`no area set "${options.areaSet}" (import it first with the areas kind)`);
    const r = await tx.query<{ id: number; code: string }>('SELECT id, code FROM areas WHERE area_set_id = $1', [options.areaSet]);
    areaCodes = new Map(r.rows.map((a) => [a.code.normalize('NFC').toUpperCase(), Number(a.id)]));
  };

  const locate = (v: RowView): Located | { error: { column: string; reason: string } } => {
    const num = (col: string) => parseFiniteNumber(v.get(col), header.decimalComma ?? header.delimiter === ';');
    if (mode.xy && (v.get('x') !== '' || v.get('y') !== '')) {
      const x = num('x'); if (!x.ok) return { error: { column: 'x', reason: `x ${x.reason}` } };
      const y = num('y'); if (!y.ok) return { error: { column: 'y', reason: `y ${y.reason}` } };
      const [px, py] = project(x.value, y.value);
      if (!inExtent(extent, px, py)) {
        const hint = outsideHint(extent, px, py) === 'other-region' ? OTHER_REGION
          : crs === 'EPSG:3006' && Math.abs(x.value) <= 180 && Math.abs(y.value) <= 90 ? ' (these look like WGS84 degrees: use lat,lon columns or --crs EPSG:4326)' : ' (wrong --crs?)';
        return { error: { column: 'x', reason: `x,y point (${v.get('x')}, ${v.get('y')}) in ${crs} lies outside ${extent.label}${hint}` } };
      }
      return { x: px, y: py, areaId: null };
    }
    const lonCol = header.index.has('lon') ? 'lon' : 'lng';
    if (mode.latlon && (v.get('lat') !== '' || v.get(lonCol) !== '')) {
      const lat = num('lat'); if (!lat.ok) return { error: { column: 'lat', reason: `lat ${lat.reason}` } };
      const lon = num(lonCol); if (!lon.ok) return { error: { column: lonCol, reason: `${lonCol} ${lon.reason}` } };
      if (Math.abs(lat.value) > 90 || Math.abs(lon.value) > 180) return { error: { column: 'lat', reason: `lat,lon (${lat.value}, ${lon.value}) are not WGS84 degrees` } };
      const [px, py] = wgs(lon.value, lat.value);
      if (!inExtent(extent, px, py)) return { error: { column: 'lat', reason: `lat,lon point (${lat.value}, ${lon.value}) lies outside ${extent.label}${outsideHint(extent, px, py) === 'other-region' ? OTHER_REGION : ''}` } };
      return { x: px, y: py, areaId: null };
    }
    if (mode.area && v.get('area_code') !== '') {
      const code = v.get('area_code');
      const id = areaCodes!.get(code.normalize('NFC').toUpperCase());
      if (id === undefined) return { error: { column: 'area_code', reason: `area_code ${JSON.stringify(code)} is not in area set ${options.areaSet}` } };
      return { x: null, y: null, areaId: id };
    }
    return { error: { column: mode.xy ? 'x' : mode.latlon ? 'lat' : 'area_code', reason: 'the row has no location (give x,y, lat,lon or area_code)' } };
  };

  let headerSeen = false;
  await readTable(input, (h) => { header = h; }, async (rec) => {
    if (!headerSeen) {
      headerSeen = true;
      await onHeader(header);
      if (mode.area) await loadAreas();
    }
    rowsRead++;
    if (rowsRead % 5000 === 0) ctx.progress(rowsRead);
    if (rec.fields.length !== header.columns.length) {
      errors.add({ line: rec.line, reason: `has ${rec.fields.length} fields but the header has ${header.columns.length}` });
      return;
    }
    const v = new RowView(header, rec.fields, rec.line);
    if (rec.fields.some((f) => f.includes('\uFFFD'))) { errors.add({ line: rec.line, reason: 'is not valid UTF-8 (save the file as UTF-8)' }); return; }
    const parsed = schema.safeParse({
      id: v.get('id'), from: v.get(timeCol), to: spec.timeTo ? v.get(spec.timeTo) : '', category: v.get(spec.category),
      confirmed: spec.confirmed ? v.get('confirmed') : '', status: spec.status ? v.get('status') : '',
    });
    if (!parsed.success) {
      const colOf: Record<string, string> = { id: 'id', from: timeCol, to: spec.timeTo ?? 'occurred_to', category: spec.category, confirmed: 'confirmed', status: 'status' };
      const iss = parsed.error.issues[0];
      const col = colOf[String(iss.path[0])] ?? String(iss.path[0]);
      errors.add({ line: rec.line, column: col, reason: `${col} ${iss.message}` });
      return;
    }
    const r = parsed.data;
    if (r.to && r.to.getTime() < r.from.getTime()) {
      errors.add({ line: rec.line, column: spec.timeTo, reason: `${spec.timeTo} ${JSON.stringify(v.get(spec.timeTo!))} is before ${timeCol} ${JSON.stringify(v.get(timeCol))}` });
      return;
    }
    const loc = locate(v);
    if ('error' in loc) { errors.add({ line: rec.line, ...loc.error }); return; }
    if (errors.count > 0 && !options.skipInvalid) return; // nothing will be written: only keep validating
    if (loc.areaId === null) stats.exact++; else stats.area++;
    chunk.push({
      line: rec.line, externalId: r.id, category: r.category, occurredFrom: r.from, occurredTo: r.to,
      x: loc.x, y: loc.y, locationAreaId: loc.areaId, precision: loc.areaId === null ? 'exact' : 'area',
      confirmed: spec.confirmed ? r.confirmed : null, status: spec.status ? r.status : null,
    });
    if (ctx.sample) ctx.sample(rec.line, {
      id: r.id, category: r.category, occurredFrom: r.from.toISOString(), occurredTo: r.to?.toISOString() ?? null,
      x: loc.x, y: loc.y, areaId: loc.areaId, precision: loc.areaId === null ? 'exact' : 'area',
      ...(spec.confirmed ? { confirmed: r.confirmed } : {}), ...(spec.status ? { status: r.status } : {}),
    });
    if (chunk.length >= CHUNK) await flush();
  }, options.mapping);
  if (!headerSeen && header) await onHeader(header);
  ctx.progress(rowsRead);
  await flush();
  await staging;
  const dups = await findStagedDuplicates(tx, 1000, options.skipInvalid);
  for (const d of dups.rows) errors.add({ line: d.line, column: 'id', reason: `id ${JSON.stringify(d.externalId)} is a duplicate of line ${d.firstLine}` });
  if (dups.total > dups.rows.length) for (let i = dups.rows.length; i < dups.total; i++) errors.count++;
  assertNoRejections(ctx);
  const w = await mergeStagedIncidents(tx, kind, ctx.provider, ctx.batchId);
  return { rowsRead, ...w, precision: { exact: stats.exact, area: stats.area - 0 } };
}
