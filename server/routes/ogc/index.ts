// OGC API – Features under /ogc: landing page, conformance, API description, collections, items and single
// features, each as JSON (GeoJSON for features) or HTML by `f` or the Accept header; items also as CSV.
// Roles and suppression are the rest of the API's: collections come from the registry for the caller's principal.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordAudit } from '../../domain/audit/record-audit.js';
import { CRS84, parseCrs } from '../../domain/ogc/crs.js';
import { parseDatetime } from '../../domain/ogc/datetime.js';
import { parseItemsQuery, rejectUnknown, singleValues, type RawQuery } from '../../domain/ogc/items-query.js';
import { href, MEDIA, origin, type Link } from '../../domain/ogc/links.js';
import { getCollection, listCollections, type RegistryContext } from '../../domain/ogc/registry.js';
import type { ItemsQuery, OgcCollection, OgcFeature } from '../../domain/ogc/types.js';
import { seesExactData } from '../../domain/access/principal.js';
import { badRequest, notFound } from '../../plugins/errors.js';
import { CSV_CONTENT_TYPE } from '../../formats/csv.js';
import { featuresCsv } from './csv.js';
import { a, esc, page, table } from './html.js';
import { negotiate } from './negotiate.js';
import { ogcOpenApi } from './openapi.js';
import { collectionDoc, CONFORMANCE, landingDoc, queryablesDoc, selfLinks } from './representations.js';

const HTML = 'text/html; charset=utf-8';

function onlyF(req: FastifyRequest) {
  rejectUnknown(singleValues(req.query as RawQuery), ['f'], 'only f=json|html');
}

async function audit(req: FastifyRequest, c: OgcCollection, what: string, detail: Record<string, unknown>) {
  if (c.access === 'exact') await recordAudit(req.server.db, req.principal, `ogc.${what}`, c.id, detail);
}

const route: FastifyPluginAsyncZod = async (app) => {
  const ctx = async (req: FastifyRequest): Promise<RegistryContext> => ({ db: app.readDb, principal: req.principal, disclosure: await app.disclosureFor(req), studyArea: app.region.defaultAreaSet });
  const tags = ['ogc'];
  // the answer depends on the format asked for and on the caller's role; exact figures are never cached in between
  app.addHook('onSend', async (req, reply) => {
    reply.header('Vary', 'Accept, Authorization, Cookie');
    if (seesExactData(req.principal)) reply.header('Cache-Control', 'private, no-store');
  });

  app.get('/ogc', { schema: { tags, summary: 'OGC API – Features landing page (f=json|html)' } }, async (req, reply) => {
    onlyF(req);
    const f = negotiate(req, ['json', 'html'], 'json');
    const base = origin(req);
    const doc = landingDoc(base, f === 'html' ? 'html' : 'json');
    if (f !== 'html') return reply.type(MEDIA.json).send(doc);
    const cols = await listCollections(await ctx(req));
    return reply.type(HTML).send(page({
      title: doc.title, crumbs: [{ href: `${base}/ogc?f=html`, label: 'OGC API' }], links: doc.links,
      body: `<p>${esc(doc.description)}</p>
<p>Use it from QGIS (Layer › Add Layer › Add WFS / OGC API – Features Layer, URL <code>${esc(base)}/ogc</code>) or GDAL:
<code>ogrinfo OAPIF:${esc(base)}/ogc</code>, <code>ogr2ogr -f GPKG out.gpkg OAPIF:${esc(base)}/ogc stadsdelar</code>.</p>
<h2>Collections</h2>${table(['Collection', 'Title'], cols.map((c) => [a(`${base}/ogc/collections/${encodeURIComponent(c.id)}?f=html`, c.id), c.title]))}`,
    }));
  });

  app.get('/ogc/conformance', { schema: { tags, summary: 'OGC conformance classes' } }, async (req, reply) => {
    onlyF(req);
    const f = negotiate(req, ['json', 'html'], 'json');
    const base = origin(req);
    const links = selfLinks(base, '/ogc/conformance', {}, f === 'html' ? 'html' : 'json');
    if (f !== 'html') return reply.type(MEDIA.json).send({ conformsTo: CONFORMANCE, links });
    return reply.type(HTML).send(page({
      title: 'Conformance', crumbs: [{ href: `${base}/ogc?f=html`, label: 'OGC API' }], links,
      body: `<ul>${CONFORMANCE.map((c) => `<li><code>${esc(c)}</code></li>`).join('')}</ul>`,
    }));
  });

  app.get('/ogc/api', { schema: { tags, summary: 'OpenAPI 3.0 description of the OGC API' } }, async (req, reply) => {
    onlyF(req);
    const f = negotiate(req, ['json', 'html'], 'json');
    const base = origin(req);
    const doc = ogcOpenApi(base, await listCollections(await ctx(req)));
    if (f !== 'html') return reply.type(MEDIA.openapi).send(doc);
    const rows = Object.entries(doc.paths).map(([p, v]) => [`${base}/ogc${p === '/' ? '' : p}`, (v as { get: { summary: string } }).get.summary]);
    const params = Object.values(doc.components.parameters).map((p) => [p.name, p.in, (p as { description?: string }).description ?? '']);
    return reply.type(HTML).send(page({
      title: 'API description', crumbs: [{ href: `${base}/ogc?f=html`, label: 'OGC API' }],
      links: [{ href: `${base}/ogc/api`, rel: 'alternate', type: MEDIA.openapi, title: 'OpenAPI 3.0 (JSON)' }, { href: `${base}/ogc/api?f=html`, rel: 'self', type: MEDIA.html, title: 'This page' }],
      body: `<p>${esc(doc.info.description)}</p><h2>Paths</h2>${table(['Path', 'What'], rows)}<h2>Parameters</h2>${table(['Name', 'In', 'Meaning'], params)}`,
    }));
  });

  app.get('/ogc/collections', { schema: { tags, summary: 'The OGC feature collections the caller may read' } }, async (req, reply) => {
    onlyF(req);
    const f = negotiate(req, ['json', 'html'], 'json');
    const base = origin(req);
    const cols = await listCollections(await ctx(req));
    const docs = [];
    for (const c of cols) docs.push(await collectionDoc(base, c, null));
    const links = selfLinks(base, '/ogc/collections', {}, f === 'html' ? 'html' : 'json');
    if (f !== 'html') return reply.type(MEDIA.json).send({ links, collections: docs });
    return reply.type(HTML).send(page({
      title: 'Collections', crumbs: [{ href: `${base}/ogc?f=html`, label: 'OGC API' }], links,
      body: table(['Collection', 'Title', 'Description', 'Items'], docs.map((d) => [
        a(`${base}/ogc/collections/${encodeURIComponent(d.id)}?f=html`, d.id), d.title, d.description,
        a(`${base}/ogc/collections/${encodeURIComponent(d.id)}/items?f=html`, 'browse'),
      ])),
    }));
  });

  app.get<{ Params: { collectionId: string } }>('/ogc/collections/:collectionId', { schema: { tags, summary: 'One OGC collection' } }, async (req, reply) => {
    onlyF(req);
    const f = negotiate(req, ['json', 'html'], 'json');
    const base = origin(req);
    const c = await getCollection(await ctx(req), req.params.collectionId);
    const doc = await collectionDoc(base, c, f === 'html' ? 'html' : 'json');
    if (f !== 'html') return reply.type(MEDIA.json).send(doc);
    const bbox = doc.extent.spatial.bbox[0];
    const interval = doc.extent.temporal?.interval[0];
    return reply.type(HTML).send(page({
      title: c.title, links: doc.links,
      crumbs: [{ href: `${base}/ogc?f=html`, label: 'OGC API' }, { href: `${base}/ogc/collections?f=html`, label: 'Collections' }],
      body: `<p>${esc(c.description)}</p>
<p><a href="${esc(`${base}/ogc/collections/${encodeURIComponent(c.id)}/items?f=html`)}">Browse the features</a></p>
${table(['Property', 'Value'], [
        ['Id', c.id], ['Geometry', c.geometryType],
        ['Extent (CRS84 lon/lat)', bbox.join(', ')],
        ...(interval ? [['Time extent', `${interval[0] ?? '..'} / ${interval[1] ?? '..'}`]] : []),
        ['datetime means', c.datetimeMeaning ?? 'not applicable (no time dimension)'],
        ['CRS', doc.crs.join(', ')], ['Storage CRS', doc.storageCrs],
        ['Property filters', Object.keys(c.queryables).join(', ') || 'none'],
      ])}`,
    }));
  });

  app.get<{ Params: { collectionId: string } }>('/ogc/collections/:collectionId/queryables', { schema: { tags, summary: 'The property filters of a collection (JSON Schema)' } }, async (req, reply) => {
    onlyF(req);
    const f = negotiate(req, ['json', 'html'], 'json');
    const base = origin(req);
    const c = await getCollection(await ctx(req), req.params.collectionId);
    const doc = queryablesDoc(base, c);
    if (f !== 'html') return reply.type(`${MEDIA.schema}; charset=utf-8`).send(doc);
    return reply.type(HTML).send(page({
      title: `Queryables of ${c.title}`, links: selfLinks(base, `/ogc/collections/${encodeURIComponent(c.id)}/queryables`, {}, 'html', MEDIA.schema),
      crumbs: [{ href: `${base}/ogc?f=html`, label: 'OGC API' }, { href: `${base}/ogc/collections/${encodeURIComponent(c.id)}?f=html`, label: c.id }],
      body: table(['Property', 'Type', 'Meaning', 'Values'], Object.entries(c.queryables).map(([k, q]) => [k, q.type, q.title, q.enum?.join(', ') ?? ''])),
    }));
  });

  app.get<{ Params: { collectionId: string } }>('/ogc/collections/:collectionId/items', { schema: { tags, summary: 'Features of an OGC collection (GeoJSON, HTML or CSV)' } }, async (req, reply) => {
    const f = negotiate(req, ['json', 'geojson', 'html', 'csv'], 'geojson');
    const base = origin(req);
    const c = await getCollection(await ctx(req), req.params.collectionId);
    const raw = singleValues(req.query as RawQuery);
    const q = parseItemsQuery(raw, c);
    const result = await c.items(q);
    await audit(req, c, 'items', { limit: q.limit, offset: q.offset, bbox: raw.bbox ?? null, datetime: raw.datetime ?? null, filters: q.filters, returned: result.features.length });
    const path = `/ogc/collections/${encodeURIComponent(c.id)}/items`;
    // the caller's own parameters (minus paging and format) define the page; links carry them verbatim
    const keep: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) if (!['f', 'offset', 'limit'].includes(k)) keep[k] = v;
    const pageQ = { ...keep, limit: q.limit };
    const served = f === 'html' ? 'html' : 'geojson';
    const links: Link[] = [
      ...selfLinks(base, path, { ...pageQ, offset: q.offset || undefined }, served === 'html' ? 'html' : 'geojson', MEDIA.geojson, { csv: true }),
      { href: href(base, `/ogc/collections/${encodeURIComponent(c.id)}`, { f: 'json' }), rel: 'collection', type: MEDIA.json, title: c.title },
    ];
    const linkType = f === 'html' ? MEDIA.html : MEDIA.geojson;
    const linkF = f === 'html' ? 'html' : 'json';
    if (q.offset + result.features.length < result.numberMatched) {
      links.push({ href: href(base, path, { ...pageQ, offset: q.offset + q.limit, f: linkF }), rel: 'next', type: linkType, title: 'Next page' });
    }
    if (q.offset > 0) {
      links.push({ href: href(base, path, { ...pageQ, offset: Math.max(0, q.offset - q.limit) || undefined, f: linkF }), rel: 'prev', type: linkType, title: 'Previous page' });
    }
    reply.header('Content-Crs', `<${q.crs}>`);
    if (f === 'csv') {
      reply.header('Content-Disposition', `attachment; filename="${c.id}.csv"`);
      return reply.type(CSV_CONTENT_TYPE).send(featuresCsv(result.features, q.crs === CRS84 ? ['lon', 'lat'] : ['northing', 'easting']));
    }
    const body = {
      type: 'FeatureCollection',
      ...(result.extra ?? {}),
      timeStamp: new Date().toISOString(),
      numberMatched: result.numberMatched,
      numberReturned: result.features.length,
      features: result.features,
      links,
    };
    if (f !== 'html') return reply.type(MEDIA.geojson).send(body);
    return reply.type(HTML).send(itemsHtml(base, c, body, links, q));
  });

  app.get<{ Params: { collectionId: string; featureId: string } }>('/ogc/collections/:collectionId/items/:featureId', { schema: { tags, summary: 'One feature of an OGC collection' } }, async (req, reply) => {
    const f = negotiate(req, ['json', 'geojson', 'html'], 'geojson');
    const base = origin(req);
    const c = await getCollection(await ctx(req), req.params.collectionId);
    const raw = singleValues(req.query as RawQuery);
    rejectUnknown(raw, ['f', 'crs', ...(c.datetimeMeaning ? ['datetime'] : [])], `a feature takes f, crs${c.datetimeMeaning ? ', datetime' : ''}`);
    const crs = parseCrs(raw.crs, 'crs');
    const dt = parseDatetime(raw.datetime);
    if (req.params.featureId.length > 200) throw badRequest('Parameter "featureId" is too long.');
    const feature = await c.item(req.params.featureId, crs, dt);
    await audit(req, c, 'item', { featureId: req.params.featureId, found: !!feature });
    if (!feature) throw notFound(`Collection "${c.id}" has no feature "${req.params.featureId}".`);
    const path = `/ogc/collections/${encodeURIComponent(c.id)}/items/${encodeURIComponent(String(feature.id))}`;
    const keep = { crs: raw.crs, datetime: raw.datetime };
    const links: Link[] = [
      ...selfLinks(base, path, keep, f === 'html' ? 'html' : 'geojson', MEDIA.geojson),
      { href: href(base, `/ogc/collections/${encodeURIComponent(c.id)}`, { f: 'json' }), rel: 'collection', type: MEDIA.json, title: c.title },
    ];
    reply.header('Content-Crs', `<${crs}>`);
    if (f !== 'html') return reply.type(MEDIA.geojson).send({ ...feature, links });
    return reply.type(HTML).send(page({
      title: `${c.title}: ${String(feature.properties.name ?? feature.id)}`, links,
      crumbs: [{ href: `${base}/ogc?f=html`, label: 'OGC API' }, { href: `${base}/ogc/collections/${encodeURIComponent(c.id)}?f=html`, label: c.id },
        { href: `${base}/ogc/collections/${encodeURIComponent(c.id)}/items?f=html`, label: 'items' }],
      body: table(['Property', 'Value'], [['id', feature.id], ...Object.entries(feature.properties).map(([k, v]) => [k, fmt(v)]), ['geometry', feature.geometry?.type ?? 'none']]),
    }));
  });
};

function fmt(v: unknown): string {
  if (v === null || v === undefined) return '–';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function itemsHtml(base: string, c: OgcCollection, body: { numberMatched: number; numberReturned: number; features: OgcFeature[] } & Record<string, unknown>, links: Link[], q: ItemsQuery): string {
  const keys: string[] = [];
  for (const f of body.features) for (const k of Object.keys(f.properties)) if (!keys.includes(k)) keys.push(k);
  const next = links.find((l) => l.rel === 'next');
  const prev = links.find((l) => l.rel === 'prev');
  const extra = Object.entries(body).filter(([k]) => !['type', 'timeStamp', 'numberMatched', 'numberReturned', 'features', 'links'].includes(k));
  const itemHref = (f: OgcFeature) => href(base, `/ogc/collections/${encodeURIComponent(c.id)}/items/${encodeURIComponent(String(f.id))}`, { f: 'html' });
  return page({
    title: `${c.title}: features`, links,
    crumbs: [{ href: `${base}/ogc?f=html`, label: 'OGC API' }, { href: `${base}/ogc/collections?f=html`, label: 'Collections' }, { href: `${base}/ogc/collections/${encodeURIComponent(c.id)}?f=html`, label: c.id }],
    body: `<p>Features ${body.numberReturned ? q.offset + 1 : 0}–${q.offset + body.numberReturned} of ${body.numberMatched}.</p>
${extra.map(([k, v]) => `<p class="muted">${esc(k)}: ${esc(fmt(v))}</p>`).join('')}
<p class="pager">${prev ? `<a href="${esc(prev.href)}">‹ Previous page</a>` : ''}${next ? `<a href="${esc(next.href)}">Next page ›</a>` : ''}</p>
${table(['id', ...keys], body.features.map((f) => [a(itemHref(f), String(f.id)), ...keys.map((k) => fmt(f.properties[k]))]))}`,
  });
}

export default route;
