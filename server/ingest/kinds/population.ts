// `population` — CSV area_code,year,sex,age_band,population for the areas of --area-set. Upsert by
// (area, year, sex, age band): the same file twice changes nothing.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { bumpDataVersion } from '../../domain/data-version/data-version.js';
import { assertNoRejections, type ImportContext, type KindResult } from '../import-context.js';
import { loadAreaCodes } from './area-codes.js';
import { readValidatedCsv } from './small-csv.js';
import { intIn, oneOf } from './zod-values.js';

const schema = z.object({
  area_code: z.string().min(1, 'is missing'),
  year: intIn(1900, 2100),
  sex: oneOf(['all', 'female', 'male'] as const),
  age_band: z.string().regex(/^(all|\d{1,3}-\d{1,3}|\d{1,3}\+)$/, 'is not an age band (all, 16-29, 80+ …)'),
  population: intIn(0, 100_000_000),
});

export async function importPopulation(ctx: ImportContext, input: Readable): Promise<KindResult> {
  const { tx } = ctx;
  const area = await loadAreaCodes(tx, ctx.options.areaSet, 'population');
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS _pop_import (line int, area_id bigint, year int, sex text, age_band text, population int) ON COMMIT DROP`);
  await tx.query('TRUNCATE _pop_import');
  let buf: unknown[][] = [];
  const flush = async () => { if (buf.length) await tx.copyRows('_pop_import', ['line', 'area_id', 'year', 'sex', 'age_band', 'population'], buf); buf = []; };
  const rowsRead = await readValidatedCsv(ctx, input, 'population', { required: ['area_code', 'year', 'sex', 'age_band', 'population'] }, schema, async (r, line) => {
    const id = area(r.area_code);
    if (id === undefined) { ctx.errors.add({ line, column: 'area_code', reason: `area_code ${JSON.stringify(r.area_code)} is not in area set ${ctx.options.areaSet}` }); return; }
    buf.push([line, id, r.year, r.sex, r.age_band, r.population]);
    if (buf.length >= 20_000) await flush();
  });
  await flush();
  const dup = await tx.query<{ line: number; first: number }>(
    `SELECT line, first FROM (SELECT line, min(line) OVER (PARTITION BY area_id, year, sex, age_band) AS first FROM _pop_import) t WHERE line > first ORDER BY line LIMIT 1000`);
  for (const d of dup.rows) ctx.errors.add({ line: d.line, reason: `repeats the area_code, year, sex and age_band of line ${d.first}` });
  assertNoRejections(ctx);
  const r = await tx.query<{ ins: boolean }>(
    `INSERT INTO population (area_id, year, sex, age_band, population, batch_id)
     SELECT DISTINCT ON (area_id, year, sex, age_band) area_id, year, sex, age_band, population, $1 FROM _pop_import ORDER BY area_id, year, sex, age_band, line
     ON CONFLICT (area_id, year, sex, age_band) DO UPDATE SET population = EXCLUDED.population, batch_id = EXCLUDED.batch_id
     WHERE population.population IS DISTINCT FROM EXCLUDED.population
     RETURNING (xmax = 0) AS ins`, [ctx.batchId]);
  const inserted = r.rows.filter((x) => x.ins).length;
  const valid = rowsRead - ctx.errors.count;
  if (r.rows.length) await bumpDataVersion(tx, `population of set ${ctx.options.areaSet} changed`);
  return { rowsRead, inserted, updated: r.rows.length - inserted, unchanged: Math.max(0, valid - r.rows.length) };
}
