// Drawing a place's polygon with Terra Draw (loaded only when staff start drawing, so it is not in the initial bundle).
import type { Map as MlMap } from 'maplibre-gl';
import type { Polygon } from 'geojson';

/**
 * Lets the user draw one polygon (click the corners; click the first corner or press Enter to close; Esc cancels).
 * `onReady` is told once clicks are taken: Terra Draw loads on demand, and a click before that would be lost.
 */
export async function drawPolygon(map: MlMap, onReady: () => void = () => {}): Promise<Polygon | null> {
  const [{ TerraDraw, TerraDrawPolygonMode }, { TerraDrawMapLibreGLAdapter }] = await Promise.all([import('terra-draw'), import('terra-draw-maplibre-gl-adapter')]);
  const draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map }),
    modes: [new TerraDrawPolygonMode({ styles: { fillColor: '#1b7837', fillOpacity: 0.25, outlineColor: '#1b7837', outlineWidth: 2, closingPointColor: '#ffffff', closingPointOutlineColor: '#1b7837' } })],
  });
  draw.start();
  draw.setMode('polygon');
  (window as unknown as { __tk: Record<string, unknown> }).__tk.draw = draw;
  map.doubleClickZoom.disable();
  onReady();
  return new Promise((resolve) => {
    const done = (g: Polygon | null) => {
      window.removeEventListener('keydown', onKey);
      draw.stop();
      map.doubleClickZoom.enable();
      resolve(g);
    };
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') done(null); };
    window.addEventListener('keydown', onKey);
    draw.on('finish', (id) => {
      const f = draw.getSnapshotFeature(id);
      done(f && f.geometry.type === 'Polygon' ? (f.geometry as Polygon) : null);
    });
  });
}
