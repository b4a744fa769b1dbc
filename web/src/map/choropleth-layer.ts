// The choropleth on a map: fill by class, hatched "< k" for suppressed areas, dots for no data, significant changes
// outlined, hover and selection by feature state. Its paint is built from the same ChoroData the legend reads.
import type { ExpressionSpecification, GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { FONT_REGULAR } from './fonts.js';
import { joinFeatures, type ChoroData } from './choropleth-data.js';
import { addPatterns } from './patterns.js';

export const CHORO_SOURCE = 'choropleth';
export const CHORO_FILL = 'ch-fill';
export const CHORO_PATTERN = 'ch-pattern';
export const SIG_UP = '#67000d';
export const SIG_DOWN = '#08306b';
export const SIG_DOWN_DASH: [number, number] = [1.5, 1.2];

export function fillColorExpression(d: ChoroData): ExpressionSpecification | string {
  const colors = d.categories ? d.categories.map((c) => c.color) : d.classes?.colors ?? [];
  if (!colors.length) return 'rgba(0,0,0,0)';
  const match: unknown[] = ['match', ['get', 'cls']];
  colors.forEach((c, i) => match.push(i, c));
  match.push('rgba(0,0,0,0)');
  return match as ExpressionSpecification;
}

export function ensureChoroplethLayers(map: MlMap): void {
  addPatterns(map);
  if (map.getSource(CHORO_SOURCE)) return;
  map.addSource(CHORO_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  const before = map.getLayer('overlay-anchor') ? 'overlay-anchor' : undefined;
  map.addLayer({ id: CHORO_FILL, type: 'fill', source: CHORO_SOURCE, filter: ['>=', ['get', 'cls'], 0], paint: { 'fill-color': 'rgba(0,0,0,0)', 'fill-opacity': 0.82 } }, before);
  map.addLayer({ id: CHORO_PATTERN, type: 'fill', source: CHORO_SOURCE, filter: ['<', ['get', 'cls'], 0], paint: { 'fill-pattern': ['match', ['get', 'cls'], -2, 'tk-hatch', 'tk-nodata'], 'fill-opacity': 0.75 } }, before);
  map.addLayer({ id: 'ch-line', type: 'line', source: CHORO_SOURCE, paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.5, 14, 1.5], 'line-opacity': 0.9 } }, before);
  // a rise and a fall differ in shape, not colour alone: a solid outline for a rise, a dashed one for a fall
  map.addLayer({ id: 'ch-sig-up', type: 'line', source: CHORO_SOURCE, filter: ['==', ['get', 'sig'], 1], paint: { 'line-color': SIG_UP, 'line-width': 2.6 } }, before);
  map.addLayer({ id: 'ch-sig-down', type: 'line', source: CHORO_SOURCE, filter: ['==', ['get', 'sig'], -1], paint: { 'line-color': SIG_DOWN, 'line-width': 2.6, 'line-dasharray': SIG_DOWN_DASH } }, before);
  map.addLayer({ id: 'ch-hover', type: 'line', source: CHORO_SOURCE, paint: { 'line-color': '#222', 'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3.2, ['boolean', ['feature-state', 'hover'], false], 1.8, 0] } }, before);
  map.addLayer({ id: 'ch-suppressed-label', type: 'symbol', source: CHORO_SOURCE, filter: ['==', ['get', 'cls'], -2], minzoom: 10.5, layout: { 'text-field': ['get', 'k'], 'text-font': [FONT_REGULAR], 'text-size': 11, 'text-allow-overlap': false }, paint: { 'text-color': '#444', 'text-halo-color': '#fff', 'text-halo-width': 1.6 } });
}

export function renderChoropleth(map: MlMap, d: ChoroData, lang: 'sv' | 'en', visible: boolean, outlineOnly = false): void {
  ensureChoroplethLayers(map);
  (map.getSource(CHORO_SOURCE) as GeoJSONSource).setData(joinFeatures(d, lang));
  map.setPaintProperty(CHORO_FILL, 'fill-color', fillColorExpression(d));
  for (const id of [CHORO_FILL, CHORO_PATTERN, 'ch-line', 'ch-sig-up', 'ch-sig-down', 'ch-hover', 'ch-suppressed-label']) {
    const hide = !visible || (outlineOnly && id !== 'ch-hover' && id !== CHORO_FILL && id !== 'ch-line');
    map.setLayoutProperty(id, 'visibility', hide ? 'none' : 'visible');
  }
  // the report's map shows the area outline over the hotspots, not the choropleth; the neighbouring areas of the
  // same set as grey borders for context
  map.setPaintProperty(CHORO_FILL, 'fill-opacity', outlineOnly ? 0 : 0.82);
  map.setPaintProperty('ch-line', 'line-color', outlineOnly ? '#8a8272' : '#ffffff');
}

let selectedId: number | null = null;
export function setSelectedArea(map: MlMap, id: number | null): void {
  if (!map.getSource(CHORO_SOURCE)) return;
  if (selectedId !== null) map.setFeatureState({ source: CHORO_SOURCE, id: selectedId }, { selected: false });
  selectedId = id;
  if (id !== null) map.setFeatureState({ source: CHORO_SOURCE, id }, { selected: true });
}
