// The one place per-area results leave as CSV or GeoJSON (stats, survey, divergence): the same rows as the JSON,
// CSV with the chosen separator and formula injection neutralised, GeoJSON with each area's WGS84 geometry.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CSV_CONTENT_TYPE, toCsv } from '../formats/csv.js';
import { asksForSwedish } from '../plugins/request-lang.js';
import { GEOJSON_CONTENT_TYPE, areaGeometries, featureCollection } from '../formats/geojson.js';

export type AreaRowsOutput<R extends { areaId: number }> = {
  f: 'json' | 'csv' | 'geojson';
  /** omitted: semicolon (decimal comma) in Swedish mode, else comma */
  sep?: 'comma' | 'semicolon';
  areaSetId: string;
  rows: R[];
  csvColumns: string[];
  /** Values the same on every CSV row, as last columns (the period counted and its comparison period) */
  csvConstants?: Record<string, string | number>;
  fileName: string;
  /** Extra members of the GeoJSON FeatureCollection (meta, total …). */
  extra?: Record<string, unknown>;
};

/** Sends CSV or GeoJSON and returns true; returns false for f=json (the caller returns its JSON). */
export async function sendAreaRows<R extends { areaId: number }>(app: FastifyInstance, reply: FastifyReply, o: AreaRowsOutput<R>): Promise<boolean> {
  if (o.f === 'csv') {
    // Swedish mode (lang=sv or Swedish before English in Accept-Language): Swedish column names, ja/nej, decimal comma
    const lang = asksForSwedish(reply.request) ? 'sv' : 'en';
    const sep = o.sep ?? (lang === 'sv' ? 'semicolon' : 'comma');
    // the metadata (sources, disclosure rule, provenance, data version) is the JSON of the same request: linked, never a comment row
    const [path, query] = reply.request.url.split('?');
    const params = new URLSearchParams(query ?? '');
    params.set('f', 'json');
    reply.type(CSV_CONTENT_TYPE).header('Content-Disposition', `attachment; filename="${o.fileName}.csv"`)
      .header('Link', `<${path}?${params.toString()}>; rel="describedby"; type="application/json"`);
    // a string payload skips the JSON serializer (and its schema): the CSV goes out as is
    const k = o.csvConstants ?? {};
    const rows = (o.rows as unknown as Record<string, unknown>[]).map((r) => ({ ...r, ...k }));
    await reply.send(toCsv(rows, [...o.csvColumns, ...Object.keys(k)], { sep, lang }) as never);
    return true;
  }
  if (o.f === 'geojson') {
    const geoms = await areaGeometries(app.db, o.areaSetId);
    const fc = featureCollection(o.rows.map((r) => ({ id: r.areaId, geometry: geoms.get(r.areaId) ?? null, properties: r })), o.extra ?? {});
    reply.type(GEOJSON_CONTENT_TYPE);
    await reply.send(JSON.stringify(fc) as never);
    return true;
  }
  return false;
}
