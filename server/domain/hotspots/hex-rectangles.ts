// Counting points per hexagon with per-row arithmetic only (no geometry call besides ST_X/ST_Y).
// The plane is cut into rectangles one column step (1.5·s) wide and half a row (√3·s/2) high; each rectangle holds
// parts of exactly two cells, the nearest centre of column i0 and of column i0+1 (as in hexCellOf), split by their
// bisector, a straight line. So a point needs (i0, k) = its rectangle and one bit per bisector orientation (which of
// the two is used depends on the parity of i0 + k); the few thousand groups are turned into (i, j) here. Ties go to
// column i0, as in hexCellOf. The same keys are what the monthly rollup stores (rollups/hex-month-counts.ts).

const SQRT3 = Math.sqrt(3);

export type RectangleCount = { i0: number; k: number; side: number; n: number; /** sum of the points' cell keys (0 when not asked for) */ ks: number };
/** Points in a cell and the sum of their cell keys (see disclosure/cell-key.ts). */
export type CellCount = { n: number; ks: number };

/** SQL pieces for cell size s: `uv` projects i.geom into rectangle units, `keys` computes i0, k, side from u, v. */
export function rectangleSql(s: number): { uv: string; keys: string } {
  if (!Number.isFinite(s) || s <= 0) throw new Error(`bad cellSize ${s}`);
  const w = `${1.5 * s}::float8`, hh = `${(SQRT3 * s) / 2}::float8`; // numbers, never user text (cellSize is validated)
  // a, b = u − ⌊u⌋, v − ⌊v⌋: the point's place inside its rectangle. Nearer the lower-left corner than the upper-right
  // one: 3a + b ≤ 2; nearer the upper-left than the lower-right: 3a − b ≤ 1 (|P−A|² ≤ |P−B|² divided through by s²).
  return {
    uv: `ST_X(i.geom) / ${w} AS u, ST_Y(i.geom) / ${hh} AS v`,
    keys: `floor(u)::int AS i0, floor(v)::int AS k,
      (CASE WHEN 3 * (u - floor(u)) + (v - floor(v)) <= 2 THEN 2 ELSE 0 END
       + CASE WHEN 3 * (u - floor(u)) - (v - floor(v)) <= 1 THEN 1 ELSE 0 END) AS side`,
  };
}

/** The rectangle index ranges [i0 lo, i0 hi, k lo, k hi] that hold every point of an EPSG:3006 box. */
export function rectangleRange(s: number, box: [number, number, number, number]): [number, number, number, number] {
  const w = 1.5 * s, hh = (SQRT3 * s) / 2;
  return [Math.floor(box[0] / w), Math.floor(box[2] / w), Math.floor(box[1] / hh), Math.floor(box[3] / hh)];
}

/** Adds rectangle counts (and key sums) into per-cell counts keyed "i,j". */
export function addRectangleCounts(rows: readonly RectangleCount[], out: Map<string, CellCount>): void {
  for (const r of rows) {
    const par0 = r.i0 & 1, par1 = (r.i0 + 1) & 1;
    let i: number, j: number;
    if (((r.i0 + r.k) & 1) === 0) { // column i0's candidate at level k (bottom), column i0+1's at k+1 (top)
      if (r.side & 2) { i = r.i0; j = (r.k - par0) / 2; } else { i = r.i0 + 1; j = (r.k + 1 - par1) / 2; }
    } else { // column i0's candidate at level k+1 (top), column i0+1's at k (bottom)
      if (r.side & 1) { i = r.i0; j = (r.k + 1 - par0) / 2; } else { i = r.i0 + 1; j = (r.k - par1) / 2; }
    }
    const key = `${i},${j}`;
    const c = out.get(key);
    if (c) { c.n += Number(r.n); c.ks += Number(r.ks ?? 0); } else out.set(key, { n: Number(r.n), ks: Number(r.ks ?? 0) });
  }
}
