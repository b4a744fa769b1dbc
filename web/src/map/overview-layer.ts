// The city overview's map (issue 18): every district filled by the state of its lägesbild and action plan, each state
// with a pattern of its own besides its colour (cross-hatch, stripes, dots, lines, solid), districts needing attention
// (an indicator off track or a measure overdue) with a thick dark outline, and the selected one outlined in black.
// The draw functions paint the map's fill images, the legend's swatches and the PNG's legend alike.
import type { ExpressionSpecification, GeoJSONSource, Map as MlMap } from 'maplibre-gl';

export const OVERVIEW_STATUSES = ['missing', 'stale', 'noPlan', 'draft', 'decided'] as const;
export type OverviewStatus = typeof OVERVIEW_STATUSES[number];
export const OVERVIEW_SOURCE = 'co-areas';
export const OVERVIEW_FILL = 'co-fill';
export const ATTENTION_COLOR = '#1a1a1a';

type Draw = (ctx: CanvasRenderingContext2D, size: number) => void;
const tile = (bg: string, fg: string, draw: (ctx: CanvasRenderingContext2D, size: number) => void): Draw => (ctx, size) => {
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = fg;
  ctx.fillStyle = fg;
  ctx.lineWidth = 1.5;
  draw(ctx, size);
};

/** The fill of each state: colour and pattern (the pattern tells them apart without colour). */
export const STATUS_DRAW: Record<OverviewStatus, Draw> = {
  // no lägesbild at all: red cross-hatch
  missing: tile('#fbe3e1', '#b2271d', (ctx, n) => { ctx.beginPath(); ctx.moveTo(0, 0); ctx.lineTo(n, n); ctx.moveTo(n, 0); ctx.lineTo(0, n); ctx.stroke(); }),
  // older than two years: orange diagonal stripes
  stale: tile('#fdebd3', '#c25e00', (ctx, n) => { ctx.beginPath(); for (let o = -n; o <= n; o += 6) { ctx.moveTo(o, n); ctx.lineTo(o + n, 0); } ctx.stroke(); }),
  // current, no plan: yellow with dots
  noPlan: tile('#fff6c7', '#8a7400', (ctx) => { for (const [x, y] of [[3, 3], [9, 9]]) { ctx.beginPath(); ctx.arc(x, y, 1.4, 0, Math.PI * 2); ctx.fill(); } }),
  // current, a draft plan: light blue with horizontal lines
  draft: tile('#dbe9f6', '#2c6aa8', (ctx, n) => { ctx.beginPath(); ctx.moveTo(0, n / 2); ctx.lineTo(n, n / 2); ctx.stroke(); }),
  // current, a decided or published plan: solid green
  decided: tile('#3f9b5c', '#3f9b5c', () => undefined),
};

/** A district's state on the map, from its row in the overview. */
export function overviewStatus(r: { latestReportDate: string | null; stale: boolean; latestActionPlan: { status: string } | null }): OverviewStatus {
  if (!r.latestReportDate) return 'missing';
  if (r.stale) return 'stale';
  if (!r.latestActionPlan) return 'noPlan';
  return r.latestActionPlan.status === 'draft' ? 'draft' : 'decided';
}

/** Needs attention: an indicator going the wrong way or a measure past its date. */
export function needsAttention(r: { latestActionPlan: { indicators?: Record<string, number>; overdueMeasures?: number } | null }): boolean {
  return Boolean(r.latestActionPlan?.indicators?.offTrack || r.latestActionPlan?.overdueMeasures);
}

function image(draw: Draw): ImageData {
  const c = document.createElement('canvas');
  c.width = c.height = 12;
  const ctx = c.getContext('2d')!;
  draw(ctx, 12);
  return ctx.getImageData(0, 0, 12, 12);
}

export function renderOverviewLayer(map: MlMap, features: GeoJSON.FeatureCollection): void {
  for (const s of OVERVIEW_STATUSES) if (!map.hasImage(`co-${s}`)) map.addImage(`co-${s}`, image(STATUS_DRAW[s]), { pixelRatio: 1 });
  if (map.getSource(OVERVIEW_SOURCE)) { (map.getSource(OVERVIEW_SOURCE) as GeoJSONSource).setData(features); return; }
  map.addSource(OVERVIEW_SOURCE, { type: 'geojson', data: features });
  const pattern: unknown[] = ['match', ['get', 'status']];
  for (const s of OVERVIEW_STATUSES) pattern.push(s, `co-${s}`);
  pattern.push('co-missing');
  map.addLayer({ id: OVERVIEW_FILL, type: 'fill', source: OVERVIEW_SOURCE, paint: { 'fill-pattern': pattern as ExpressionSpecification, 'fill-opacity': 0.85 } });
  map.addLayer({ id: 'co-line', type: 'line', source: OVERVIEW_SOURCE, paint: { 'line-color': '#5a5a5a', 'line-width': 0.8 } });
  map.addLayer({ id: 'co-attention', type: 'line', source: OVERVIEW_SOURCE, filter: ['==', ['get', 'attention'], true], paint: { 'line-color': ATTENTION_COLOR, 'line-width': 3.5, 'line-dasharray': [2, 1] } });
  map.addLayer({ id: 'co-selected', type: 'line', source: OVERVIEW_SOURCE, paint: { 'line-color': '#000', 'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 4, 0] } });
}

export function bboxOf(g: GeoJSON.Geometry | GeoJSON.FeatureCollection): [[number, number], [number, number]] | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') { const [x, y] = c as number[]; x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
    else if (Array.isArray(c)) for (const e of c) walk(e);
  };
  if (g.type === 'FeatureCollection') for (const f of g.features) { if (f.geometry && 'coordinates' in f.geometry) walk(f.geometry.coordinates); }
  else if ('coordinates' in g) walk(g.coordinates);
  return Number.isFinite(x0) ? [[x0, y0], [x1, y1]] : null;
}
