// `indicators` — CSV code,text_sv,text_en,kind,direction (kind share|mean; direction higher-is-worse|higher-is-better).
// `survey` — CSV long format wave,area_code,indicator,group,respondents,value[,ci_low,ci_high] for the areas of
// --area-set (the wave column may be left out when --wave is given). A share is 0–1; a mean any number. CIs are
// stored when given; the stats layer computes them from the respondents otherwise. Upsert by (wave, area, indicator, group).
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { bumpDataVersion } from '../../domain/data-version/data-version.js';
import { ImportFileError } from '../errors.js';
import { assertNoRejections, type ImportContext, type KindResult } from '../import-context.js';
import { loadAreaCodes } from './area-codes.js';
import { readValidatedCsv } from './small-csv.js';
import { code, finite, intIn, oneOf, optionalFinite, text } from './zod-values.js';

const indicatorSchema = z.object({
  code, text_sv: text(500), text_en: text(500),
  kind: oneOf(['share', 'mean'] as const), direction: oneOf(['higher-is-worse', 'higher-is-better'] as const),
});

export async function importIndicators(ctx: ImportContext, input: Readable): Promise<KindResult> {
  const rows: z.infer<typeof indicatorSchema>[] = [];
  const seen = new Map<string, number>();
  const rowsRead = await readValidatedCsv(ctx, input, 'indicators', { required: ['code', 'text_sv', 'text_en', 'kind', 'direction'] }, indicatorSchema, (r, line) => {
    const first = seen.get(r.code);
    if (first !== undefined) { ctx.errors.add({ line, column: 'code', reason: `code ${JSON.stringify(r.code)} is a duplicate of line ${first}` }); return; }
    seen.set(r.code, line);
    if (rows.length < 10_000) rows.push(r);
  });
  assertNoRejections(ctx);
  let inserted = 0, updated = 0;
  for (const r of rows) {
    const q = await ctx.tx.query<{ ins: boolean }>(
      `INSERT INTO survey_indicators (code, text_sv, text_en, kind, direction) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO UPDATE SET text_sv = EXCLUDED.text_sv, text_en = EXCLUDED.text_en, kind = EXCLUDED.kind, direction = EXCLUDED.direction
       WHERE (survey_indicators.text_sv, survey_indicators.text_en, survey_indicators.kind, survey_indicators.direction)
         IS DISTINCT FROM (EXCLUDED.text_sv, EXCLUDED.text_en, EXCLUDED.kind, EXCLUDED.direction)
       RETURNING (xmax = 0) AS ins`, [r.code, r.text_sv, r.text_en, r.kind, r.direction]);
    if (q.rows.length) { if (q.rows[0].ins) inserted++; else updated++; }
  }
  if (inserted + updated) await bumpDataVersion(ctx.tx, 'survey indicators changed');
  return { rowsRead, inserted, updated, unchanged: rows.length - inserted - updated };
}

const surveySchema = z.object({
  wave: z.string(),
  area_code: z.string().min(1, 'is missing'),
  indicator: code,
  group: z.string().transform((s) => s.trim().toLowerCase()).pipe(z.string().regex(/^(all|female|male|\d{1,3}-\d{1,3}|\d{1,3}\+)$/, 'is not all, female, male or an age band such as 16-29')),
  respondents: intIn(0, 10_000_000),
  value: finite,
  ci_low: optionalFinite,
  ci_high: optionalFinite,
});

export async function importSurvey(ctx: ImportContext, input: Readable): Promise<KindResult> {
  const { tx, options } = ctx;
  const area = await loadAreaCodes(tx, options.areaSet, 'survey');
  const ind = new Map((await tx.query<{ code: string; kind: string }>('SELECT code, kind FROM survey_indicators')).rows.map((r) => [r.code, r.kind]));
  if (!ind.size) throw new ImportFileError('no survey indicators are defined yet: import the indicators file (code,text_sv,text_en,kind,direction) first');
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _survey_import (line int, wave_id text, area_id bigint, indicator text, grp text, respondents int,
    value double precision, ci_low double precision, ci_high double precision, row_hash text) ON COMMIT DROP`);
  await tx.query('TRUNCATE _survey_import');
  let buf: unknown[][] = [];
  const waves = new Set<string>();
  let hasWaveCol = false;
  const flush = async () => { if (buf.length) await tx.copyRows('_survey_import', ['line', 'wave_id', 'area_id', 'indicator', 'grp', 'respondents', 'value', 'ci_low', 'ci_high', 'row_hash'], buf); buf = []; };
  const rowsRead = await readValidatedCsv(ctx, input, 'survey', { required: ['area_code', 'indicator', 'group', 'respondents', 'value'], optional: ['wave', 'ci_low', 'ci_high'] }, surveySchema, async (r, line) => {
    const wave = (hasWaveCol && r.wave.trim()) || options.wave;
    if (!wave) { ctx.errors.add({ line, column: 'wave', reason: 'wave is missing (give a wave column or --wave <id>)' }); return; }
    if (!/^[\p{L}\p{N}_.-]{1,40}$/u.test(wave)) { ctx.errors.add({ line, column: 'wave', reason: `wave ${JSON.stringify(wave)} is not a wave id (letters, digits, _ . -)` }); return; }
    const kind = ind.get(r.indicator);
    if (!kind) { ctx.errors.add({ line, column: 'indicator', reason: `indicator ${JSON.stringify(r.indicator)} is not defined (import it in the indicators file first)` }); return; }
    const id = area(r.area_code);
    if (id === undefined) { ctx.errors.add({ line, column: 'area_code', reason: `area_code ${JSON.stringify(r.area_code)} is not in area set ${options.areaSet}` }); return; }
    if (kind === 'share' && (r.value < 0 || r.value > 1)) { ctx.errors.add({ line, column: 'value', reason: `value ${r.value} is not a share between 0 and 1 (indicator ${r.indicator} is a share)` }); return; }
    if ((r.ci_low === null) !== (r.ci_high === null)) { ctx.errors.add({ line, column: r.ci_low === null ? 'ci_low' : 'ci_high', reason: 'give both ci_low and ci_high or neither' }); return; }
    if (r.ci_low !== null && r.ci_high !== null && !(r.ci_low <= r.value && r.value <= r.ci_high)) { ctx.errors.add({ line, column: 'ci_low', reason: `ci_low ${r.ci_low} … ci_high ${r.ci_high} does not contain value ${r.value}` }); return; }
    waves.add(wave);
    const hash = crypto.createHash('sha1').update(JSON.stringify([r.respondents, r.value, r.ci_low, r.ci_high])).digest('base64');
    buf.push([line, wave, id, r.indicator, r.group, r.respondents, r.value, r.ci_low, r.ci_high, hash]);
    if (buf.length >= 20_000) await flush();
  }, (h) => { hasWaveCol = h.index.has('wave'); if (!hasWaveCol && !options.wave) throw new ImportFileError('line 1: the header has no wave column: add one or give --wave <id>'); });
  await flush();
  const dup = await tx.query<{ line: number; first: number }>(
    `SELECT line, first FROM (SELECT line, min(line) OVER (PARTITION BY wave_id, area_id, indicator, grp) AS first FROM _survey_import) t WHERE line > first ORDER BY line LIMIT 1000`);
  for (const d of dup.rows) ctx.errors.add({ line: d.line, reason: `repeats the wave, area_code, indicator and group of line ${d.first}` });
  assertNoRejections(ctx);
  for (const w of waves) {
    const year = options.year ?? Number(/(19|20|21)\d\d/.exec(w)?.[0] ?? NaN);
    if (!Number.isFinite(year)) throw new ImportFileError(`cannot tell the year of wave "${w}": give --year`);
    await tx.query(
      `INSERT INTO survey_waves (id, name, year, area_set_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = COALESCE($5, survey_waves.name), year = EXCLUDED.year, area_set_id = EXCLUDED.area_set_id`,
      [w, options.waveName ?? `Trygghetsmätning ${w}`, year, options.areaSet, options.waveName ?? null]);
  }
  const r = await tx.query<{ ins: boolean }>(
    `INSERT INTO survey_results (wave_id, area_id, indicator, grp, respondents, value, ci_low, ci_high, row_hash, batch_id)
     SELECT DISTINCT ON (wave_id, area_id, indicator, grp) wave_id, area_id, indicator, grp, respondents, value, ci_low, ci_high, row_hash, $1
     FROM _survey_import ORDER BY wave_id, area_id, indicator, grp, line
     ON CONFLICT (wave_id, area_id, indicator, grp) DO UPDATE SET respondents = EXCLUDED.respondents, value = EXCLUDED.value,
       ci_low = EXCLUDED.ci_low, ci_high = EXCLUDED.ci_high, row_hash = EXCLUDED.row_hash, batch_id = EXCLUDED.batch_id
     WHERE survey_results.row_hash <> EXCLUDED.row_hash
     RETURNING (xmax = 0) AS ins`, [ctx.batchId]);
  const inserted = r.rows.filter((x) => x.ins).length;
  if (r.rows.length) await bumpDataVersion(tx, `survey results of wave ${[...waves].join(', ')} changed`);
  const valid = rowsRead - ctx.errors.count;
  return { rowsRead, inserted, updated: r.rows.length - inserted, unchanged: Math.max(0, valid - r.rows.length) };
}
