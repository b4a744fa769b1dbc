// The category codes of one source: the declared ones (categories table: Swedish and English label, group) and any
// code present in the incidents without a declaration, labelled by its code so a filter can still select it.
// An undeclared code is listed for roles without exact data only when it has at least k incidents: its mere
// existence would otherwise tell that 1..k−1 such events happened.
import type { Queryable } from '../../db/index.js';
import type { Source } from '../../../shared/sources.js';
import { groupLabel } from '../reports/section-scope.js';
import { memo } from '../data-version/memo.js';
import type { CategoryEntry } from './category-schema.js';

export type { CategoryEntry };

/** Undeclared codes of a source with their incident counts; one scan per data version. */
function undeclaredCodes(db: Queryable, source: Source): Promise<{ code: string; n: number }[]> {
  return memo(db, `undeclared-categories|${source}`, async () => (await db.query<{ code: string; n: number }>(
    `SELECT i.category AS code, count(*)::int AS n FROM incidents i
     WHERE i.source = $1 AND NOT EXISTS (SELECT 1 FROM categories c WHERE c.source = i.source AND c.code = i.category)
     GROUP BY i.category`, [source])).rows.map((r) => ({ code: r.code, n: Number(r.n) })));
}

export async function listCategories(db: Queryable, source: Source, o: { exact: boolean; k: number }): Promise<CategoryEntry[]> {
  const declared = await db.query<{ code: string; label_sv: string; label_en: string; grp: string }>(
    `SELECT code, label_sv, label_en, grp FROM categories WHERE source = $1`, [source]);
  const out: CategoryEntry[] = declared.rows.map((r) => ({
    code: r.code, label_sv: r.label_sv, label_en: r.label_en, group: r.grp || null,
    group_label_sv: r.grp ? groupLabel(r.grp, 'sv') : null, group_label_en: r.grp ? groupLabel(r.grp, 'en') : null, labelled: true,
  }));
  for (const u of await undeclaredCodes(db, source)) {
    if (!o.exact && u.n < o.k) continue;
    out.push({ code: u.code, label_sv: u.code, label_en: u.code, group: null, group_label_sv: null, group_label_en: null, labelled: false });
  }
  // grouped, then by Swedish label: the order a filter list shows them in
  return out.sort((a, b) => (a.group ?? '\uffff').localeCompare(b.group ?? '\uffff', 'sv') || a.label_sv.localeCompare(b.label_sv, 'sv') || a.code.localeCompare(b.code));
}
