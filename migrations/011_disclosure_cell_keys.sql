-- Disclosure control (issue 15): the secret behind every record's cell key, and the key sums the rollups keep next
-- to their counts, so a published count's noise depends only on the set of events it holds
-- (server/domain/disclosure/). Derived rollups are emptied: they are rebuilt with key sums on first use.
CREATE TABLE disclosure_secret (
  id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  secret text NOT NULL
);
INSERT INTO disclosure_secret (id, secret) VALUES (1, md5(random()::text || clock_timestamp()::text) || md5(random()::text));

ALTER TABLE hex_month_counts ADD COLUMN ks bigint NOT NULL DEFAULT 0;
DELETE FROM hex_month_counts;
DELETE FROM hex_rollup_state;

CREATE TABLE IF NOT EXISTS area_month_counts (
  area_set_id text NOT NULL, source text NOT NULL, version bigint NOT NULL, month date NOT NULL, category text NOT NULL,
  area_id bigint NOT NULL, n integer NOT NULL, PRIMARY KEY (area_set_id, source, version, month, category, area_id));
CREATE TABLE IF NOT EXISTS area_month_state (area_set_id text NOT NULL, source text NOT NULL, version bigint NOT NULL, PRIMARY KEY (area_set_id, source));
ALTER TABLE area_month_counts ADD COLUMN IF NOT EXISTS ks bigint NOT NULL DEFAULT 0;
DELETE FROM area_month_counts;
DELETE FROM area_month_state;
