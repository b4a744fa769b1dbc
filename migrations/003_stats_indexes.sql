-- Statistics: imprecise incidents (known only to an area) are counted per request for unplacedAtThisLevel;
-- a partial index keeps that read off the million point incidents.
CREATE INDEX IF NOT EXISTS incidents_imprecise_time_idx ON incidents (source, occurred_from) WHERE geom IS NULL;

-- Statistics: a monthly rollup derived from area_day_counts, rebuilt per (area set, source) when the data version
-- changes (server/domain/stats/month-rollup.ts). A long period reads whole months here and only its ragged edges
-- from the daily rollup. Also created on demand (IF NOT EXISTS) for databases that applied an earlier 003.
CREATE TABLE IF NOT EXISTS area_month_counts (
  area_set_id text NOT NULL, source text NOT NULL, version bigint NOT NULL, month date NOT NULL, category text NOT NULL,
  area_id bigint NOT NULL, n integer NOT NULL,
  PRIMARY KEY (area_set_id, source, version, month, category, area_id));
CREATE TABLE IF NOT EXISTS area_month_state (area_set_id text NOT NULL, source text NOT NULL, version bigint NOT NULL, PRIMARY KEY (area_set_id, source));

-- The edge days of a period are read from area_day_counts: with n in the index that is an index-only scan.
CREATE INDEX IF NOT EXISTS area_day_counts_stats_idx ON area_day_counts (area_set_id, source, day, category, area_id) INCLUDE (n);
