// The offline base style (MapLibre style spec v8): land and sea, Stockholm's water, municipalities and districts
// with names, metro stations and public-transport stops, all from bundled real data served by this server.
// URLs are relative to the server; the web app makes them absolute before handing the style to MapLibre.

export const FONT_REGULAR = 'Noto Sans Regular';
export const FONT_BOLD = 'Noto Sans Bold';

const COLORS = {
  sea: '#c9dbe6',
  land: '#f2f0eb',
  city: '#f7f6f2',
  water: '#c9dbe6',
  municipalityLine: '#9d9a94',
  districtLine: '#bdb9b1',
  label: '#4a4a48',
  halo: 'rgba(255,255,255,0.9)',
  metro: '#1e5aa8',
  stop: '#6f7f8c',
};

export function baseStyle(): Record<string, unknown> {
  const layer = (name: string) => ({ type: 'geojson', data: `/basemap/layers/${name}.geojson`, attribution: '' });
  return {
    version: 8,
    name: 'Trygghetskarta offline base',
    metadata: { 'tk:sources': 'Counties and municipalities: okfse/sweden-geojson; districts: Stockholm stad (CC0); stops: GTFS Sverige 3 (CC BY 4.0); metro: KarlVo/Leave_on_time, mrkickling/rattuppgang-web' },
    glyphs: '/basemap/fonts/{fontstack}/{range}.pbf',
    center: [18.03, 59.33],
    zoom: 10,
    sources: {
      land: { ...layer('land'), attribution: 'Underlag: Stockholms stad (CC0), okfse/sweden-geojson, GTFS Sverige 3 (CC BY 4.0)' },
      municipalities: layer('municipalities'),
      'municipality-labels': layer('municipality-labels'),
      districts: layer('districts'),
      'district-labels': layer('district-labels'),
      water: layer('water'),
      metro: layer('metro'),
      stops: { type: 'vector', tiles: ['/basemap/tiles/stops/{z}/{x}/{y}.pbf'], minzoom: 12, maxzoom: 14 },
    },
    layers: [
      { id: 'base-sea', type: 'background', paint: { 'background-color': COLORS.sea } },
      { id: 'base-land', type: 'fill', source: 'land', paint: { 'fill-color': COLORS.land } },
      { id: 'base-districts-fill', type: 'fill', source: 'districts', paint: { 'fill-color': COLORS.city } },
      { id: 'base-water', type: 'fill', source: 'water', paint: { 'fill-color': COLORS.water } },
      { id: 'base-districts-line', type: 'line', source: 'districts', minzoom: 10, paint: { 'line-color': COLORS.districtLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.4, 14, 1.2] } },
      { id: 'base-municipalities-line', type: 'line', source: 'municipalities', paint: { 'line-color': COLORS.municipalityLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.6, 13, 1.6], 'line-dasharray': [3, 2] } },
      // overlays are inserted below this marker by the app, so labels and transit stay on top
      { id: 'overlay-anchor', type: 'background', layout: { visibility: 'none' }, paint: { 'background-opacity': 0 } },
      { id: 'base-stops', type: 'circle', source: 'stops', 'source-layer': 'stops', minzoom: 13, paint: { 'circle-radius': 2.5, 'circle-color': '#fff', 'circle-stroke-color': COLORS.stop, 'circle-stroke-width': 1.2 } },
      { id: 'base-stop-labels', type: 'symbol', source: 'stops', 'source-layer': 'stops', minzoom: 15, layout: { 'text-field': ['get', 'name'], 'text-font': [FONT_REGULAR], 'text-size': 10, 'text-offset': [0, 0.9], 'text-anchor': 'top', 'text-optional': true }, paint: { 'text-color': COLORS.stop, 'text-halo-color': COLORS.halo, 'text-halo-width': 1.2 } },
      { id: 'base-metro', type: 'circle', source: 'metro', minzoom: 9, paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 2, 14, 5], 'circle-color': COLORS.metro, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.2 } },
      { id: 'base-metro-labels', type: 'symbol', source: 'metro', minzoom: 12.5, layout: { 'text-field': ['concat', 'T ', ['get', 'name']], 'text-font': [FONT_REGULAR], 'text-size': 11, 'text-offset': [0, 0.8], 'text-anchor': 'top', 'text-optional': true }, paint: { 'text-color': COLORS.metro, 'text-halo-color': COLORS.halo, 'text-halo-width': 1.4 } },
      { id: 'base-district-labels', type: 'symbol', source: 'district-labels', minzoom: 11, layout: { 'text-field': ['get', 'name'], 'text-font': [FONT_REGULAR], 'text-size': ['interpolate', ['linear'], ['zoom'], 11, 10, 15, 14], 'text-max-width': 8, 'symbol-sort-key': ['-', 0, ['get', 'areaKm2']] }, paint: { 'text-color': COLORS.label, 'text-halo-color': COLORS.halo, 'text-halo-width': 1.5 } },
      { id: 'base-municipality-labels', type: 'symbol', source: 'municipality-labels', maxzoom: 11, layout: { 'text-field': ['get', 'name'], 'text-font': [FONT_BOLD], 'text-size': ['interpolate', ['linear'], ['zoom'], 7, 10, 10, 13], 'text-transform': 'uppercase', 'text-letter-spacing': 0.08 }, paint: { 'text-color': '#6b6862', 'text-halo-color': COLORS.halo, 'text-halo-width': 1.5 } },
    ],
  };
}
