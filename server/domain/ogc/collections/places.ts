// Platssamverkan places (polygons) with their public fields: name, status, dates, description, district and the
// synthetic flag. Partners, goals and measures stay in the places API. `datetime` selects places whose active span
// (start_date .. end_date, open when unset) overlaps it.
import type { Queryable } from '../../../db/index.js';
import { CRS84 } from '../crs.js';
import type { DatetimeFilter } from '../datetime.js';
import { addEquals, buildWhere, pagedRows, spatialExtent, SWEDEN_BBOX, type WhereBuilder } from '../paged-query.js';
import type { OgcCollection, OgcFeature } from '../types.js';

const COLUMN: Record<string, string> = { name: 'p.name', status: 'p.status' };
const FROM = 'places p LEFT JOIN areas d ON d.id = p.district_area_id';
type PlaceRow = { id: number; name: string; status: string; start_date: string | null; end_date: string | null; description: string; synthetic: boolean; district: string | null; district_code: string | null };
const SELECT = 'p.id, p.name, p.status, p.start_date::text AS start_date, p.end_date::text AS end_date, p.description, p.synthetic, d.name AS district, d.code AS district_code';

function addOverlap(w: WhereBuilder, f: DatetimeFilter | null) {
  if (!f) return;
  // a place is active from start_date through end_date (inclusive days); compare as dates in local time
  const day = (b: NonNullable<DatetimeFilter['start']>) => (b.kind === 'date' ? b.day : b.at);
  if (f.end) { w.params.push(day(f.end)); w.conds.push(`(p.start_date IS NULL OR p.start_date <= ${f.end.kind === 'date' ? `$${w.params.length}::date` : `($${w.params.length}::timestamptz AT TIME ZONE 'Europe/Stockholm')::date`})`); }
  if (f.start) { w.params.push(day(f.start)); w.conds.push(`(p.end_date IS NULL OR p.end_date >= ${f.start.kind === 'date' ? `$${w.params.length}::date` : `($${w.params.length}::timestamptz AT TIME ZONE 'Europe/Stockholm')::date`})`); }
}

function toFeature(r: PlaceRow & { geometry: OgcFeature['geometry'] }): OgcFeature {
  return {
    type: 'Feature', id: Number(r.id), geometry: r.geometry,
    properties: { name: r.name, status: r.status, startDate: r.start_date, endDate: r.end_date, description: r.description, district: r.district, districtCode: r.district_code, synthetic: r.synthetic },
  };
}

export function placesCollection(db: Queryable): OgcCollection {
  return {
    id: 'places',
    title: 'Platssamverkan places',
    description: 'Places where the city, police and local partners work together (platssamverkan), with status and active dates. Places marked synthetic are demo data.',
    access: 'public',
    geometryType: 'polygon',
    queryables: {
      name: { type: 'string', title: 'Place name' },
      status: { type: 'string', title: 'Status', enum: ['planned', 'active', 'ended'] },
    },
    datetimeMeaning: 'places active (start date through end date) at some time in the instant or interval',
    async extent() {
      const [bbox, t] = await Promise.all([
        spatialExtent(db, 'geom', 'places', '', []),
        db.query<{ lo: string | null; hi: string | null }>('SELECT min(start_date)::text AS lo, max(end_date)::text AS hi FROM places'),
      ]);
      return {
        spatial: { bbox: [bbox ?? SWEDEN_BBOX], crs: CRS84 },
        temporal: { interval: [[t.rows[0]?.lo ? `${t.rows[0].lo}T00:00:00Z` : null, t.rows[0]?.hi ? `${t.rows[0].hi}T23:59:59Z` : null]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' },
      };
    },
    async items(q) {
      const w = buildWhere([], [], q, 'p.geom');
      for (const [k, v] of Object.entries(q.filters)) if (COLUMN[k]) addEquals(w, COLUMN[k], v);
      addOverlap(w, q.datetime);
      const page = await pagedRows<PlaceRow>(db, { from: FROM, where: w, select: SELECT, geomColumn: 'p.geom', crs: q.crs, orderBy: 'p.id', limit: q.limit, offset: q.offset });
      return { numberMatched: page.numberMatched, features: page.rows.map(toFeature) };
    },
    async item(featureId, crs) {
      if (!/^\d{1,15}$/.test(featureId)) return null;
      const w = buildWhere(['p.id = $1'], [Number(featureId)], { bbox: null }, 'p.geom');
      const page = await pagedRows<PlaceRow>(db, { from: FROM, where: w, select: SELECT, geomColumn: 'p.geom', crs, orderBy: 'p.id', limit: 1, offset: 0 });
      return page.rows[0] ? toFeature(page.rows[0]) : null;
    },
  };
}
