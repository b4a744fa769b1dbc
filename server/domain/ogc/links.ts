// Absolute links (GDAL and QGIS follow `next` hrefs as given, so they must be absolute), rebuilt from the request's
// own host, with the query parameters that define the resource carried along.
export type Link = { href: string; rel: string; type: string; title?: string };

export const MEDIA = {
  json: 'application/json',
  geojson: 'application/geo+json',
  html: 'text/html',
  csv: 'text/csv',
  openapi: 'application/vnd.oai.openapi+json;version=3.0',
  schema: 'application/schema+json',
} as const;

/** `http://host:port` of the request (the service runs behind no proxy: trustProxy is off). */
export function origin(req: { protocol: string; host: string }): string {
  return `${req.protocol}://${req.host}`;
}

/** base + path + a query string from the defined (non-undefined) values, in the given order. */
export function href(base: string, path: string, query: Record<string, string | number | undefined> = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return `${base}${path}${s ? `?${s}` : ''}`;
}
