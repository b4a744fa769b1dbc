// The hexagon grid of PostGIS's ST_HexagonGrid / ST_Hexagon (flat-topped, aligned to the SRID's origin, so every
// query with the same size gets the same cells): cell (i, j) with edge length s has its centre at
//   x = 1.5·s·i,  y = √3·s·j + (i odd ? √3·s/2 : 0).
// Hexagons are the Voronoi cells of their centres, so the cell holding a point is the nearest centre; only the two
// columns either side of the point can hold it. Checked against ST_Intersects in test/hotspots.
export type Cell = { i: number; j: number };

const SQRT3 = Math.sqrt(3);

export function hexCentre(i: number, j: number, s: number): [number, number] {
  const odd = ((i % 2) + 2) % 2 === 1;
  return [1.5 * s * i, SQRT3 * s * j + (odd ? (SQRT3 * s) / 2 : 0)];
}

export function hexCellOf(x: number, y: number, s: number): Cell {
  const h = SQRT3 * s;
  const i0 = Math.floor(x / (1.5 * s));
  let best: Cell = { i: i0, j: 0 };
  let bestD = Infinity;
  for (const i of [i0, i0 + 1]) {
    const off = (((i % 2) + 2) % 2) * (h / 2);
    const j = Math.round((y - off) / h);
    const dx = x - 1.5 * s * i;
    const dy = y - off - h * j;
    const d = dx * dx + dy * dy;
    if (d < bestD) { bestD = d; best = { i, j }; }
  }
  return best;
}

/** The hexagon's ring in the grid's CRS (closed, counter-clockwise), as ST_Hexagon draws it. */
export function hexRing(i: number, j: number, s: number): [number, number][] {
  const [cx, cy] = hexCentre(i, j, s);
  const h = (SQRT3 * s) / 2;
  const pts: [number, number][] = [[cx - s, cy], [cx - s / 2, cy - h], [cx + s / 2, cy - h], [cx + s, cy], [cx + s / 2, cy + h], [cx - s / 2, cy + h]];
  return [...pts, pts[0]];
}

/** Centre distance between a cell and its six neighbours. */
export function ringDistance(s: number): number {
  return SQRT3 * s;
}

/**
 * For each cell, the indices of the other cells whose centres lie within `band` metres (the Gi* neighbourhood).
 * The default band is the ring of six. A spatial hash keeps it O(n · neighbours).
 */
export function neighboursWithin(cells: readonly Cell[], s: number, band = ringDistance(s) * 1.001): number[][] {
  const centres = cells.map((c) => hexCentre(c.i, c.j, s));
  const bucket = band;
  const grid = new Map<string, number[]>();
  centres.forEach(([x, y], k) => {
    const key = `${Math.floor(x / bucket)},${Math.floor(y / bucket)}`;
    const list = grid.get(key);
    if (list) list.push(k); else grid.set(key, [k]);
  });
  const band2 = band * band;
  return centres.map(([x, y], k) => {
    const bx = Math.floor(x / bucket), by = Math.floor(y / bucket);
    const out: number[] = [];
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const m of grid.get(`${bx + dx},${by + dy}`) ?? []) {
          if (m === k) continue;
          const ex = centres[m][0] - x, ey = centres[m][1] - y;
          if (ex * ex + ey * ey <= band2) out.push(m);
        }
      }
    }
    return out;
  });
}

/**
 * SQL giving the cell (i, j) of the point with coordinates xExpr, yExpr for edge length sParam (a $n placeholder):
 * the same nearest-centre rule as hexCellOf, as plain arithmetic so a million points group in one pass.
 * Yields columns i, j; `inner` is a FROM item that has columns x and y.
 */
export function hexCellSql(inner: string, sParam: string, carry: string[] = []): string {
  // carry: further columns of `inner` passed through to the result (e.g. a cell key)
  const c = carry.map((x) => `, ${x}`).join('');
  return `SELECT CASE WHEN d0 <= d1 THEN i0 ELSE i0 + 1 END AS i, CASE WHEN d0 <= d1 THEN j0 ELSE j1 END AS j${c} FROM (
      SELECT i0, j0, j1${c},
        (x - 1.5 * s * i0) ^ 2 + (y - o0 - h * j0) ^ 2 AS d0,
        (x - 1.5 * s * (i0 + 1)) ^ 2 + (y - o1 - h * j1) ^ 2 AS d1
      FROM (
        SELECT x, y, s, h, i0, o0, o1${c}, round((y - o0) / h)::int AS j0, round((y - o1) / h)::int AS j1 FROM (
          SELECT x, y, s, h, i0${c},
            CASE WHEN i0 % 2 = 0 THEN 0 ELSE h / 2 END AS o0, CASE WHEN i0 % 2 = 0 THEN h / 2 ELSE 0 END AS o1
          FROM (SELECT x, y, ${sParam}::float8 AS s, sqrt(3) * ${sParam}::float8 AS h, floor(x / (1.5 * ${sParam}::float8))::int AS i0${c}
                FROM (${inner}) pts) a) b) c) d`;
}
