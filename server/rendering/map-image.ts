// The hotspot map image of the report. Preferred: a screenshot of the real map (the web app's report view,
// /?view=report&area=<id>&from=&to=, which sets data-report-ready="1" on <body> once drawn)
// from our own server. Fallback — when the server is not listening (tests), the view never signals ready within
// the timeout, or Chromium fails: an SVG drawn here from the same hotspot cells (area outline, neighbouring areas,
// hexagons coloured by class, scale bar) rendered to PNG by the same Chromium. Without Chromium: no image, a note.
import type { Queryable } from '../db/index.js';
import { hexRing } from '../domain/hotspots/hex-grid.js';
import type { BrowserPool } from './browser.js';
import { htmlToPng, urlToPng } from './render-pdf.js';
import { esc } from './escape.js';
import type { AreaInfo } from '../domain/reports/report-area.js';
import { CLASS_COLORS, type HotspotSection } from '../domain/reports/section-hotspots.js';
import type { Lang, MapImage } from '../domain/reports/types.js';

export type MapImageOptions = { pool: BrowserPool; lang: Lang; baseUrl?: string | null; realMapTimeoutMs?: number };

const W = 1200, H = 800;
let realMapFailedAt = 0;

export async function renderMapImage(db: Queryable, area: AreaInfo, hot: HotspotSection | null, period: { from: string; to: string }, o: MapImageOptions): Promise<MapImage> {
  const legend = hot?.legend ?? [];
  if (!o.pool.available()) return { dataUri: null, kind: 'none', note: o.lang === 'sv' ? 'Chromium saknas på servern.' : 'Chromium is not installed on the server.', legend };
  // the real map, unless it failed recently (then every report would wait for the timeout)
  if (o.baseUrl && Date.now() - realMapFailedAt > 10 * 60_000) {
    try {
      const url = `${o.baseUrl}/?view=report&area=${area.id}&from=${period.from}&to=${period.to}&lang=${o.lang}`;
      const png = await urlToPng(o.pool, url, {
        width: W, height: H, deviceScaleFactor: 1.5, timeoutMs: o.realMapTimeoutMs ?? 20000,
        ready: async (page) => {
          // the map's report view sets body[data-report-ready="1"] once MapLibre is idle with every layer drawn
          await page.waitForFunction(() => document.body?.dataset.reportReady === '1',
            undefined, { timeout: o.realMapTimeoutMs ?? 20000 });
        },
      });
      return { dataUri: `data:image/png;base64,${png.toString('base64')}`, kind: 'real-map', note: '', legend };
    } catch {
      realMapFailedAt = Date.now();
    }
  }
  try {
    const svg = await hotspotSvg(db, area, hot, o.lang);
    const png = await htmlToPng(o.pool, `<!DOCTYPE html><html><body style="margin:0;background:#fff">${svg}</body></html>`, { width: W, height: H, deviceScaleFactor: 1.5 });
    return { dataUri: `data:image/png;base64,${png.toString('base64')}`, kind: 'svg-fallback', note: '', legend };
  } catch (e) {
    return { dataUri: null, kind: 'none', note: (e as Error).message.split('\n')[0], legend };
  }
}

/** The map as SVG in EPSG:3006 metres (y flipped, as ST_AsSVG writes it). */
export async function hotspotSvg(db: Queryable, area: AreaInfo, hot: HotspotSection | null, lang: Lang): Promise<string> {
  const ext = await db.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
    `SELECT ST_XMin(e) xmin, ST_YMin(e) ymin, ST_XMax(e) xmax, ST_YMax(e) ymax FROM (SELECT ST_Expand(geom::box2d, 400) e FROM areas WHERE id = $1) t`, [area.id]);
  let { xmin, ymin, xmax, ymax } = ext.rows[0];
  // fit the viewport's aspect ratio
  const w = xmax - xmin, h = ymax - ymin, aspect = W / H;
  if (w / h > aspect) { const nh = w / aspect; ymin -= (nh - h) / 2; ymax += (nh - h) / 2; } else { const nw = h * aspect; xmin -= (nw - w) / 2; xmax += (nw - w) / 2; }
  const tol = (xmax - xmin) / W; // one pixel
  const ctx = await db.query<{ id: number; name: string; d: string; lx: number; ly: number }>(
    `SELECT a.id, a.name, ST_AsSVG(ST_SimplifyPreserveTopology(a.geom, $3), 0, 1) AS d, ST_X(ST_PointOnSurface(a.geom)) AS lx, ST_Y(ST_PointOnSurface(a.geom)) AS ly
     FROM areas a WHERE a.area_set_id = $1 AND a.geom && ST_MakeEnvelope($4, $5, $6, $7, 3006) AND a.id <> $2`,
    [area.areaSetId, area.id, tol, xmin, ymin, xmax, ymax]);
  const own = await db.query<{ d: string; lx: number; ly: number }>(
    `SELECT ST_AsSVG(ST_SimplifyPreserveTopology(geom, $2), 0, 1) AS d, ST_X(ST_PointOnSurface(geom)) AS lx, ST_Y(ST_PointOnSurface(geom)) AS ly FROM areas WHERE id = $1`, [area.id, tol]);
  const vb = `${xmin.toFixed(0)} ${(-ymax).toFixed(0)} ${(xmax - xmin).toFixed(0)} ${(ymax - ymin).toFixed(0)}`;
  const px = (xmax - xmin) / W; // metres per pixel
  let s = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="${vb}" font-family="Liberation Sans, Arial, sans-serif">`;
  s += `<rect x="${xmin}" y="${-ymax}" width="${xmax - xmin}" height="${ymax - ymin}" fill="#f4f1ea"/>`;
  for (const a of ctx.rows) s += `<path d="${a.d}" fill="#ebe7de" stroke="#b9b2a4" stroke-width="${px * 1.2}" fill-rule="evenodd"/>`;
  s += `<path d="${own.rows[0].d}" fill="#ffffff" stroke="none" fill-rule="evenodd"/>`;
  if (hot) {
    for (const c of hot.cells) {
      const ring = hexRing(c.i, c.j, hot.cellSize).map(([x, y]) => `${x.toFixed(0)},${(-y).toFixed(0)}`).join(' ');
      const fill = CLASS_COLORS[c.cls];
      if (fill) s += `<polygon points="${ring}" fill="${fill}" fill-opacity="${c.inArea ? 0.85 : 0.35}" stroke="#ffffff" stroke-width="${px * 0.6}"/>`;
      else if (c.inArea) s += `<polygon points="${ring}" fill="none" stroke="#c9ced6" stroke-width="${px * 0.5}"/>`;
    }
  }
  s += `<path d="${own.rows[0].d}" fill="none" stroke="#1f4e79" stroke-width="${px * 3}" fill-rule="evenodd"/>`;
  for (const a of ctx.rows) {
    if (a.lx < xmin || a.lx > xmax || a.ly < ymin || a.ly > ymax) continue;
    s += `<text x="${a.lx.toFixed(0)}" y="${(-a.ly).toFixed(0)}" font-size="${px * 13}" fill="#7a7263" text-anchor="middle">${esc(a.name)}</text>`;
  }
  s += `<text x="${own.rows[0].lx.toFixed(0)}" y="${(-own.rows[0].ly).toFixed(0)}" font-size="${px * 22}" font-weight="bold" fill="#1f4e79" text-anchor="middle" stroke="#fff" stroke-width="${px * 4}" paint-order="stroke">${esc(area.name)}</text>`;
  // scale bar (a round length about a fifth of the width) and north arrow
  const target = (xmax - xmin) / 5;
  const mag = 10 ** Math.floor(Math.log10(target));
  const len = [1, 2, 5, 10].map((f) => f * mag).filter((v) => v <= target).pop() ?? mag;
  const sx = xmin + px * 30, sy = -ymin - px * 30;
  s += `<rect x="${sx - px * 8}" y="${sy - px * 30}" width="${len + px * 16}" height="${px * 42}" fill="#fff" fill-opacity="0.85"/>`;
  s += `<line x1="${sx}" y1="${sy}" x2="${sx + len}" y2="${sy}" stroke="#222" stroke-width="${px * 3}"/>`;
  s += `<text x="${sx + len / 2}" y="${sy - px * 10}" font-size="${px * 14}" text-anchor="middle" fill="#222">${len >= 1000 ? `${len / 1000} km` : `${len} m`}</text>`;
  const nx = xmax - px * 40, ny = -ymax + px * 30;
  s += `<path d="M ${nx} ${ny} l ${px * 10} ${px * 28} l ${-px * 10} ${-px * 7} l ${-px * 10} ${px * 7} z" fill="#222"/><text x="${nx}" y="${ny + px * 46}" font-size="${px * 14}" text-anchor="middle" fill="#222">N</text>`;
  s += `<text x="${xmax - px * 10}" y="${-ymin - px * 10}" font-size="${px * 11}" text-anchor="end" fill="#7a7263">${lang === 'sv' ? 'Gränser: Stockholms stad (CC0) · SWEREF 99 TM' : 'Boundaries: City of Stockholm (CC0) · SWEREF 99 TM'}</text>`;
  return s + '</svg>';
}
