// `area-counts` — aggregated counts per area and period, as statistics databases publish them (reported crimes per
// municipality and month): CSV/;-CSV/XLSX area_code,period,category,count for the areas of --area-set, counting
// --source (default crimes). A period is a month (2025-03), quarter (2025-Q1, 2025K1) or year (2025), one granularity
// per file and per (area set, source), so counts of different granularities never overlap; an area is named by its
// code (or its name), a category by its code (or its Swedish or English label) among the source's categories. Stored
// apart from the incidents (area_counts, migration 040) and upserted by (source, area, category, period): the same
// file twice changes nothing. /api/stats answers them for that area set (domain/area-counts/).
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { bumpDataVersion } from '../../domain/data-version/data-version.js';
import { GRANULARITY_LABELS, parseCountPeriod, periodLabel, type Granularity } from '../../domain/area-counts/count-periods.js';
import { ImportFileError } from '../errors.js';
import { assertNoRejections, type ImportContext, type KindResult } from '../import-context.js';
import { readValidatedCsv } from './small-csv.js';
import { parsed } from './zod-values.js';

export const AREA_COUNT_COLUMNS = ['area_code', 'period', 'category', 'count'] as const;

/** A count: a whole number ≥ 0, with Swedish thousands separators ("1 234") and a zero decimal part ("12,0") allowed. */
export function parseCount(raw: string): { ok: true; value: number } | { ok: false; reason: string } {
  const s = raw.trim().replace(/[\s\u00a0\u202f]/g, '').replace(/[.,]0+$/, '');
  const q = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
  if (s === '') return { ok: false, reason: 'is missing' };
  if (!/^\d+$/.test(s)) return { ok: false, reason: `${q} is not a count (a whole number ≥ 0)` };
  const v = Number(s);
  if (v > 100_000_000) return { ok: false, reason: `${q} is outside 0–100000000` };
  return { ok: true, value: v };
}

const schema = z.object({
  area_code: z.string().transform((s) => s.trim()).pipe(z.string().min(1, 'is missing')),
  period: parsed(parseCountPeriod),
  category: z.string().transform((s) => s.trim()).pipe(z.string().min(1, 'is missing').max(200, 'is longer than 200 characters')),
  count: parsed(parseCount),
});

const fold = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('sv');
const digitsKey = (s: string) => (/^\d+$/.test(s) ? s.replace(/^0+(?=\d)/, '') : null);

/** Area lookup of the set: the code exactly, case-insensitively, without leading zeros (a spreadsheet's 180 for 0180), then the name. */
async function areaLookup(ctx: ImportContext, setId: string | undefined): Promise<(s: string) => number | undefined> {
  if (!setId) throw new ImportFileError('an area-counts file needs --area-set <id>: which area set the area codes refer to (e.g. kommuner-ab)');
  const set = await ctx.tx.query('SELECT 1 FROM area_sets WHERE id = $1', [setId]);
  if (!set.rows.length) throw new ImportFileError(`no area set "${setId}" (GET /api/area-sets lists them; import boundaries with the areas kind)`);
  const r = await ctx.tx.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM areas WHERE area_set_id = $1', [setId]);
  const exact = new Map<string, number>(), loose = new Map<string, number>(), digits = new Map<string, number>(), names = new Map<string, number>();
  for (const a of r.rows) {
    const id = Number(a.id);
    exact.set(a.code, id); loose.set(fold(a.code), id); names.set(fold(a.name), id);
    const d = digitsKey(a.code); if (d !== null) digits.set(d, id);
  }
  return (s) => exact.get(s) ?? loose.get(fold(s)) ?? (digitsKey(s) !== null ? digits.get(digitsKey(s)!) : undefined) ?? names.get(fold(s));
}

export async function importAreaCounts(ctx: ImportContext, input: Readable): Promise<KindResult> {
  const { tx, options } = ctx;
  const source = options.source ?? 'crimes';
  const setId = options.areaSet;
  const area = await areaLookup(ctx, setId);
  const cats = await tx.query<{ code: string; label_sv: string; label_en: string }>('SELECT code, label_sv, label_en FROM categories WHERE source = $1', [source]);
  if (!cats.rows.length) throw new ImportFileError(`source ${source} has no categories yet: import its categories (code,label_sv,label_en,group) first`);
  const category = new Map<string, string>();
  for (const c of cats.rows) for (const k of [c.label_en, c.label_sv, c.code]) category.set(fold(k), c.code); // a code wins over a label
  const stored = await tx.query<{ granularity: Granularity }>(
    `SELECT DISTINCT c.granularity FROM area_counts c JOIN areas a ON a.id = c.area_id WHERE a.area_set_id = $1 AND c.source = $2`, [setId, source]);
  let granularity: Granularity | null = stored.rows[0]?.granularity ?? null;
  const firstOf = stored.rows.length ? 'the counts already stored for this area set and source are' : null;
  let firstLine = 0;

  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _area_counts_import (line int, area_id bigint, category text, granularity text,
    period_from date, period_to date, count int) ON COMMIT DROP`);
  await tx.query('TRUNCATE _area_counts_import');
  let buf: unknown[][] = [];
  const flush = async () => { if (buf.length) await tx.copyRows('_area_counts_import', ['line', 'area_id', 'category', 'granularity', 'period_from', 'period_to', 'count'], buf); buf = []; };
  // the preview's rows as stored (area resolved, category as its code, the period as the counts name it), not as read
  const rowsRead = await readValidatedCsv({ ...ctx, sample: undefined }, input, 'area-counts', { required: [...AREA_COUNT_COLUMNS] }, schema, async (r, line) => {
    const id = area(r.area_code);
    if (id === undefined) { ctx.errors.add({ line, column: 'area_code', reason: `area_code ${JSON.stringify(r.area_code)} is not in area set ${setId}` }); return; }
    const cat = category.get(fold(r.category));
    if (!cat) { ctx.errors.add({ line, column: 'category', reason: `category ${JSON.stringify(r.category)} is not a category of ${source} (GET /api/categories?source=${source} lists them; a mapping's values can translate the file's names)` }); return; }
    const g = r.period.granularity;
    if (granularity === null) { granularity = g; firstLine = line; }
    else if (g !== granularity) {
      const by = firstOf ?? `line ${firstLine} made this file's counts`;
      ctx.errors.add({ line, column: 'period', reason: `period ${JSON.stringify(r.period.from.slice(0, g === 'year' ? 4 : 7))} is a ${g}, but ${by} ${GRANULARITY_LABELS[granularity].en} (one granularity per area set and source, so counts never overlap)` });
      return;
    }
    ctx.sample?.(line, { area_code: r.area_code, areaId: id, period: periodLabel(r.period), periodFrom: r.period.from, periodTo: r.period.to, granularity: g, category: cat, count: r.count });
    buf.push([line, id, cat, g, r.period.from, r.period.to, r.count]);
    if (buf.length >= 20_000) await flush();
  });
  await flush();
  const dup = await tx.query<{ line: number; first: number }>(
    `SELECT line, first FROM (SELECT line, min(line) OVER (PARTITION BY area_id, category, period_from) AS first FROM _area_counts_import) t WHERE line > first ORDER BY line LIMIT 1000`);
  for (const d of dup.rows) ctx.errors.add({ line: d.line, reason: `repeats the area, period and category of line ${d.first}` });
  assertNoRejections(ctx);
  const w = await tx.query<{ ins: boolean }>(
    `INSERT INTO area_counts (source, area_id, category, granularity, period_from, period_to, count, batch_id)
     SELECT DISTINCT ON (area_id, category, period_from) $1, area_id, category, granularity, period_from, period_to, count, $2
     FROM _area_counts_import ORDER BY area_id, category, period_from, line
     ON CONFLICT (source, area_id, category, period_from, period_to) DO UPDATE SET count = EXCLUDED.count, batch_id = EXCLUDED.batch_id
     WHERE area_counts.count IS DISTINCT FROM EXCLUDED.count
     RETURNING (xmax = 0) AS ins`, [source, ctx.batchId]);
  const inserted = w.rows.filter((x) => x.ins).length;
  if (w.rows.length) await bumpDataVersion(tx, `aggregated ${source} counts of set ${setId} changed`);
  const valid = rowsRead - ctx.errors.count;
  return {
    rowsRead, inserted, updated: w.rows.length - inserted, unchanged: Math.max(0, valid - w.rows.length),
    notes: granularity ? [`${source} counts ${GRANULARITY_LABELS[granularity].en} for area set ${setId}`] : [],
  };
}
