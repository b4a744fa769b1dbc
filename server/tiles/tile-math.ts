// Web Mercator tile arithmetic and the per-zoom choices of the layers.
export const EXTENT = 4096;
export const BUFFER = 64;
const HALF = 20037508.342789244;

/** [minx, miny, maxx, maxy] of tile z/x/y in EPSG:3857 (what ST_TileEnvelope gives). */
export function tileBounds3857(z: number, x: number, y: number): [number, number, number, number] {
  const size = (2 * HALF) / 2 ** z;
  return [-HALF + x * size, HALF - (y + 1) * size, -HALF + (x + 1) * size, HALF - y * size];
}

export function validTile(z: number, x: number, y: number): boolean {
  return Number.isInteger(z) && z >= 0 && z <= 22 && Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < 2 ** z && y < 2 ** z;
}

const lonToX = (lon: number) => (lon * HALF) / 180;
const latToY = (lat: number) => Math.log(Math.tan(((90 + lat) * Math.PI) / 360)) * (HALF / Math.PI);

/**
 * Where data can be: the area of use of SWEREF 99 TM (EPSG:3006), all geometry is stored in it. A tile outside
 * it is empty without asking the database (and the SQL never transforms a far-away envelope into 3006).
 */
export const DOMAIN_3857: [number, number, number, number] = [lonToX(10.03), latToY(54.96), lonToX(24.17), latToY(69.07)];

export function tileTouchesDomain(z: number, x: number, y: number): boolean {
  const [a, b, c, d] = tileBounds3857(z, x, y);
  return a < DOMAIN_3857[2] && c > DOMAIN_3857[0] && b < DOMAIN_3857[3] && d > DOMAIN_3857[1];
}

/**
 * Hexbin edge length (metres, EPSG:3006) for a zoom: 125 m at z14, doubling per zoom out, so a hexagon is about
 * 1/10 of a tile wide at every zoom and a tile never holds more than a few hundred cells. Between 31.25 m (z ≥ 16)
 * and 64 km (z ≤ 5).
 */
export function hexbinSize(z: number): number {
  return Math.min(64_000, 125 * 2 ** (14 - Math.min(z, 16)));
}

/** Maximum points in one incidents tile; above it the tile shows counts on a 64 × 64 grid instead. */
export const INCIDENT_CAP = 4000;
export const INCIDENT_MINZOOM = 13;
