// The URL template of an overlay's vector tiles. `v` names the data version (issue 22): the server answers a public
// tile of the current version as immutable, so a shared cache and the browser may keep it; after an import the
// version — and so the URL — changes and the map loads the new tiles (maplibre reloads a source whose URL changed).
// Without a known version the URL is as before (answered with a short max-age).
export function tileUrl(origin: string, layer: string, filterQuery: string, dataVersion?: number | null): string {
  const q = new URLSearchParams(filterQuery.replace(/^\?/, ''));
  if (typeof dataVersion === 'number' && Number.isInteger(dataVersion) && dataVersion >= 0) q.set('v', String(dataVersion));
  const s = q.toString();
  // {z}/{x}/{y} stay literal: maplibre fills them in
  return `${origin}/tiles/${encodeURIComponent(layer)}/{z}/{x}/{y}.mvt${s ? `?${s}` : ''}`;
}
