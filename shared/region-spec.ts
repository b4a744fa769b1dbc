// REGION (issue 22): which part of Sweden a deployment covers — `kommun:NNNN` (a municipality by its kommunkod),
// `lan:NN` (a county by its länskod) or `sverige` (all 290 municipalities), several comma-separated. Syntax only;
// whether a code exists is checked against the bundled national boundaries (server/domain/region).
export type RegionPart = { kind: 'kommun'; code: string } | { kind: 'lan'; code: string } | { kind: 'sverige' };

export const DEFAULT_REGION = 'lan:01';

/** 'kommun:1480, lan:1' → parts, or an error naming the bad entry and the accepted forms. */
export function parseRegionSpec(spec: string): { ok: true; parts: RegionPart[] } | { ok: false; message: string } {
  const entries = spec.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (!entries.length) return { ok: false, message: 'REGION is empty: give kommun:NNNN, lan:NN or sverige (several comma-separated)' };
  const parts: RegionPart[] = [];
  for (const e of entries) {
    let m: RegExpMatchArray | null;
    if (e === 'sverige' || e === 'sweden') parts.push({ kind: 'sverige' });
    else if ((m = e.match(/^kommun:(\d{4})$/))) parts.push({ kind: 'kommun', code: m[1] });
    else if ((m = e.match(/^(?:lan|län):(\d{1,2})$/))) parts.push({ kind: 'lan', code: m[1].padStart(2, '0') });
    else return { ok: false, message: `REGION entry "${e}" is not kommun:NNNN (a kommunkod, e.g. kommun:1480 for Göteborg), lan:NN (a länskod, e.g. lan:01 for Stockholms län) or sverige` };
  }
  return { ok: true, parts };
}

/** The canonical spelling: 'lan:01,kommun:1480' (sorted, no duplicates), used in ids and the stored region. */
export function formatRegionSpec(parts: RegionPart[]): string {
  const s = parts.map((p) => (p.kind === 'sverige' ? 'sverige' : `${p.kind}:${p.code}`));
  return [...new Set(s)].sort().join(',');
}
