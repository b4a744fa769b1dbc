// What each query parameter means and an example value, for /docs (OpenAPI): one table for the names many routes
// share (areaSet, source, category, from, to, f …), with the meaning of a name that differs on one route keyed by
// "path name". A route's own .describe() wins over the table; the example is added wherever the route gave none.
// test/foundation/plain-answers.test.ts fails on any query parameter left without both.

type Doc = { description: string; example: unknown };

const DATE_FROM = 'First day, inclusive (YYYY-MM-DD, local days Europe/Stockholm). Default: 12 months before `to`';
const DATE_TO = 'End day, exclusive (YYYY-MM-DD): the day after the last day counted. Default: the day after the latest data';

export const QUERY_DOCS: Record<string, Doc> = {
  areaSet: { description: 'The area set (GET /api/area-sets lists them); an unknown id is a 400 listing the valid ones', example: 'stadsdelar' },
  source: { description: 'The data source: crimes, shootings, guard-reports, citizen-reports, police-events', example: 'crimes' },
  category: { description: 'Category codes of the source, comma-separated (GET /api/categories?source= lists them); an unknown code is a 400 listing the valid ones. Omitted: all', example: 'ran,stold' },
  from: { description: DATE_FROM, example: '2024-01-01' },
  to: { description: DATE_TO, example: '2025-01-01' },
  compare: { description: 'The comparison rule', example: 'same-period-last-year' },
  compareFrom: { description: 'First day of a custom baseline', example: '2023-01-01' },
  compareTo: { description: 'End (exclusive) of a custom baseline', example: '2024-01-01' },
  f: { description: 'Output format', example: 'json' },
  sep: { description: 'CSV dialect', example: 'semicolon' },
  lang: { description: 'Language: sv (Swedish, the default for messages) or en. For CSV: Swedish column names, ja/nej and (unless sep says otherwise) ";" with decimal comma; also chosen by Accept-Language', example: 'sv' },
  wave: { description: 'Survey wave id (GET /api/survey/waves lists them); omitted: the latest wave with results for the area set', example: 'tm2023' },
  indicator: { description: 'Survey indicator code (GET /api/survey/indicators lists them, with share or mean and scale)', example: 'otrygg-kvall' },
  group: { description: 'Respondent group: all, female, male or an age band (GET /api/survey/groups lists those in the data)', example: 'all' },
  cellSize: { description: 'Hexagon edge length in metres', example: 250 },
  alpha: { description: 'False-discovery rate', example: 0.05 },
  distanceBand: { description: 'Neighbourhood radius in metres', example: 500 },
  baselineFrom: { description: 'Start of the baseline period (inclusive)', example: '2023-01-01' },
  baselineTo: { description: 'End of the baseline period (exclusive)', example: '2024-01-01' },
  limit: { description: 'At most this many items', example: 100 },
  offset: { description: 'Skip this many items (paging)', example: 0 },
  areaId: { description: 'An area id (GET /api/area-sets/{id}/areas lists them)', example: 120 },
  status: { description: 'Only places with this status', example: 'active' },
  districtAreaId: { description: 'Only places in this district (an area id)', example: 120 },
  synthetic: { description: 'true: only the synthetic sample places; false: only real ones. Omitted: both', example: 'false' },
  before: { description: 'The period before', example: '2023-01-01..2023-12-31' },
  after: { description: 'The period after', example: '2024-01-01..2024-12-31' },
  controlAreaId: { description: 'The control area', example: 120 },
  bufferMetres: { description: 'Width in metres of the ring around the place whose incidents are counted apart (displacement)', example: 250 },
  evaluatePlaces: { description: 'Whether to evaluate the places of the area in the report', example: 'true' },
  action: { description: 'Only audit entries of this action', example: 'login' },
  actor: { description: 'Only audit entries of this actor: anonymous or key:<id>', example: 'key:1' },
  kind: { description: 'Only import batches of this kind', example: 'crimes' },
  // the OIDC provider's redirect back (RFC 6749 §4.1.2, OpenID Connect Core §3.1.2.5): not for people to call
  code: { description: 'The authorization code the identity provider sends back (OIDC redirect)', example: 'SplxlOBeZQQYbYS6WxSbIA' },
  state: { description: 'The state value this service sent to the identity provider, returned unchanged', example: 'af0ifjsldkj' },
  iss: { description: 'The identity provider\'s issuer identifier (RFC 9207)', example: 'https://login.example.se' },
  error: { description: 'An error code from the identity provider instead of a code', example: 'access_denied' },
  error_description: { description: 'The identity provider\'s description of the error', example: 'The user cancelled the sign-in' },
  session_state: { description: 'The identity provider\'s session state (OIDC session management)', example: 'c9a0…' },
};

/** The meaning of a name that differs on one route. */
const ROUTE_DOCS: Record<string, Doc> = {
  '/tiles/{layer}/{z}/{x}/{y}.mvt v': { description: 'The data version the tile URL is for (meta.dataVersion of /api/stats)', example: 42 },
  '/tiles/{layer}.json v': { description: 'The data version the tile URLs are for (meta.dataVersion of /api/stats)', example: 42 },
  '/api/audit from': { description: 'Only entries from this day (inclusive)', example: '2025-01-01' },
  '/api/audit to': { description: 'Only entries before this day (exclusive)', example: '2025-02-01' },
  '/api/imports/{kind} areaSet': { description: 'areas: the id of the area set the file makes (new or replaced); population, survey: the area set the file\'s area codes belong to', example: 'stadsdelar' },
  '/api/imports/{kind} source': { description: 'categories: the source the categories belong to', example: 'crimes' },
  '/api/imports/{kind} wave': { description: 'survey: the id of the wave the file holds (new or replaced)', example: 'tm2025' },
  '/api/imports/{kind} crs': { description: 'The coordinate reference system of the file\'s coordinates when the file does not say', example: 'EPSG:3006' },
  '/api/imports/{kind} dryRun': { description: 'true: check every row and report, write nothing', example: 'true' },
  '/api/imports/{kind} skipInvalid': { description: 'true: import the valid rows and report the rejected ones (default: all rows or none)', example: 'false' },
  '/api/imports/{kind} provider': { description: 'Who delivered the data (stored with the batch)', example: 'file' },
  '/api/imports/{kind} level': { description: 'areas: the level of the area set', example: 'stadsdel' },
  '/api/imports/{kind} vintage': { description: 'areas: the year the boundaries are valid from', example: 2024 },
  '/api/imports/{kind} codeProperty': { description: 'areas: the GeoJSON property that holds the area code', example: 'code' },
  '/api/imports/{kind} nameProperty': { description: 'areas: the GeoJSON property that holds the area name', example: 'name' },
  '/api/imports/{kind} parentCodeProperty': { description: 'areas: the GeoJSON property that holds the enclosing area\'s code', example: 'parent_code' },
  '/api/imports/{kind} parentSet': { description: 'areas: the area set the parent codes belong to', example: 'stadsdelsomraden-2023' },
  '/api/imports/{kind} name': { description: 'areas: the area set\'s name', example: 'Stadsdelar 2024' },
  '/api/imports/{kind} waveName': { description: 'survey: the wave\'s name', example: 'Trygghetsmätning 2025' },
  '/api/imports/{kind} year': { description: 'survey: the wave\'s year', example: 2025 },
  '/api/imports/{kind} asCrimes': { description: 'polisen-events: store crime-type events as source crimes instead of police-events', example: 'false' },
  '/api/imports/{kind} fileName': { description: 'The file name to record (default: the multipart file\'s name)', example: 'brott-2025.csv' },
};

export function queryDoc(path: string, name: string): Doc | undefined {
  // the preview of an import takes the import's own parameters
  return ROUTE_DOCS[`${path} ${name}`] ?? ROUTE_DOCS[`${path.replace(/\/preview$/, '')} ${name}`] ?? QUERY_DOCS[name];
}

type OpenApiParam = { in?: string; name?: string; description?: string; example?: unknown; examples?: unknown; schema?: { example?: unknown; examples?: unknown; default?: unknown; enum?: unknown[] } };

/** Fills in the description and example of every query parameter of an OpenAPI document that lacks them. */
export function documentQueryParams(doc: { paths?: Record<string, Record<string, { parameters?: OpenApiParam[] }>> }): void {
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const op of Object.values(ops)) {
      for (const p of op?.parameters ?? []) {
        if (p.in !== 'query' || !p.name) continue;
        const d = queryDoc(path, p.name);
        if (!p.description && d) p.description = d.description;
        if (p.example === undefined && p.examples === undefined && p.schema?.example === undefined) {
          // an example that fits the schema: the table's when the schema takes it, else the default or first enum value
          const e = p.schema?.enum;
          p.example = e && !e.includes(d?.example) ? (p.schema?.default ?? e[0]) : (d?.example ?? p.schema?.default);
          if (p.example === undefined) delete p.example;
        }
      }
    }
  }
}
