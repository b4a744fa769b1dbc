// `hotspots`: the hexagon cells of the hot-spot analysis (/api/hotspots: Getis-Ord Gi*, Benjamini–Hochberg FDR),
// with the defaults documented there: study area the region's default set (REGION: stadsdelar where Stockholm city is
// in it, else its municipalities), cell size 250 m, alpha 0.05, source crimes, the 12 months up to the latest data. `source=` chooses the analysed source, `datetime=` (dates) the period, `class=` filters
// cells. The caller's disclosure control applies exactly as in /api/hotspots.
// Feature id "i:j" is the cell's index on the fixed EPSG:3006 grid (stable for a cell size).
import type { Geometry } from 'geojson';
import type { Queryable } from '../../../db/index.js';
import { SOURCES, type Source } from '../../../../shared/sources.js';
import { HOTSPOT_CLASSES } from '../../hotspots/classify.js';
import { computeHotspots, type HotspotCell } from '../../hotspots/compute-hotspots.js';
import { hexRing } from '../../hotspots/hex-grid.js';
import { resolvePeriod, type Period } from '../../period/resolve-period.js';
import type { Disclosure } from '../../disclosure/disclosure-control.js';
import { memo } from '../../data-version/memo.js';
import { addDays } from '../../../../shared/dates.js';
import { bboxSql, CRS84, type Bbox, type OgcCrs } from '../crs.js';
import { datetimeToDays, type DatetimeFilter } from '../datetime.js';
import type { OgcCollection, OgcFeature } from '../types.js';
import { areaSetSpatialExtent } from './area-set.js';

/** The study area is not here: it is the region's default area set (hotspotsCollection's studyArea). */
export const HOTSPOT_DEFAULTS = { cellSize: 250, alpha: 0.05, source: 'crimes' as Source };

type Analysis = { period: { from: string; to: string }; cells: HotspotCell[]; n: number | null; imprecise: number | null };

async function analysis(db: Queryable, studyArea: string, source: Source, dt: DatetimeFilter | null, d: Disclosure): Promise<Analysis> {
  const { from, to } = dt ? datetimeToDays(dt) : { from: undefined, to: undefined };
  const asked: Period = await resolvePeriod(db, source, from, to);
  const period = d.period(asked.from, asked.to);
  return memo(db, `ogc-hotspots|${studyArea}|${source}|${period.from}|${period.to}|${d.exact}`, async () => {
    const r = await computeHotspots(db, { areaSet: studyArea, cellSize: HOTSPOT_DEFAULTS.cellSize, alpha: HOTSPOT_DEFAULTS.alpha,
      filter: { source, from: period.from, to: period.to }, disclosure: d });
    return { period: r.period, cells: r.cells, n: r.n, imprecise: r.imprecise };
  });
}

/** The query bbox as an EPSG:3006 envelope [minx, miny, maxx, maxy]. */
async function envelope3006(db: Queryable, b: Bbox): Promise<number[] | null> {
  const s = bboxSql(b, 1);
  const r = await db.query<{ x0: number | null; y0: number; x1: number; y1: number }>(
    `SELECT ST_XMin(g) AS x0, ST_YMin(g) AS y0, ST_XMax(g) AS x1, ST_YMax(g) AS y1 FROM (SELECT ${s.sql} AS g) t`, s.params);
  const e = r.rows[0];
  return e && e.x0 !== null ? [e.x0, e.y0, e.x1, e.y1] : null;
}

function geometry(c: HotspotCell, crs: OgcCrs): Geometry {
  if (crs === CRS84) return JSON.parse(c.geometry) as Geometry;
  // EPSG:3006 axis order: northing, easting
  return { type: 'Polygon', coordinates: [hexRing(c.i, c.j, HOTSPOT_DEFAULTS.cellSize).map(([x, y]) => [Math.round(y * 100) / 100, Math.round(x * 100) / 100])] };
}

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

function toFeature(c: HotspotCell, a: Analysis, source: Source, crs: OgcCrs): OgcFeature {
  return {
    type: 'Feature', id: `${c.i}:${c.j}`, geometry: geometry(c, crs),
    properties: {
      i: c.i, j: c.j, class: c.class, count: c.count, giZ: round(c.giZ), p: c.p, pAdjusted: c.pAdjusted,
      neighbours: c.neighbours, source, periodFrom: a.period.from, periodTo: a.period.to, periodLastDay: addDays(a.period.to, -1), cellSize: HOTSPOT_DEFAULTS.cellSize,
    },
  };
}

/** `studyArea`: the area set whose areas the cells touch — the region's default set, as /api/hotspots without areaSet. */
export function hotspotsCollection(db: Queryable, access: Disclosure, studyArea: string): OgcCollection {
  const sourceOf = (f: Record<string, string>) => (f.source as Source | undefined) ?? HOTSPOT_DEFAULTS.source;
  return {
    id: 'hotspots',
    title: 'Hot spots (Gi*, FDR-corrected)',
    description: `Hexagon cells (edge ${HOTSPOT_DEFAULTS.cellSize} m on the EPSG:3006 grid) over the area set ${studyArea} with their Getis-Ord Gi* z, ` +
      `Benjamini–Hochberg adjusted p (alpha ${HOTSPOT_DEFAULTS.alpha}) and class (${HOTSPOT_CLASSES.join(', ')}). ` +
      'source= chooses the source (default crimes); datetime=YYYY-MM-DD/YYYY-MM-DD the period (default the 12 months up to the latest data). ' +
      (access.exact ? 'Exact counts (your role).' : `As /api/hotspots for the public: grid periods, counts below ${access.k} null, larger ones protected, classes from the published counts.`),
    access: 'public',
    geometryType: 'polygon',
    queryables: {
      source: { type: 'string', title: 'The analysed source (default crimes)', enum: [...SOURCES] },
      class: { type: 'string', title: 'Hot-spot class', enum: [...HOTSPOT_CLASSES] },
    },
    datetimeMeaning: 'the period analysed (dates only, whole local days; default the 12 months up to the latest data)',
    async extent() {
      return { spatial: await areaSetSpatialExtent(db, studyArea) };
    },
    async items(q) {
      const source = sourceOf(q.filters);
      const a = await analysis(db, studyArea, source, q.datetime, access);
      let cells = q.filters.class ? a.cells.filter((c) => c.class === q.filters.class) : a.cells;
      if (q.bbox) {
        const e = await envelope3006(db, q.bbox);
        const s = HOTSPOT_DEFAULTS.cellSize;
        cells = e ? cells.filter((c) => {
          const ring = hexRing(c.i, c.j, s);
          const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
          return Math.max(...xs) >= e[0] && Math.min(...xs) <= e[2] && Math.max(...ys) >= e[1] && Math.min(...ys) <= e[3];
        }) : [];
      }
      return {
        numberMatched: cells.length,
        features: cells.slice(q.offset, q.offset + q.limit).map((c) => toFeature(c, a, source, q.crs)),
        extra: { period: a.period, source, cellSize: HOTSPOT_DEFAULTS.cellSize, alpha: HOTSPOT_DEFAULTS.alpha, studyArea, incidents: a.n, impreciseLeftOut: a.imprecise },
      };
    },
    async item(featureId, crs, datetime) {
      const m = /^(-?\d{1,9}):(-?\d{1,9})$/.exec(featureId);
      if (!m) return null;
      const a = await analysis(db, studyArea, HOTSPOT_DEFAULTS.source, datetime, access);
      const c = a.cells.find((x) => x.i === Number(m[1]) && x.j === Number(m[2]));
      return c ? toFeature(c, a, HOTSPOT_DEFAULTS.source, crs) : null;
    },
  };
}
