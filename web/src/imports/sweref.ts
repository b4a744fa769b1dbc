// SWEREF 99 TM (EPSG:3006) metres → WGS84 degrees, for the preview's small map (the preview answers the rows as stored,
// in SWEREF 99 TM). Lantmäteriet's Gauss–Krüger formulas on GRS 80; accurate to well under a metre.
const A = 6378137, F = 1 / 298.257222101, K0 = 0.9996, FE = 500000, LON0 = 15;
const E2 = F * (2 - F), N = F / (2 - F);
const AR = A / (1 + N) * (1 + N ** 2 / 4 + N ** 4 / 64);
const D = [N / 2 - 2 * N ** 2 / 3 + 37 * N ** 3 / 96 - N ** 4 / 360, N ** 2 / 48 + N ** 3 / 15 - 437 * N ** 4 / 1440, 17 * N ** 3 / 480 - 37 * N ** 4 / 840, 4397 * N ** 4 / 161280];
const AS = E2 + E2 ** 2 + E2 ** 3 + E2 ** 4;
const BS = -(7 * E2 ** 2 + 17 * E2 ** 3 + 30 * E2 ** 4) / 6;
const CS = (224 * E2 ** 3 + 889 * E2 ** 4) / 120;
const DS = -(4279 * E2 ** 4) / 1260;

/** [lon, lat] of an easting x and northing y in SWEREF 99 TM. */
export function swerefToWgs84(x: number, y: number): [number, number] {
  const xi = y / (K0 * AR), eta = (x - FE) / (K0 * AR);
  let xp = xi, ep = eta;
  D.forEach((d, i) => {
    const k = 2 * (i + 1);
    xp -= d * Math.sin(k * xi) * Math.cosh(k * eta);
    ep -= d * Math.cos(k * xi) * Math.sinh(k * eta);
  });
  const phi = Math.asin(Math.sin(xp) / Math.cosh(ep));
  const dl = Math.atan(Math.sinh(ep) / Math.cos(xp));
  const s2 = Math.sin(phi) ** 2;
  const lat = phi + Math.sin(phi) * Math.cos(phi) * (AS + BS * s2 + CS * s2 ** 2 + DS * s2 ** 3);
  return [LON0 + (dl * 180) / Math.PI, (lat * 180) / Math.PI];
}

/** The point a rejected row's reason names as outside the extent ("x,y point (667000,5, 6586000,5) in EPSG:3006 lies
 * outside …", "lat,lon point (59.3, 18.1) lies outside …") as [lon, lat]; null when the reason names none. */
export function outsidePointOf(reason: string): [number, number] | null {
  const m = /^(x,y|lat,lon) point \((.+?), (.+?)\)(?: in (EPSG:\d+))? lies outside/.exec(reason);
  if (!m) return null;
  const a = Number(m[2].trim().replace(',', '.')), b = Number(m[3].trim().replace(',', '.'));
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  if (m[1] === 'lat,lon') return [b, a];
  if (m[4] === 'EPSG:4326') return [a, b];
  if (m[4] === 'EPSG:3006') return swerefToWgs84(a, b);
  return null;
}
