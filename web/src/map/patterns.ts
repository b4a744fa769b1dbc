// Fill patterns drawn into the map as images: diagonal hatch for suppressed areas ("< k"), dots for no data.
import type { Map as MlMap } from 'maplibre-gl';

function image(size: number, draw: (ctx: CanvasRenderingContext2D) => void): ImageData {
  const c = document.createElement('canvas');
  c.width = c.height = size;
  const ctx = c.getContext('2d')!;
  draw(ctx);
  return ctx.getImageData(0, 0, size, size);
}

export function hatchDraw(ctx: CanvasRenderingContext2D, size: number): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = '#7a7a7a';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let o = -size; o <= size; o += 6) { ctx.moveTo(o, size); ctx.lineTo(o + size, 0); }
  ctx.stroke();
}

export function dotsDraw(ctx: CanvasRenderingContext2D, size: number): void {
  ctx.fillStyle = '#eeeeee';
  ctx.fillRect(0, 0, size, size);
  ctx.fillStyle = '#9a9a9a';
  for (const [x, y] of [[3, 3], [9, 9]]) { ctx.beginPath(); ctx.arc(x, y, 1.1, 0, Math.PI * 2); ctx.fill(); }
}

export function addPatterns(map: MlMap): void {
  if (!map.hasImage('tk-hatch')) map.addImage('tk-hatch', image(12, (ctx) => hatchDraw(ctx, 12)), { pixelRatio: 1 });
  if (!map.hasImage('tk-nodata')) map.addImage('tk-nodata', image(12, (ctx) => dotsDraw(ctx, 12)), { pixelRatio: 1 });
}
