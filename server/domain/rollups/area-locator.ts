// Which areas of every area set a point lies in, answered in Node from the subdivided area pieces (EPSG:3006).
// Why not SQL: the rollup must place every imported point in every set (7 sets × 1 M points); through PostGIS
// that is ~15 µs per point-in-polygon call (103 s for 1 M crimes), here it is a grid lookup and, for points near
// a boundary, a ray test on a piece of ≤ 96 vertices (~1 s). One implementation places both the rows added and
// the rows removed, so the counts it keeps can never drift apart.
//
// Semantics are those of ST_Intersects(piece, point): a point on an area's boundary belongs to that area (so a
// point on the border of two areas counts in both, as in every other per-area count here). A point on the line
// between two pieces of the same area counts once.
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Queryable } from '../../db/index.js';
import { rectangleCrossesRing } from './rectangle-crosses-ring.js';

type Piece = { areaId: number; minX: number; minY: number; maxX: number; maxY: number; rings: number[][][] };
/** Per grid cell and set: the area whose piece covers the whole cell, or the pieces to test one by one. */
type CellEntry = { inside: number[]; candidates: Piece[] };

/** Grid cell edge in metres: small enough that most cells lie inside one piece, large enough to stay few. */
const CELL = 100;
/** Most cells kept at once. A city's points stay in some 10⁴ cells; a national million visits ~650,000 (350 MB, and
 * `npm run import` runs in a 192 MB heap): past the cap the cache starts again, clustered points rebuild it fast. */
const MAX_CELLS = 100_000;
const NONE: readonly never[] = Object.freeze([]);

export class AreaLocator {
  private readonly cells = new Map<number, CellEntry>();
  private readonly buckets = new Map<number, Piece[]>(); // coarse buckets of pieces by bbox, for building cells
  private static readonly BUCKET = 2000;

  private constructor(readonly setIds: string[], pieces: Piece[], private readonly maxCells = MAX_CELLS) {
    for (const p of pieces) {
      for (let bx = Math.floor(p.minX / AreaLocator.BUCKET); bx <= Math.floor(p.maxX / AreaLocator.BUCKET); bx++) {
        for (let by = Math.floor(p.minY / AreaLocator.BUCKET); by <= Math.floor(p.maxY / AreaLocator.BUCKET); by++) {
          const k = key(bx, by);
          const list = this.buckets.get(k);
          if (list) list.push(p); else this.buckets.set(k, [p]);
        }
      }
    }
  }

  private static readonly perTransaction = new WeakMap<object, Promise<AreaLocator>>();

  /** The locator of all sets as seen by this transaction, loaded once per transaction. */
  static forTransaction(tx: Queryable): Promise<AreaLocator> {
    let p = AreaLocator.perTransaction.get(tx);
    if (!p) {
      p = AreaLocator.load(tx);
      AreaLocator.perTransaction.set(tx, p);
      p.catch(() => AreaLocator.perTransaction.delete(tx));
    }
    return p;
  }

  /** Drops the transaction's locator (its area sets changed). */
  static forget(tx: Queryable): void {
    AreaLocator.perTransaction.delete(tx);
  }

  /** Loads the pieces of the given sets (default: all sets) as they are inside the caller's transaction. */
  static async load(db: Queryable, setIds?: string[], opts: { maxCells?: number } = {}): Promise<AreaLocator> {
    const sets = setIds ?? (await db.query<{ id: string }>('SELECT id FROM area_sets ORDER BY id')).rows.map((r) => r.id);
    const r = await db.query<{ area_id: string | number; g: string }>(
      `SELECT p.area_id, ST_AsGeoJSON(p.geom) AS g
       FROM area_pieces p JOIN areas a ON a.id = p.area_id WHERE a.area_set_id = ANY($1::text[])`, [sets]);
    const pieces: Piece[] = [];
    for (const row of r.rows) {
      const g = JSON.parse(row.g) as { type: string; coordinates: number[][][] | number[][][][] };
      const polys = g.type === 'MultiPolygon' ? (g.coordinates as number[][][][]) : [g.coordinates as number[][][]];
      for (const rings of polys) {
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (const [x, y] of rings[0]) { if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y; }
        pieces.push({ areaId: Number(row.area_id), minX, minY, maxX, maxY, rings });
      }
    }
    return new AreaLocator(sets, pieces, opts.maxCells);
  }

  /** The ids of the areas (of all loaded sets) that contain or touch the point; usually one per set. Shared: read only. */
  areasAt(x: number, y: number): readonly number[] {
    const cx = Math.floor(x / CELL), cy = Math.floor(y / CELL);
    const k = key(cx, cy);
    let cell = this.cells.get(k);
    if (!cell) {
      if (this.cells.size >= this.maxCells) this.cells.clear();
      cell = this.buildCell(cx, cy);
      this.cells.set(k, cell);
    }
    if (!cell.candidates.length) return cell.inside;
    const out = cell.inside.slice();
    const pt = [x, y];
    for (const p of cell.candidates) {
      if (x < p.minX || x > p.maxX || y < p.minY || y > p.maxY) continue;
      if (out.includes(p.areaId)) continue; // another piece of the same area already matched
      if (booleanPointInPolygon(pt, { type: 'Polygon', coordinates: p.rings })) out.push(p.areaId);
    }
    return out;
  }

  /** Sorts the pieces near one grid cell into those covering the whole cell and those that need a test per point. */
  private buildCell(cx: number, cy: number): CellEntry {
    const x0 = cx * CELL, y0 = cy * CELL, x1 = x0 + CELL, y1 = y0 + CELL;
    const inside: number[] = [];
    const candidates: Piece[] = [];
    const near = this.buckets.get(key(Math.floor(x0 / AreaLocator.BUCKET), Math.floor(y0 / AreaLocator.BUCKET))) ?? [];
    for (const p of near) {
      if (p.maxX < x0 || p.minX > x1 || p.maxY < y0 || p.minY > y1) continue;
      if (p.rings.some((ring) => rectangleCrossesRing(x0, y0, x1, y1, ring))) { candidates.push(p); continue; }
      // no edge touches the (closed) cell: the cell lies wholly inside or wholly outside the piece
      if (booleanPointInPolygon([(x0 + x1) / 2, (y0 + y1) / 2], { type: 'Polygon', coordinates: p.rings }) && !inside.includes(p.areaId)) inside.push(p.areaId);
    }
    // most cells have no candidates, many lie in no area: share one empty array instead of a pair per cell
    return { inside: inside.length ? inside : NONE as unknown as number[], candidates: candidates.length ? candidates : NONE as unknown as Piece[] };
  }

  /** How many grid cells are cached now (bounded by maxCells). */
  cachedCells(): number { return this.cells.size; }
}

/** A number key for a pair of grid indexes (SWEREF 99 TM metres / cell size stay far below 2^26). */
function key(a: number, b: number): number {
  return (a + 0x2000000) * 0x4000000 + (b + 0x2000000);
}
