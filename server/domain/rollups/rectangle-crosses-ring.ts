// Whether any edge of a polygon ring meets a closed axis-aligned rectangle (Liang–Barsky clipping per edge).
// If none does, the rectangle lies wholly inside or wholly outside the ring, which one point then decides.

/** True when some segment of the ring (a closed list of [x, y]) intersects [x0, x1] × [y0, y1], edges included. */
export function rectangleCrossesRing(x0: number, y0: number, x1: number, y1: number, ring: number[][]): boolean {
  for (let k = 0; k + 1 < ring.length; k++) {
    if (segmentMeetsRectangle(ring[k][0], ring[k][1], ring[k + 1][0], ring[k + 1][1], x0, y0, x1, y1)) return true;
  }
  return false;
}

export function segmentMeetsRectangle(ax: number, ay: number, bx: number, by: number, x0: number, y0: number, x1: number, y1: number): boolean {
  // quick rejection on the segment's bounding box
  if (Math.max(ax, bx) < x0 || Math.min(ax, bx) > x1 || Math.max(ay, by) < y0 || Math.min(ay, by) > y1) return false;
  const dx = bx - ax, dy = by - ay;
  let t0 = 0, t1 = 1;
  const p = [-dx, dx, -dy, dy];
  const q = [ax - x0, x1 - ax, ay - y0, y1 - ay];
  for (let i = 0; i < 4; i++) {
    if (p[i] === 0) {
      if (q[i] < 0) return false; // parallel to this edge and outside it
    } else {
      const t = q[i] / p[i];
      if (p[i] < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
    }
  }
  return t0 <= t1;
}
