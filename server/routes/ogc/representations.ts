// The JSON documents of the OGC resources (landing page, conformance, collection metadata), built once here so the
// JSON and HTML views carry the same content and links.
import { EPSG3006, SUPPORTED_CRS } from '../../domain/ogc/crs.js';
import { href, MEDIA, type Link } from '../../domain/ogc/links.js';
import type { OgcCollection } from '../../domain/ogc/types.js';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters',
];

/** self + alternate links for a resource offered as JSON (or GeoJSON) and HTML; `self` is the format served. */
export function selfLinks(base: string, path: string, query: Record<string, string | number | undefined>, served: 'json' | 'geojson' | 'html', jsonType: string = MEDIA.json, extra: { csv?: boolean } = {}): Link[] {
  const variants: Link[] = [
    { href: href(base, path, { ...query, f: 'json' }), rel: 'alternate', type: jsonType, title: 'This document as JSON' },
    { href: href(base, path, { ...query, f: 'html' }), rel: 'alternate', type: MEDIA.html, title: 'This document as HTML' },
  ];
  if (extra.csv) variants.push({ href: href(base, path, { ...query, f: 'csv' }), rel: 'alternate', type: MEDIA.csv, title: 'This page as CSV' });
  const selfType = served === 'html' ? MEDIA.html : jsonType;
  return variants.map((l) => (l.type === selfType ? { ...l, rel: 'self' } : l));
}

export function landingDoc(base: string, served: 'json' | 'html') {
  return {
    title: 'Trygghetskarta – OGC API Features',
    description: 'Areas with population, per-area crime and safety statistics (suppressed below the threshold for the public), hotspot cells and platssamverkan places, for QGIS, ArcGIS, GDAL and other OGC API – Features clients.',
    links: [
      ...selfLinks(base, '/ogc', {}, served),
      { href: `${base}/ogc/api`, rel: 'service-desc', type: MEDIA.openapi, title: 'The API definition (OpenAPI 3.0)' },
      { href: `${base}/ogc/api?f=html`, rel: 'service-doc', type: MEDIA.html, title: 'The API documentation' },
      { href: `${base}/ogc/conformance`, rel: 'conformance', type: MEDIA.json, title: 'Conformance classes implemented' },
      { href: `${base}/ogc/collections`, rel: 'data', type: MEDIA.json, title: 'The feature collections' },
    ] as Link[],
  };
}

export async function collectionDoc(base: string, c: OgcCollection, served: 'json' | 'html' | null) {
  const p = `/ogc/collections/${encodeURIComponent(c.id)}`;
  const links: Link[] = [
    ...(served ? selfLinks(base, p, {}, served) : [{ href: href(base, p, { f: 'json' }), rel: 'self', type: MEDIA.json, title: 'This collection' }]),
    { href: `${base}${p}/items?f=json`, rel: 'items', type: MEDIA.geojson, title: 'The features as GeoJSON' },
    { href: `${base}${p}/items?f=html`, rel: 'items', type: MEDIA.html, title: 'The features as HTML' },
    { href: `${base}${p}/items?f=csv`, rel: 'items', type: MEDIA.csv, title: 'The features as CSV' },
    { href: `${base}${p}/queryables`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: MEDIA.schema, title: 'The property filters' },
  ];
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    itemType: 'feature',
    extent: await c.extent(),
    crs: [...SUPPORTED_CRS],
    storageCrs: EPSG3006,
    links,
  };
}

export function queryablesDoc(base: string, c: OgcCollection) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${base}/ogc/collections/${encodeURIComponent(c.id)}/queryables`,
    type: 'object',
    title: c.title,
    properties: Object.fromEntries(Object.entries(c.queryables).map(([k, q]) => [k, { title: q.title, type: q.type, ...(q.enum ? { enum: q.enum } : {}) }])),
    additionalProperties: false,
  };
}
