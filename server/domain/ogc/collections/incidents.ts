// Incident points, for the analyst and admin roles only (the route checks the role and audits every access).
// Only precision 'exact' rows: a row known only to an area has no point, and is never drawn as one.
// `datetime` filters on occurred_from (the start of the possibly uncertain span).
import type { Queryable } from '../../../db/index.js';
import { SOURCES } from '../../../../shared/sources.js';
import { CRS84 } from '../crs.js';
import { addDatetime, addEquals, buildWhere, pagedRows, spatialExtent, SWEDEN_BBOX } from '../paged-query.js';
import type { OgcCollection, OgcFeature } from '../types.js';

const COLUMN: Record<string, string> = { source: 'i.source', category: 'i.category', provider: 'i.provider', status: 'i.status' };
type Row = { id: number; source: string; provider: string; category: string; occurred_from: Date; occurred_to: Date | null; confirmed: boolean | null; status: string | null };
const SELECT = 'i.id, i.source, i.provider, i.category, i.occurred_from, i.occurred_to, i.confirmed, i.status';
const BASE = "i.precision = 'exact' AND i.geom IS NOT NULL";

function toFeature(r: Row & { geometry: OgcFeature['geometry'] }): OgcFeature {
  return {
    type: 'Feature', id: Number(r.id), geometry: r.geometry,
    properties: {
      source: r.source, provider: r.provider, category: r.category,
      occurredFrom: new Date(r.occurred_from).toISOString(), occurredTo: r.occurred_to ? new Date(r.occurred_to).toISOString() : null,
      precision: 'exact', confirmed: r.confirmed, status: r.status,
    },
  };
}

export function incidentsCollection(db: Queryable): OgcCollection {
  return {
    id: 'incidents',
    title: 'Incidents (exact points; analyst role)',
    description: 'Every incident with an exact location, all sources. Restricted to the analyst and admin roles; each access is audited.',
    access: 'exact',
    geometryType: 'point',
    queryables: {
      source: { type: 'string', title: 'Source', enum: [...SOURCES] },
      category: { type: 'string', title: 'Category code (crime code, shooting outcome, guard intervention, report category)' },
      provider: { type: 'string', title: 'Data provider (file, polisen, synthetic …)' },
      status: { type: 'string', title: 'Status' },
    },
    datetimeMeaning: 'incidents whose occurred_from lies in the instant (a date: that whole local day) or interval',
    async extent() {
      const [bbox, t] = await Promise.all([
        spatialExtent(db, 'geom', 'incidents', BASE.replace(/i\./g, ''), []),
        db.query<{ lo: Date | null; hi: Date | null }>(`SELECT min(occurred_from) AS lo, max(occurred_from) AS hi FROM incidents i WHERE ${BASE}`),
      ]);
      const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
      return {
        spatial: { bbox: [bbox ?? SWEDEN_BBOX], crs: CRS84 },
        temporal: { interval: [[iso(t.rows[0]?.lo ?? null), iso(t.rows[0]?.hi ?? null)]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' },
      };
    },
    async items(q) {
      const w = buildWhere([BASE], [], q, 'i.geom');
      for (const [k, v] of Object.entries(q.filters)) if (COLUMN[k]) addEquals(w, COLUMN[k], v);
      addDatetime(w, q, 'i.occurred_from');
      const page = await pagedRows<Row>(db, { from: 'incidents i', where: w, select: SELECT, geomColumn: 'i.geom', crs: q.crs, orderBy: 'i.id', limit: q.limit, offset: q.offset });
      return { numberMatched: page.numberMatched, features: page.rows.map(toFeature) };
    },
    async item(featureId, crs) {
      if (!/^\d{1,15}$/.test(featureId)) return null;
      const w = buildWhere([BASE, 'i.id = $1'], [Number(featureId)], { bbox: null }, 'i.geom');
      const page = await pagedRows<Row>(db, { from: 'incidents i', where: w, select: SELECT, geomColumn: 'i.geom', crs, orderBy: 'i.id', limit: 1, offset: 0 });
      return page.rows[0] ? toFeature(page.rows[0]) : null;
    },
  };
}
