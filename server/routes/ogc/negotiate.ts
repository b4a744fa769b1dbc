// Output format: the `f` parameter wins; otherwise the Accept header (q-values, then order), so a browser
// (Accept: text/html,…) gets HTML and GDAL/QGIS (Accept: application/json / geo+json) get JSON.
import type { FastifyRequest } from 'fastify';
import { badRequest } from '../../plugins/errors.js';

export type Format = 'json' | 'geojson' | 'html' | 'csv';

const BY_MEDIA: Record<string, Format> = {
  'text/html': 'html', 'application/xhtml+xml': 'html',
  'application/json': 'json', 'application/geo+json': 'geojson', 'text/csv': 'csv',
  'application/vnd.oai.openapi+json': 'json', 'application/schema+json': 'json',
};

export function negotiate(req: FastifyRequest, allowed: Format[], dflt: Format): Format {
  const f = (req.query as Record<string, unknown> | undefined)?.f;
  if (f !== undefined) {
    if (typeof f === 'string' && (allowed as string[]).includes(f)) return f as Format;
    throw badRequest(`Parameter "f" must be one of ${allowed.join(', ')}.`, { errors: [{ parameter: 'f', in: 'querystring', message: `one of ${allowed.join(', ')}` }] });
  }
  const accept = req.headers.accept;
  if (!accept) return dflt;
  const ranges = accept.split(',').slice(0, 30).map((part, i) => {
    const [type, ...ps] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    const qp = ps.find((p) => p.startsWith('q='));
    const q = qp ? Number(qp.slice(2)) : 1;
    return { type, q: Number.isFinite(q) ? q : 0, i };
  }).filter((r) => r.q > 0).sort((x, y) => y.q - x.q || x.i - y.i);
  for (const r of ranges) {
    if (r.type === '*/*' || r.type === 'application/*') return dflt;
    const fmt = BY_MEDIA[r.type];
    if (fmt && allowed.includes(fmt)) return fmt;
    if (fmt === 'json' && allowed.includes('geojson')) return 'geojson';
    if (fmt === 'geojson' && allowed.includes('json')) return 'json';
  }
  return dflt;
}
