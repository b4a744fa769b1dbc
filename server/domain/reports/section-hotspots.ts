// Section 4's hot spots and "places with most incidents": the same analysis /api/hotspots runs (computeHotspots over
// the report area's whole set as study area, so the reference is the city, not the district alone), then the cells
// whose centre lies in the report area, and those in the rest of the map's window for context. Places are hexagon
// cells and basområden — never points — named as a reader knows them (the basområde or district, and the nearest
// metro station or stop), never by grid index or class code. Every count comes through the viewer's disclosure control
// (the analysis's cells already do; the basområden here too).
import type { Queryable } from '../../db/index.js';
import { REFERENCE_SETS } from '../bundled-files.js';
import { computeHotspots, type HotspotCell } from '../hotspots/compute-hotspots.js';
import { hexCentre } from '../hotspots/hex-grid.js';
import type { Disclosure } from '../disclosure/disclosure-control.js';
import { disclosureSecret, recordKeySql } from '../disclosure/cell-key.js';
import type { AreaInfo } from './report-area.js';
import { reportMapExtent } from './map-extent.js';
import { nearLandmarkText } from './place-names.js';
import type { HotPlace, Lang, MapImage } from './types.js';

export const CLASS_COLORS: Record<string, string> = {
  'hot-99': '#b2182b', 'hot-95': '#ef8a62', 'hot-90': '#fddbc7', 'cold-90': '#d1e5f0', 'cold-95': '#67a9cf', 'cold-99': '#2166ac',
};

/** The hotspot classes in words (legend and the "places with most events" rows). */
export const CLASS_LABELS: Record<Lang, Record<string, string>> = {
  sv: { 'hot-99': 'Hot spot 99 %', 'hot-95': 'Hot spot 95 %', 'hot-90': 'Hot spot 90 %', 'cold-90': 'Cold spot 90 %', 'cold-95': 'Cold spot 95 %', 'cold-99': 'Cold spot 99 %', 'not-significant': 'Ej signifikant' },
  en: { 'hot-99': 'Hot spot 99 %', 'hot-95': 'Hot spot 95 %', 'hot-90': 'Hot spot 90 %', 'cold-90': 'Cold spot 90 %', 'cold-95': 'Cold spot 95 %', 'cold-99': 'Cold spot 99 %', 'not-significant': 'Not significant' },
};

/** A cell's class as a phrase for a table row. */
function classPhrase(lang: Lang, cls: string): string {
  const m = /^(hot|cold)-(\d+)$/.exec(cls);
  if (!m) return lang === 'sv' ? 'ingen statistiskt säkerställd koncentration' : 'no statistically significant concentration';
  const hot = m[1] === 'hot';
  return lang === 'sv'
    ? `statistiskt säkerställd ${hot ? 'hot spot' : 'cold spot'} (${m[2]} %)`
    : `statistically significant ${hot ? 'hot spot' : 'cold spot'} (${m[2]} %)`;
}

export type HotspotSection = {
  summary: { cellSize: number; hot: number; cold: number; cells: number; alpha: number; source: string };
  /** cells in (or touching) the area, 3006 centre coordinates, for the map image */
  cells: { i: number; j: number; cls: string; count: number | null; inArea: boolean }[];
  legend: MapImage['legend'];
  topPlaces: HotPlace[];
  cellSize: number;
};

type Q = { area: AreaInfo; from: string; to: string; disclosure: Disclosure; lang: Lang };

export function reportCellSize(level: string): number {
  return level === 'kommun' || level === 'county' ? 1000 : 250;
}

export async function hotspotSection(db: Queryable, q: Q, note: (k: string, t: string) => void): Promise<HotspotSection | null> {
  const cellSize = reportCellSize(q.area.level);
  const alpha = 0.05;
  let r;
  try {
    r = await computeHotspots(db, { areaSet: q.area.areaSetId, cellSize, alpha, filter: { source: 'crimes', from: q.from, to: q.to }, disclosure: q.disclosure });
  } catch (e) {
    note('whereWhen', q.lang === 'sv' ? `Hot spot-analysen kunde inte göras: ${(e as Error).message}` : `The hotspot analysis could not be run: ${(e as Error).message}`);
    return null;
  }
  // the cells of the study grid whose centre lies in the area, and those in the rest of the map's window (context)
  // (centres tested against the small area pieces: a 5,000-vertex outline costs no more than a square)
  const [x0, y0, x1, y1] = (await reportMapExtent(db, q.area.id)).box3006;
  const near = await db.query<{ i: number; j: number; inside: boolean }>(
    `SELECT h.i, h.j, EXISTS (SELECT 1 FROM area_pieces p WHERE p.area_id = $1 AND p.geom && ST_Centroid(h.geom) AND ST_Intersects(p.geom, ST_Centroid(h.geom))) AS inside
     FROM ST_HexagonGrid($2::float8, ST_MakeEnvelope($3, $4, $5, $6, 3006)) h`, [q.area.id, cellSize, x0, y0, x1, y1]);
  const inside = new Map(near.rows.map((c) => [`${c.i},${c.j}`, Boolean(c.inside)]));
  const byKey = new Map(r.cells.map((c) => [`${c.i},${c.j}`, c]));
  const local = [...inside.keys()].map((key) => byKey.get(key)).filter((c): c is HotspotCell => Boolean(c));
  const inArea = local.filter((c) => inside.get(`${c.i},${c.j}`));
  const cells = local.map((c) => ({ i: c.i, j: c.j, cls: c.class, count: c.count, inArea: Boolean(inside.get(`${c.i},${c.j}`)) }));

  const legendOrder = ['hot-99', 'hot-95', 'hot-90', 'cold-90', 'cold-95', 'cold-99'];
  const labels = CLASS_LABELS[q.lang];
  const legend = legendOrder.map((cls) => ({ cls, label: labels[cls], color: CLASS_COLORS[cls], cells: inArea.filter((c) => c.class === cls).length }))
    .filter((l) => l.cells > 0 || l.cls === 'hot-99' || l.cls === 'hot-95');
  legend.push({ cls: 'not-significant', label: labels['not-significant'], color: '#ffffff', cells: inArea.filter((c) => c.class === 'not-significant').length });

  const topPlaces = await topPlacesFor(db, q, inArea, cellSize);
  if (r.imprecise) {
    note('whereWhen', q.lang === 'sv'
      ? `Hot spot-analysen bygger på händelser med exakt läge; ${r.imprecise} händelser i hela indelningen är bara kända på områdesnivå och ingår inte.`
      : `The hotspot analysis uses events with an exact location; ${r.imprecise} events in the whole division are known only to an area and are left out.`);
  }
  return {
    summary: { cellSize, alpha, source: 'crimes', cells: inArea.length, hot: inArea.filter((c) => c.class.startsWith('hot')).length, cold: inArea.filter((c) => c.class.startsWith('cold')).length },
    cells, legend, topPlaces, cellSize,
  };
}

/** The hexagon cells and basområden of the area with most crimes in the period (public: published counts, below k never listed). */
async function topPlacesFor(db: Queryable, q: Q, inArea: HotspotCell[], cellSize: number): Promise<HotPlace[]> {
  const d = q.disclosure;
  const out: HotPlace[] = [];
  const topCells = inArea.filter((c): c is HotspotCell & { count: number } => c.count !== null && c.count > 0).sort((a, b) => b.count - a.count).slice(0, 5);
  if (topCells.length) {
    const centres = topCells.map((c) => hexCentre(c.i, c.j, cellSize));
    // the basområde (Stockholm city), else the district, else the municipality the cell's centre lies in
    const names = await db.query<{ idx: number; bas: string | null; district: string | null; kommun: string | null; lon: number; lat: number }>(
      `SELECT t.idx,
         (SELECT b.name FROM areas b WHERE b.area_set_id = $4 AND b.geom && p.pt AND ST_Intersects(b.geom, p.pt) LIMIT 1) AS bas,
         (SELECT b.name FROM areas b WHERE b.area_set_id = $5 AND b.geom && p.pt AND ST_Intersects(b.geom, p.pt) LIMIT 1) AS district,
         (SELECT b.name FROM areas b WHERE b.area_set_id = $6 AND b.geom && p.pt AND ST_Intersects(b.geom, p.pt) LIMIT 1) AS kommun,
         ST_X(ST_Transform(p.pt, 4326)) AS lon, ST_Y(ST_Transform(p.pt, 4326)) AS lat
       FROM unnest($1::int[], $2::float8[], $3::float8[]) AS t(idx, x, y), LATERAL (SELECT ST_SetSRID(ST_MakePoint(t.x, t.y), 3006) AS pt) p`,
      [centres.map((_, i) => i), centres.map((c) => c[0]), centres.map((c) => c[1]), REFERENCE_SETS.basomraden, REFERENCE_SETS.stadsdelar, REFERENCE_SETS.kommuner]);
    const byIdx = new Map(names.rows.map((n) => [Number(n.idx), n]));
    topCells.forEach((c, i) => {
      const n = byIdx.get(i);
      const base = n?.bas ?? n?.district ?? n?.kommun ?? q.area.name;
      const near = n ? nearLandmarkText(q.lang, Number(n.lon), Number(n.lat)) : null;
      // inside one basområde (a basområde's own report) the landmark tells the rows apart; else the area's name leads
      const name = near && (q.area.areaSetId === REFERENCE_SETS.basomraden || base === q.area.name) ? capitalise(near) : base;
      const where = near && name !== capitalise(near) ? `${near} · ` : '';
      out.push({
        kind: 'hexagon', name, count: c.count, suppressed: false,
        detail: `${where}${classPhrase(q.lang, c.class)}`,
      });
    });
  }
  if (q.area.areaSetId !== REFERENCE_SETS.basomraden) {
    const b = await db.query<{ name: string; n: number; ks: string }>(
      `WITH inside AS (
         SELECT b.id, b.name FROM areas b JOIN areas a ON a.id = $1 AND a.geom && b.geom
         WHERE b.area_set_id = 'basomraden'
           AND EXISTS (SELECT 1 FROM area_pieces p WHERE p.area_id = $1 AND p.geom && b.geom AND ST_Intersects(p.geom, ST_PointOnSurface(b.geom))))
       SELECT i.name, sum(d.n)::int AS n, (sum(d.n::bigint * ${recordKeySql('$4::text', 'd.source', 'd.category', 'd.day')}) % ${2 ** 24})::bigint AS ks
       FROM inside i JOIN area_day_counts d ON d.area_set_id = 'basomraden' AND d.area_id = i.id
       WHERE d.source = 'crimes' AND d.day >= $2::date AND d.day < $3::date
       GROUP BY i.name ORDER BY 2 DESC LIMIT 5`, [q.area.id, q.from, q.to, await disclosureSecret(db)]);
    for (const x of b.rows) {
      const count = d.count(Number(x.n), Number(x.ks));
      if (count === null) continue;
      out.push({ kind: 'basomrade', name: x.name, count, suppressed: false, detail: '' });
    }
  }
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
