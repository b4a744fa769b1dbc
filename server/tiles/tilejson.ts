// TileJSON 3.0.0 for a layer: the tile URL template (carrying the request's filter parameters), zoom range,
// bounds and the fields of its one vector layer.
import { LAYERS, type LayerName } from './layers.js';

export function tileJson(layer: LayerName, baseUrl: string, query: string, bounds: [number, number, number, number]) {
  const d = LAYERS[layer];
  const qs = query ? `?${query}` : '';
  return {
    tilejson: '3.0.0',
    name: `Trygghetskarta ${layer}`,
    description: d.description,
    version: '1.0.0',
    attribution: 'Trygghetskarta; boundaries © Stockholms stad (CC0)',
    scheme: 'xyz',
    tiles: [`${baseUrl}/tiles/${layer}/{z}/{x}/{y}.mvt${qs}`],
    minzoom: d.minzoom,
    maxzoom: d.maxzoom,
    bounds,
    center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, Math.max(d.minzoom, 10)],
    vector_layers: [{ id: d.id, description: d.description, minzoom: d.minzoom, maxzoom: d.maxzoom, fields: d.fields }],
  };
}
