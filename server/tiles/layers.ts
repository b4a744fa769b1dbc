// The tile layers: each is a feature query f(id, g, …properties) with g in EPSG:3857, wrapped once per layer in
// either the PostGIS MVT encoder (ST_AsMVTGeom + ST_AsMVT) or the same query returning tile-coordinate GeoJSON for
// the Node encoder (embedded PostGIS has no protobuf). SQL is built once at load time; everything variable is a
// parameter: $1 z, $2 x, $3 y, then the layer's own. Martin-style index use: 3006 tables are filtered by the tile
// envelope transformed to 3006 (never by transforming the indexed column); only what is drawn is transformed.
import { hexCellSql } from '../domain/hotspots/hex-grid.js';
import { recordKeySql } from '../domain/disclosure/cell-key.js';
import { LOCAL_TZ } from '../domain/rollups/area-day-counts.js';
import { BUFFER, DOMAIN_3857, EXTENT, INCIDENT_CAP, INCIDENT_MINZOOM } from './tile-math.js';

export const LAYER_NAMES = ['areas', 'hexbins', 'incidents', 'hotspots', 'places'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

export type LayerDef = {
  id: LayerName;
  description: string;
  minzoom: number;
  maxzoom: number;
  geometry: 'point' | 'polygon';
  /** 'exact': only roles that see exact data (analyst, admin). */
  access: 'all' | 'exact';
  fields: Record<string, string>;
  /** Property columns of f, in output order. */
  props: string[];
  /** The body of the CTE f (may refer to env and env3006). */
  cte: string;
  /**
   * A column of f with each feature's cell-key sum: the public view protects `count` with it in Node
   * (server/domain/disclosure) before encoding, so such a layer is always encoded in Node for the public.
   */
  keyColumn?: string;
};

// The tile envelope; its 3006 version is clipped to the 3006 area of use and densified before the transform so its
// bounding box covers the curved edges (the index filter uses &&, i.e. that box). Filters read them through scalar
// subqueries, so the planner computes them once and uses them as index conditions.
const ENV = `env AS MATERIALIZED (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS e),
  env3006 AS MATERIALIZED (SELECT ST_Transform(ST_Segmentize(ST_ClipByBox2D(e, ST_MakeEnvelope(${DOMAIN_3857.join(', ')}, 3857)::box2d),
    (ST_XMax(e) - ST_XMin(e)) / 16), 3006) AS e FROM env)`;

/** Incident filter on alias i; $4 source, $5 from, $6 to (local days, to exclusive), $7 categories (NULL = all). */
const INCIDENT_FILTER = `i.source = $4 AND i.precision = 'exact' AND i.geom IS NOT NULL
      AND i.occurred_from >= ($5::date)::timestamp AT TIME ZONE '${LOCAL_TZ}' AND i.occurred_from < ($6::date)::timestamp AT TIME ZONE '${LOCAL_TZ}'
      AND ($7::text[] IS NULL OR i.category = ANY($7::text[]))`;

export const LAYERS: Record<LayerName, LayerDef> = {
  hexbins: {
    id: 'hexbins', minzoom: 0, maxzoom: 22, geometry: 'polygon', access: 'all',
    description: 'Incidents (exact points only) counted per hexagon of the EPSG:3006 grid; the edge is 125 m at z14 and doubles per zoom out. ' +
      'For roles without exact data: hexagons of at least 125 m, whole-month periods, cells with fewer than k incidents left out (zero ' +
      'and small counts look the same), other counts protected by the cell-key method as in /api/stats.',
    fields: { count: 'Number', i: 'Number', j: 'Number', size: 'Number (hexagon edge, m)' },
    props: ['count', 'i', 'j', 'size'],
    keyColumn: 'ks',
    // $8 hexagon edge (m), $9 smallest count shown, $10 the record-key secret (NULL: exact view, no keys computed)
    cte: `SELECT (c.i::bigint * 1048576 + c.j) AS id, c.n AS count, c.i, c.j, $8::float8 AS size, c.ks,
        ST_Transform(ST_Hexagon($8::float8, c.i, c.j, 'SRID=3006;POINT(0 0)'::geometry), 3857) AS g
      FROM (SELECT i, j, count(*)::int AS n, (sum(key) % ${2 ** 24})::bigint AS ks FROM (${hexCellSql(
        `SELECT p.x, p.y, CASE WHEN $10::text IS NULL THEN 0 ELSE ${recordKeySql('$10::text', 'i.source', 'i.category', `(i.occurred_from AT TIME ZONE '${LOCAL_TZ}')::date`)} END AS key
          FROM incidents i CROSS JOIN LATERAL unnest(ARRAY[ST_X(i.geom)], ARRAY[ST_Y(i.geom)]) AS p(x, y)
          WHERE i.geom && ST_Expand((SELECT e FROM env3006), 2 * $8::float8) AND ${INCIDENT_FILTER}`, '$8', ['key'])}) cells
        GROUP BY i, j) c
      WHERE c.n >= $9::int`,
  },
  incidents: {
    id: 'incidents', minzoom: INCIDENT_MINZOOM, maxzoom: 22, geometry: 'point', access: 'exact',
    description: `Individual incidents with an exact location (analyst and admin only, z ≥ ${INCIDENT_MINZOOM}). Over ${INCIDENT_CAP} points in a tile, ` +
      'counts on a 64 × 64 grid instead (aggregated = true). Incidents known only to an area never appear.',
    fields: { category: 'String', occurred: 'String (local time)', count: 'Number', aggregated: 'Boolean' },
    props: ['category', 'occurred', 'count', 'aggregated'],
    // $8 cap per tile. Candidates by the geom index (the envelope in 3006 covers the tile), then exactly the points
    // in the tile, transformed once.
    cte: `SELECT * FROM (
        WITH pts AS (SELECT c.* FROM (SELECT i.id, i.category, i.occurred_from, ST_Transform(i.geom, 3857) AS g
                                      FROM incidents i WHERE i.geom && (SELECT e FROM env3006) AND ${INCIDENT_FILTER} OFFSET 0) c
                     WHERE c.g && (SELECT e FROM env)),
        n AS (SELECT count(*) AS c FROM pts)
        SELECT pts.id, pts.category, to_char(pts.occurred_from AT TIME ZONE '${LOCAL_TZ}', 'YYYY-MM-DD"T"HH24":"MI') AS occurred, 1 AS count, false AS aggregated, pts.g
        FROM pts WHERE (SELECT c FROM n) <= $8::int
        UNION ALL
        SELECT NULL::bigint, NULL, NULL, count(*)::int, true,
          ST_SetSRID(ST_MakePoint((gx + 0.5) * cell, (gy + 0.5) * cell), 3857)
        FROM (SELECT floor(ST_X(pts.g) / cell) AS gx, floor(ST_Y(pts.g) / cell) AS gy, cell
              FROM pts, (SELECT (ST_XMax(e) - ST_XMin(e)) / 64 AS cell FROM env) s WHERE (SELECT c FROM n) > $8::int) a
        GROUP BY gx, gy, cell) q`,
  },
  areas: {
    id: 'areas', minzoom: 0, maxzoom: 22, geometry: 'polygon', access: 'all',
    description: 'The areas of the chosen area set (areaSet) with the figures of /api/stats for the same filter and viewer: count, ' +
      'population, rate per 1,000 and whether the count is suppressed (the same disclosure control, so a tile never says more than the API).',
    fields: { code: 'String', name: 'String', count: 'Number', population: 'Number', per1000: 'Number', suppressed: 'Boolean' },
    props: ['code', 'name', 'count', 'population', 'per1000', 'suppressed'],
    // $4 area ids, $5 counts, $6 population, $7 rate per 1,000, $8 suppressed: the rows of areaStats (tile-service.ts),
    // computed once per filter, viewer and data version. The geometry is simplified to a quarter pixel in 3006.
    cte: `SELECT a.id, a.code, a.name, u.count, u.population, u.per1000, u.suppressed,
        ST_Transform(ST_Simplify(a.geom, (SELECT (ST_XMax(e) - ST_XMin(e)) / ${EXTENT * 8} FROM env)), 3857) AS g
      FROM unnest($4::bigint[], $5::int[], $6::int[], $7::float8[], $8::boolean[]) AS u(id, count, population, per1000, suppressed)
      JOIN areas a ON a.id = u.id
      WHERE a.geom && (SELECT e FROM env3006)`,
  },
  hotspots: {
    id: 'hotspots', minzoom: 0, maxzoom: 22, geometry: 'polygon', access: 'all',
    description: 'Getis-Ord Gi* hot spot cells after Benjamini–Hochberg FDR (as /api/hotspots for the same parameters); class hot-99 … cold-99.',
    fields: { class: 'String', giZ: 'Number', pAdjusted: 'Number', count: 'Number', i: 'Number', j: 'Number' },
    props: ['class', 'giZ', 'pAdjusted', 'count', 'i', 'j'],
    // $4 cell size, $5 i[], $6 j[], $7 class[], $8 giZ[], $9 pAdjusted[], $10 count[] (null = suppressed): the cells of
    // the analysis (computed once per filter and data version, see tile-service.ts), drawn where they meet the tile.
    cte: `SELECT (c.i::bigint * 1048576 + c.j) AS id, c.class, c.giz AS "giZ", c.padj AS "pAdjusted", c.count, c.i, c.j,
        ST_Transform(c.h, 3857) AS g
      FROM (SELECT u.*, ST_Hexagon($4::float8, u.i, u.j, 'SRID=3006;POINT(0 0)'::geometry) AS h
            FROM unnest($5::int[], $6::int[], $7::text[], $8::float8[], $9::float8[], $10::int[]) AS u(i, j, class, giz, padj, count)) c
      WHERE c.h && (SELECT e FROM env3006)`,
  },
  places: {
    id: 'places', minzoom: 0, maxzoom: 22, geometry: 'polygon', access: 'all',
    description: 'Platssamverkan sites (place collaborations) with their status.',
    fields: { name: 'String', status: 'String (planned|active|ended)', startDate: 'String', endDate: 'String', synthetic: 'Boolean' },
    props: ['name', 'status', 'startDate', 'endDate', 'synthetic'],
    cte: `SELECT p.id, p.name, p.status, p.start_date::text AS "startDate", p.end_date::text AS "endDate", p.synthetic,
        ST_Transform(p.geom, 3857) AS g
      FROM places p WHERE p.geom && (SELECT e FROM env3006)`,
  },
};

const cols = (d: LayerDef) => ['f.id', ...d.props.map((p) => `f."${p}"`)].join(', ');
const rowCols = (d: LayerDef) => cols(d) + (d.keyColumn ? `, f."${d.keyColumn}"` : '');

/** ST_AsMVT on the database (PostGIS built with protobuf). One row, one bytea column `tile`. */
export function mvtSql(d: LayerDef): string {
  return `WITH ${ENV}, f AS (${d.cte})
    SELECT ST_AsMVT(t, '${d.id}', ${EXTENT}, 'geom', 'id') AS tile FROM (
      SELECT ${cols(d)}, ST_AsMVTGeom(f.g, env.e, ${EXTENT}, ${BUFFER}, true) AS geom FROM f, env WHERE f.g && env.e
    ) t WHERE t.geom IS NOT NULL`;
}

/**
 * The same features as rows, geometry as GeoJSON already in tile coordinates (clipped to the buffered tile, scaled
 * to 0..4096 with y down, snapped to integers): what ST_AsMVTGeom does, for the Node encoder.
 */
export function rowsSql(d: LayerDef): string {
  const clip = d.geometry === 'polygon'
    ? `ST_ClipByBox2D(f.g, ST_Expand(env.e, (ST_XMax(env.e) - ST_XMin(env.e)) * ${BUFFER / EXTENT})::box2d)` : 'f.g';
  return `WITH ${ENV}, f AS (${d.cte})
    SELECT ${rowCols(d)}, ST_AsGeoJSON(ST_RemoveRepeatedPoints(ST_SnapToGrid(ST_TransScale(${clip}, -ST_XMin(env.e), -ST_YMax(env.e),
        ${EXTENT} / (ST_XMax(env.e) - ST_XMin(env.e)), -${EXTENT} / (ST_YMax(env.e) - ST_YMin(env.e))), 1))) AS geom
    FROM f, env WHERE f.g && env.e`;
}

export const SQL: Record<LayerName, { mvt: string; rows: string }> = Object.fromEntries(
  LAYER_NAMES.map((n) => [n, { mvt: mvtSql(LAYERS[n]), rows: rowsSql(LAYERS[n]) }])) as Record<LayerName, { mvt: string; rows: string }>;
