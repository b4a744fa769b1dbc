// Codes a request names must exist: a category of the source, an area set, a survey indicator or wave. An unknown
// code is a problem naming the parameter with the codes it may take (problems.ts unknownCode), never an answer full
// of zeros. The categories are those the principal may see listed (list-categories.ts: an undeclared code with
// fewer than k incidents is unknown to the public, as if it did not exist).
import type { Queryable } from '../../db/index.js';
import type { Source } from '../../../shared/sources.js';
import { listCategories } from '../categories/list-categories.js';
import { unknownCode } from '../problems.js';

export type NamedCodes = { source?: Source; category?: string[]; areaSet?: string; indicator?: string; wave?: string };

const codes = async (db: Queryable, sql: string) => (await db.query<{ c: string }>(sql)).rows.map((r) => r.c);

export async function checkKnownCodes(db: Queryable, q: NamedCodes, o: { exact: boolean; k: number }): Promise<void> {
  if (q.areaSet !== undefined && !(await db.query('SELECT 1 FROM area_sets WHERE id = $1', [q.areaSet])).rows.length) {
    throw unknownCode('areaSet', q.areaSet, await codes(db, 'SELECT id AS c FROM area_sets ORDER BY id'), { sv: 'områdesindelning', en: 'area set' });
  }
  if (q.category?.length) {
    const valid = (await listCategories(db, q.source ?? 'crimes', o)).map((c) => c.code);
    const known = new Set(valid);
    const bad = q.category.filter((c) => !known.has(c));
    if (bad.length) throw unknownCode('category', bad, valid, { sv: bad.length > 1 ? 'kategorier' : 'kategori', en: bad.length > 1 ? 'categories' : 'category' });
  }
  if (q.indicator !== undefined) {
    const valid = await codes(db, 'SELECT code AS c FROM survey_indicators ORDER BY code');
    if (!valid.includes(q.indicator)) throw unknownCode('indicator', q.indicator, valid, { sv: 'enkätindikator', en: 'survey indicator' });
  }
  if (q.wave !== undefined) {
    const valid = await codes(db, 'SELECT id AS c FROM survey_waves ORDER BY year DESC, id');
    if (!valid.includes(q.wave)) throw unknownCode('wave', q.wave, valid, { sv: 'mätning', en: 'survey wave' });
  }
}
