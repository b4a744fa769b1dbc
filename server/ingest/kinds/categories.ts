// `categories` — CSV code,label_sv,label_en,group: the labels and groups of a source's category codes
// (--source, default crimes). Upsert by (source, code).
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { bumpDataVersion } from '../../domain/data-version/data-version.js';
import { assertNoRejections, type ImportContext, type KindResult } from '../import-context.js';
import { readValidatedCsv } from './small-csv.js';
import { code, text } from './zod-values.js';

const schema = z.object({ code, label_sv: text(200), label_en: text(200), group: z.string().regex(/^[\p{L}\p{N}_.-]{1,64}$/u, 'is not a group code (letters, digits, _ . -)') });

export async function importCategories(ctx: ImportContext, input: Readable): Promise<KindResult> {
  const rows: { line: number; code: string; sv: string; en: string; grp: string }[] = [];
  const seen = new Map<string, number>();
  const rowsRead = await readValidatedCsv(ctx, input, 'categories', { required: ['code', 'label_sv', 'label_en', 'group'] }, schema, (r, line) => {
    const first = seen.get(r.code);
    if (first !== undefined) { ctx.errors.add({ line, column: 'code', reason: `code ${JSON.stringify(r.code)} is a duplicate of line ${first}` }); return; }
    seen.set(r.code, line);
    if (rows.length < 100_000) rows.push({ line, code: r.code, sv: r.label_sv, en: r.label_en, grp: r.group });
  });
  assertNoRejections(ctx);
  const source = ctx.options.source ?? 'crimes';
  let inserted = 0, updated = 0;
  for (const r of rows) {
    const q = await ctx.tx.query<{ ins: boolean }>(
      `INSERT INTO categories (source, code, label_sv, label_en, grp) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (source, code) DO UPDATE SET label_sv = EXCLUDED.label_sv, label_en = EXCLUDED.label_en, grp = EXCLUDED.grp
       WHERE (categories.label_sv, categories.label_en, categories.grp) IS DISTINCT FROM (EXCLUDED.label_sv, EXCLUDED.label_en, EXCLUDED.grp)
       RETURNING (xmax = 0) AS ins`, [source, r.code, r.sv, r.en, r.grp]);
    if (q.rows.length) { if (q.rows[0].ins) inserted++; else updated++; }
  }
  if (inserted + updated) await bumpDataVersion(ctx.tx, `categories of ${source} changed`);
  return { rowsRead, inserted, updated, unchanged: rows.length - inserted - updated };
}
