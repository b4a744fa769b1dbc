// The hotspot map image of the report, always in the report area's own area set and fitted to the area (its bounding
// box with a margin, in an image shaped like it: domain/reports/map-extent.ts), with the neighbouring areas of the same
// set and the hotspot cells around it for context. Preferred: a screenshot of the real map (the web app's report view,
// /?view=report&set=<set>&area=<id>&from=&to=, which fits the area and sets data-report-ready="1" on <body> once drawn)
// from our own server. Fallback — when the server is not listening (tests), the view never signals ready within
// the timeout, does not show the area, or Chromium fails: an SVG drawn here from the same hotspot cells (area outline,
// neighbouring areas, hexagons coloured by class, metro stations, scale bar) rendered to PNG by the same Chromium.
// Without Chromium: no image, a note. The content records the window shown (MapImage.bounds, WGS84).
import type { Queryable } from '../db/index.js';
import { hexRing } from '../domain/hotspots/hex-grid.js';
import type { BrowserPool } from './browser.js';
import { htmlToPng, urlToPng } from './render-pdf.js';
import { esc } from './escape.js';
import type { AreaInfo } from '../domain/reports/report-area.js';
import { reportMapExtent, type MapExtent } from '../domain/reports/map-extent.js';
import { metroStationsIn } from '../domain/reports/place-names.js';
import { CLASS_COLORS, type HotspotSection } from '../domain/reports/section-hotspots.js';
import type { Lang, MapImage } from '../domain/reports/types.js';

export type MapImageOptions = { pool: BrowserPool; lang: Lang; baseUrl?: string | null; realMapTimeoutMs?: number };

type Bounds = [number, number, number, number];
let realMapFailedAt = 0;

/**
 * `hotIn` may be a promise: the real map does not need the report's hotspot section (only its legend, at the end), so
 * the report starts the screenshot while its sections are still being computed.
 */
export async function renderMapImage(db: Queryable, area: AreaInfo, hotIn: HotspotSection | null | Promise<HotspotSection | null>, period: { from: string; to: string }, o: MapImageOptions): Promise<MapImage> {
  // the caller handles a rejected section; here it only means no legend and no cells
  const hotP = Promise.resolve(hotIn).catch(() => null);
  const areaSetId = area.areaSetId;
  if (!o.pool.available()) {
    const legend = (await hotP)?.legend ?? [];
    return { dataUri: null, kind: 'none', note: o.lang === 'sv' ? 'Chromium saknas på servern.' : 'Chromium is not installed on the server.', legend, bounds: null, areaSetId };
  }
  const extent = await reportMapExtent(db, area.id);
  // the real map, unless it failed recently (then every report would wait for the timeout)
  if (o.baseUrl && Date.now() - realMapFailedAt > 10 * 60_000) {
    try {
      const q = new URLSearchParams({ view: 'report', set: area.areaSetId, area: String(area.id), from: period.from, to: period.to, lang: o.lang });
      let shown: Bounds | null = null;
      const png = await urlToPng(o.pool, `${o.baseUrl}/?${q}`, {
        width: extent.width, height: extent.height, deviceScaleFactor: 1.5, timeoutMs: o.realMapTimeoutMs ?? 20000,
        ready: async (page) => {
          // the map's report view sets body[data-report-ready="1"] once MapLibre is idle with every layer drawn
          await page.waitForFunction(() => document.body?.dataset.reportReady === '1',
            undefined, { timeout: o.realMapTimeoutMs ?? 20000 });
          shown = await page.evaluate(() => {
            const m = (window as unknown as { __tk?: { map?: { getBounds(): { toArray(): number[][] } } } }).__tk?.map;
            const b = m?.getBounds().toArray();
            return b ? [b[0][0], b[0][1], b[1][0], b[1][1]] as Bounds : null;
          });
        },
      });
      // the view fits the selected area; if it did not (area not found in its set), draw the map here instead
      if (shown && within(shown, extent.bounds, 0.25)) {
        const legend = (await hotP)?.legend ?? [];
        return { dataUri: `data:image/png;base64,${png.toString('base64')}`, kind: 'real-map', note: '', legend, bounds: roundBounds(shown), areaSetId };
      }
    } catch {
      realMapFailedAt = Date.now();
    }
  }
  const hot = await hotP;
  const legend = hot?.legend ?? [];
  try {
    const svg = await hotspotSvg(db, area, hot, o.lang, extent);
    const png = await htmlToPng(o.pool, `<!DOCTYPE html><html><body style="margin:0;background:#fff">${svg}</body></html>`, { width: extent.width, height: extent.height, deviceScaleFactor: 1.5 });
    return { dataUri: `data:image/png;base64,${png.toString('base64')}`, kind: 'svg-fallback', note: '', legend, bounds: extent.bounds, areaSetId };
  } catch (e) {
    return { dataUri: null, kind: 'none', note: (e as Error).message.split('\n')[0], legend, bounds: null, areaSetId };
  }
}

/** Whether window a lies inside window b grown by `grow` of its width and height on each side. */
function within(a: Bounds, b: Bounds, grow: number): boolean {
  const gx = (b[2] - b[0]) * grow, gy = (b[3] - b[1]) * grow;
  return a[0] >= b[0] - gx && a[1] >= b[1] - gy && a[2] <= b[2] + gx && a[3] <= b[3] + gy;
}

function roundBounds(b: Bounds): Bounds {
  return b.map((v) => Math.round(v * 1e6) / 1e6) as Bounds;
}

/** The map as SVG in EPSG:3006 metres (y flipped, as ST_AsSVG writes it), over the report's map window. */
export async function hotspotSvg(db: Queryable, area: AreaInfo, hot: HotspotSection | null, lang: Lang, extent: MapExtent): Promise<string> {
  const [xmin, ymin, xmax, ymax] = extent.box3006;
  const W = extent.width, H = extent.height;
  const tol = (xmax - xmin) / W; // one pixel
  // the neighbours of the same set in the window, each labelled inside the part of it the map shows
  const inset = (xmax - xmin) * 0.06;
  const ctx = await db.query<{ id: number; name: string; d: string; lx: number | null; ly: number | null }>(
    `SELECT a.id, a.name, ST_AsSVG(ST_SimplifyPreserveTopology(a.geom, $3), 0, 1) AS d, ST_X(l.p) AS lx, ST_Y(l.p) AS ly
     FROM areas a
     LEFT JOIN LATERAL (SELECT ST_PointOnSurface(c) AS p FROM (SELECT ST_ClipByBox2D(a.geom, ST_MakeEnvelope($4::float8 + $8::float8, $5::float8 + $8::float8, $6::float8 - $8::float8, $7::float8 - $8::float8, 3006)::box2d) AS c) x WHERE NOT ST_IsEmpty(c)) l ON true
     WHERE a.area_set_id = $1 AND a.geom && ST_MakeEnvelope($4, $5, $6, $7, 3006) AND a.id <> $2`,
    [area.areaSetId, area.id, tol, xmin, ymin, xmax, ymax, inset]);
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
  // metro stations in the window: the landmarks the "places with most events" rows are named by
  const stations = metroStationsIn(extent.bounds);
  if (stations.length) {
    const pts = await db.query<{ x: number; y: number }>(
      `SELECT ST_X(p) AS x, ST_Y(p) AS y FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(lon, lat, n),
         LATERAL (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326), 3006) AS p) q ORDER BY t.n`,
      [stations.map((m) => m.lon), stations.map((m) => m.lat)]);
    pts.rows.forEach((p, i) => {
      const x = Number(p.x), y = -Number(p.y);
      s += `<circle cx="${x.toFixed(0)}" cy="${y.toFixed(0)}" r="${px * 5}" fill="#1d4f91" stroke="#fff" stroke-width="${px * 1.5}"/>`;
      s += `<text x="${(x + px * 8).toFixed(0)}" y="${(y + px * 4).toFixed(0)}" font-size="${px * 12}" fill="#1d4f91" stroke="#fff" stroke-width="${px * 3}" paint-order="stroke">${esc(stations[i].name)}</text>`;
    });
  }
  for (const a of ctx.rows) {
    if (a.lx === null || a.ly === null) continue;
    s += `<text x="${Number(a.lx).toFixed(0)}" y="${(-Number(a.ly)).toFixed(0)}" font-size="${px * 13}" fill="#6b6355" text-anchor="middle" stroke="#fff" stroke-width="${px * 3}" paint-order="stroke">${esc(a.name)}</text>`;
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
