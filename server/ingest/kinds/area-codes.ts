// Resolves area codes of an import against the --area-set (exact code first, then case-insensitively).
import type { Queryable } from '../../db/index.js';
import { ImportFileError } from '../errors.js';

export async function loadAreaCodes(tx: Queryable, setId: string | undefined, kind: string): Promise<(code: string) => number | undefined> {
  if (!setId) throw new ImportFileError(`a ${kind} file needs --area-set <id>: which area set the area_code values refer to`);
  const set = await tx.query('SELECT 1 FROM area_sets WHERE id = $1', [setId]);
  if (!set.rows.length) throw new ImportFileError(`no area set "${setId}" (GET /api/area-sets lists them; import boundaries with the areas kind)`);
  const r = await tx.query<{ id: number; code: string }>('SELECT id, code FROM areas WHERE area_set_id = $1', [setId]);
  const exact = new Map(r.rows.map((a) => [a.code, Number(a.id)]));
  const loose = new Map(r.rows.map((a) => [a.code.normalize('NFC').toUpperCase(), Number(a.id)]));
  return (c) => exact.get(c) ?? loose.get(c.normalize('NFC').toUpperCase());
}
