// Placeholder map: the district boundaries on an empty offline background (the map issue builds the app).
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';

const map = new maplibregl.Map({
  container: 'map',
  style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef0ea' } }] },
  center: [18.06, 59.33],
  zoom: 10,
});
map.on('load', () => {
  map.addSource('areas', { type: 'geojson', data: '/api/area-sets/stadsdelar/areas?f=geojson' });
  map.addLayer({ id: 'areas-line', type: 'line', source: 'areas', paint: { 'line-color': '#335', 'line-width': 1 } });
});
