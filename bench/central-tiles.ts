// The tiles over central Stockholm (lon 17.98–18.12, lat 59.30–59.36) at z12–15: the load and soak benches'
// tile requests, one list so both ask for the same tiles.
export function centralStockholmTiles(zooms = [12, 13, 14, 15]): string[] {
  const out: string[] = [];
  for (const z of zooms) {
    const n = 2 ** z;
    const x0 = Math.floor(((17.98 + 180) / 360) * n), x1 = Math.floor(((18.12 + 180) / 360) * n);
    const ty = (lat: number) => Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n);
    for (let x = x0; x <= x1; x++) for (let y = ty(59.36); y <= ty(59.30); y++) out.push(`${z}/${x}/${y}`);
  }
  return out;
}
