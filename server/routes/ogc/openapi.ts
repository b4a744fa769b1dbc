// The OpenAPI 3.0 description of the OGC API (service-desc). Paths are relative to the server URL …/ogc, as the
// standard lays them out; the collection ids a caller may see and each one's property filters are listed.
import { SUPPORTED_CRS } from '../../domain/ogc/crs.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../domain/ogc/items-query.js';
import type { OgcCollection } from '../../domain/ogc/types.js';

const problem = { description: 'A problem (RFC 9457) saying what was wrong', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/problem' } } } };

export function ogcOpenApi(base: string, collections: OgcCollection[]) {
  const fParam = (formats: string[]) => ({ name: 'f', in: 'query', required: false, description: 'Output format; without it the Accept header decides.', schema: { type: 'string', enum: formats } });
  const json = (ref: string, extra: Record<string, unknown> = {}) => ({ 'application/json': { schema: { $ref: ref } }, 'text/html': { schema: { type: 'string' } }, ...extra });
  const queryables = [...new Set(collections.flatMap((c) => Object.keys(c.queryables)))];
  return {
    openapi: '3.0.3',
    info: {
      title: 'Trygghetskarta – OGC API Features',
      version: '1.0.0',
      description: 'Areas, per-area statistics, hotspot cells and platssamverkan places as OGC API – Features (Part 1 core, GeoJSON, HTML; Part 2 CRS). Counts below the suppression threshold are null for the public role. Incident points need the analyst role (Authorization: Bearer <API key>).',
    },
    servers: [{ url: `${base}/ogc` }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
      parameters: {
        collectionId: { name: 'collectionId', in: 'path', required: true, schema: { type: 'string', enum: collections.map((c) => c.id) } },
        featureId: { name: 'featureId', in: 'path', required: true, description: 'The feature id (areas: the area id or its code)', schema: { type: 'string' } },
        limit: { name: 'limit', in: 'query', required: false, style: 'form', explode: false, description: `Page size; larger values are clamped to ${MAX_LIMIT}.`, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
        offset: { name: 'offset', in: 'query', required: false, description: 'Features to skip (the next/prev links carry it).', schema: { type: 'integer', minimum: 0, default: 0 } },
        bbox: { name: 'bbox', in: 'query', required: false, style: 'form', explode: false, description: 'minx,miny,maxx,maxy in bbox-crs axis order (CRS84: lon,lat; EPSG:3006: northing,easting).', schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } },
        'bbox-crs': { name: 'bbox-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: [...SUPPORTED_CRS] } },
        crs: { name: 'crs', in: 'query', required: false, description: 'Output CRS (Content-Crs header says which one was used).', schema: { type: 'string', format: 'uri', enum: [...SUPPORTED_CRS] } },
        datetime: { name: 'datetime', in: 'query', required: false, style: 'form', explode: false, description: 'An instant or an interval with open ends (..). Dates are whole local days (Europe/Stockholm). Stats collections: the period counted (dates only; default the last 12 months of data). Incidents: occurred_from. Places: active span overlaps.', schema: { type: 'string' } },
        ...Object.fromEntries(queryables.map((q) => [q, { name: q, in: 'query', required: false, description: `Property filter (exact match) on "${q}" where the collection declares it queryable; see /collections/{collectionId}/queryables.`, schema: { type: 'string' } }])),
      },
      schemas: {
        problem: { type: 'object', properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' } } },
        link: { type: 'object', required: ['href', 'rel'], properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' } } },
        landingPage: { type: 'object', properties: { title: { type: 'string' }, description: { type: 'string' }, links: { type: 'array', items: { $ref: '#/components/schemas/link' } } } },
        confClasses: { type: 'object', properties: { conformsTo: { type: 'array', items: { type: 'string' } } } },
        collection: { type: 'object', required: ['id', 'links'], properties: { id: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, itemType: { type: 'string' }, crs: { type: 'array', items: { type: 'string' } }, storageCrs: { type: 'string' }, extent: { type: 'object' }, links: { type: 'array', items: { $ref: '#/components/schemas/link' } } } },
        collections: { type: 'object', properties: { links: { type: 'array', items: { $ref: '#/components/schemas/link' } }, collections: { type: 'array', items: { $ref: '#/components/schemas/collection' } } } },
        featureCollectionGeoJSON: { type: 'object', required: ['type', 'features'], properties: { type: { type: 'string', enum: ['FeatureCollection'] }, features: { type: 'array', items: { $ref: '#/components/schemas/featureGeoJSON' } }, links: { type: 'array', items: { $ref: '#/components/schemas/link' } }, timeStamp: { type: 'string', format: 'date-time' }, numberMatched: { type: 'integer', minimum: 0 }, numberReturned: { type: 'integer', minimum: 0 } } },
        featureGeoJSON: { type: 'object', required: ['type', 'geometry', 'properties'], properties: { type: { type: 'string', enum: ['Feature'] }, id: { oneOf: [{ type: 'string' }, { type: 'integer' }] }, geometry: { type: 'object', nullable: true }, properties: { type: 'object', nullable: true } } },
      },
    },
    paths: {
      '/': { get: { tags: ['Capabilities'], summary: 'Landing page', operationId: 'getLandingPage', parameters: [fParam(['json', 'html'])], responses: { 200: { description: 'Links to the API description, conformance and collections', content: json('#/components/schemas/landingPage') }, 400: problem } } },
      '/conformance': { get: { tags: ['Capabilities'], summary: 'Conformance classes', operationId: 'getConformanceDeclaration', parameters: [fParam(['json', 'html'])], responses: { 200: { description: 'The conformance classes implemented', content: json('#/components/schemas/confClasses') }, 400: problem } } },
      '/api': { get: { tags: ['Capabilities'], summary: 'This API description', operationId: 'getApiDescription', parameters: [fParam(['json', 'html'])], responses: { 200: { description: 'OpenAPI 3.0', content: { 'application/vnd.oai.openapi+json;version=3.0': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } } } } },
      '/collections': { get: { tags: ['Capabilities'], summary: 'The feature collections', operationId: 'getCollections', parameters: [fParam(['json', 'html'])], responses: { 200: { description: 'The collections the caller may read', content: json('#/components/schemas/collections') }, 400: problem } } },
      '/collections/{collectionId}': { get: { tags: ['Capabilities'], summary: 'One collection', operationId: 'describeCollection', parameters: [{ $ref: '#/components/parameters/collectionId' }, fParam(['json', 'html'])], responses: { 200: { description: 'Its metadata and links', content: json('#/components/schemas/collection') }, 401: problem, 403: problem, 404: problem } } },
      '/collections/{collectionId}/queryables': { get: { tags: ['Capabilities'], summary: 'The property filters of a collection', operationId: 'getQueryables', parameters: [{ $ref: '#/components/parameters/collectionId' }, fParam(['json', 'html'])], responses: { 200: { description: 'JSON Schema of the queryable properties', content: { 'application/schema+json': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } }, 404: problem } } },
      '/collections/{collectionId}/items': {
        get: {
          tags: ['Data'], summary: 'Features of a collection', operationId: 'getFeatures',
          parameters: ['collectionId', 'limit', 'offset', 'bbox', 'bbox-crs', 'datetime', 'crs', ...queryables].map((p) => ({ $ref: `#/components/parameters/${p}` })).concat([fParam(['json', 'geojson', 'html', 'csv']) as never]),
          responses: {
            200: { description: 'A page of features with numberMatched, numberReturned and next/prev links', headers: { 'Content-Crs': { schema: { type: 'string' } } }, content: { 'application/geo+json': { schema: { $ref: '#/components/schemas/featureCollectionGeoJSON' } }, 'text/html': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } } },
            400: problem, 401: problem, 403: problem, 404: problem,
          },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          tags: ['Data'], summary: 'One feature', operationId: 'getFeature',
          parameters: ['collectionId', 'featureId', 'crs', 'datetime'].map((p) => ({ $ref: `#/components/parameters/${p}` })).concat([fParam(['json', 'geojson', 'html']) as never]),
          responses: { 200: { description: 'The feature', content: { 'application/geo+json': { schema: { $ref: '#/components/schemas/featureGeoJSON' } }, 'text/html': { schema: { type: 'string' } } } }, 400: problem, 401: problem, 403: problem, 404: problem },
        },
      },
    },
  };
}
