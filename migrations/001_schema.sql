-- Schema v1: the whole domain. Geometry is stored in EPSG:3006 (SWEREF 99 TM, metres);
-- WGS84 and Web Mercator are produced on the way out (plus a stored 3857 copy of incident points for tiles).
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO meta (key, value) VALUES ('data_version', '0');

CREATE TABLE import_batches (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL,
  provider    text NOT NULL DEFAULT 'file',
  file_name   text,
  sha256      text,
  options     jsonb NOT NULL DEFAULT '{}',
  rows_read   integer NOT NULL DEFAULT 0,
  inserted    integer NOT NULL DEFAULT 0,
  updated     integer NOT NULL DEFAULT 0,
  unchanged   integer NOT NULL DEFAULT 0,
  rejected    integer NOT NULL DEFAULT 0,
  summary     jsonb NOT NULL DEFAULT '{}',
  imported_by text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE area_sets (
  id            text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name          text NOT NULL,
  level         text NOT NULL CHECK (level IN ('county','kommun','stadsdelsomrade','stadsdel','basomrade','valdistrikt','custom')),
  vintage       integer,
  parent_set_id text REFERENCES area_sets(id) ON DELETE SET NULL,
  source        text,
  is_reference  boolean NOT NULL DEFAULT false,
  batch_id      bigint REFERENCES import_batches(id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE areas (
  id          bigserial PRIMARY KEY,
  area_set_id text NOT NULL REFERENCES area_sets(id) ON DELETE CASCADE,
  code        text NOT NULL,
  name        text NOT NULL,
  parent_code text,
  geom        geometry(MultiPolygon, 3006) NOT NULL,
  area_m2     double precision NOT NULL,
  UNIQUE (area_set_id, code)
);
CREATE INDEX areas_geom_gix ON areas USING gist (geom);

-- small pieces of every area: point-in-polygon against these is far cheaper than against a 5,000-vertex polygon
CREATE TABLE area_pieces (
  area_id bigint NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
  geom    geometry(Polygon, 3006) NOT NULL
);
CREATE INDEX area_pieces_geom_gix ON area_pieces USING gist (geom);
CREATE INDEX area_pieces_area_idx ON area_pieces (area_id);

CREATE TABLE population (
  area_id    bigint NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
  year       integer NOT NULL,
  sex        text NOT NULL CHECK (sex IN ('all','female','male')),
  age_band   text NOT NULL,
  population integer NOT NULL CHECK (population >= 0),
  batch_id   bigint REFERENCES import_batches(id) ON DELETE CASCADE,
  PRIMARY KEY (area_id, year, sex, age_band)
);

CREATE TABLE categories (
  source   text NOT NULL,
  code     text NOT NULL,
  label_sv text NOT NULL,
  label_en text NOT NULL,
  grp      text NOT NULL,
  PRIMARY KEY (source, code)
);

-- One table for every point-like source, one code path for filters.
-- category: crimes → the source's crime code; shootings → outcome; guard-reports → intervention; citizen-reports → category.
-- precision: 'exact' (a point), or the level of the area the event is only known to lie in (location_area_id).
CREATE TABLE incidents (
  id               bigserial PRIMARY KEY,
  source           text NOT NULL CHECK (source IN ('crimes','shootings','guard-reports','citizen-reports')),
  provider         text NOT NULL DEFAULT 'file',
  external_id      text NOT NULL,
  category         text NOT NULL,
  occurred_from    timestamptz NOT NULL,
  occurred_to      timestamptz,
  precision        text NOT NULL CHECK (precision IN ('exact','area','basomrade','district','municipality','county')),
  location_area_id bigint REFERENCES areas(id) ON DELETE SET NULL,
  geom             geometry(Point, 3006),
  geom_3857        geometry(Point, 3857),
  confirmed        boolean,
  status           text,
  attrs            jsonb,
  row_hash         text NOT NULL,
  batch_id         bigint REFERENCES import_batches(id) ON DELETE CASCADE,
  UNIQUE (source, provider, external_id),
  CHECK (occurred_to IS NULL OR occurred_to >= occurred_from),
  CHECK (geom IS NOT NULL OR location_area_id IS NOT NULL OR precision = 'county')
);
CREATE INDEX incidents_geom_gix ON incidents USING gist (geom);
CREATE INDEX incidents_geom_3857_gix ON incidents USING gist (geom_3857);
CREATE INDEX incidents_source_time_idx ON incidents (source, occurred_from);
CREATE INDEX incidents_batch_idx ON incidents (batch_id);
CREATE INDEX incidents_location_area_idx ON incidents (location_area_id) WHERE location_area_id IS NOT NULL;

-- Rollup: incidents per area × local day (Europe/Stockholm) × source × category, for every area set.
-- Maintained on incident import (touched days) and on area-set import (that set).
CREATE TABLE area_day_counts (
  area_set_id text NOT NULL REFERENCES area_sets(id) ON DELETE CASCADE,
  area_id     bigint NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
  source      text NOT NULL,
  category    text NOT NULL,
  day         date NOT NULL,
  n           integer NOT NULL,
  PRIMARY KEY (area_set_id, source, day, category, area_id)
);
CREATE INDEX area_day_counts_area_idx ON area_day_counts (area_id, source, day);

CREATE TABLE survey_indicators (
  code      text PRIMARY KEY,
  text_sv   text NOT NULL,
  text_en   text NOT NULL,
  kind      text NOT NULL CHECK (kind IN ('share','mean')),
  direction text NOT NULL CHECK (direction IN ('higher-is-worse','higher-is-better'))
);

CREATE TABLE survey_waves (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  year        integer NOT NULL,
  area_set_id text REFERENCES area_sets(id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE survey_results (
  wave_id     text NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,
  area_id     bigint NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
  indicator   text NOT NULL REFERENCES survey_indicators(code),
  grp         text NOT NULL,
  respondents integer NOT NULL CHECK (respondents >= 0),
  value       double precision NOT NULL,
  ci_low      double precision,
  ci_high     double precision,
  row_hash    text NOT NULL,
  batch_id    bigint REFERENCES import_batches(id) ON DELETE CASCADE,
  PRIMARY KEY (wave_id, area_id, indicator, grp)
);

CREATE TABLE places (
  id            bigserial PRIMARY KEY,
  external_id   text UNIQUE,
  name          text NOT NULL,
  geom          geometry(MultiPolygon, 3006) NOT NULL,
  district_area_id bigint REFERENCES areas(id) ON DELETE SET NULL,
  partners      jsonb NOT NULL DEFAULT '[]',
  status        text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','active','ended')),
  start_date    date,
  end_date      date,
  description   text NOT NULL DEFAULT '',
  synthetic     boolean NOT NULL DEFAULT false,
  row_hash      text,
  batch_id      bigint REFERENCES import_batches(id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX places_geom_gix ON places USING gist (geom);

CREATE TABLE place_goals (
  id             bigserial PRIMARY KEY,
  place_id       bigint NOT NULL REFERENCES places(id) ON DELETE CASCADE,
  description    text NOT NULL DEFAULT '',
  indicator      jsonb NOT NULL,
  baseline_from  date NOT NULL,
  baseline_to    date NOT NULL,
  baseline_value double precision,
  target_value   double precision NOT NULL,
  deadline       date NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE place_measures (
  id          bigserial PRIMARY KEY,
  place_id    bigint NOT NULL REFERENCES places(id) ON DELETE CASCADE,
  type        text NOT NULL CHECK (type IN ('lighting','cameras','guards','cleaning','place-activation','physical-change','social-effort','other')),
  date        date NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL,
  role       text NOT NULL CHECK (role IN ('analyst','staff','admin')),
  districts  text[] NOT NULL DEFAULT '{}',
  key_hash   text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE sessions (
  id_hash    text PRIMARY KEY,
  api_key_id bigint NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- who (key id and role, never a name or an IP), when, what
CREATE TABLE audit_log (
  id       bigserial PRIMARY KEY,
  at       timestamptz NOT NULL DEFAULT now(),
  actor    text NOT NULL,
  role     text NOT NULL,
  action   text NOT NULL,
  target   text,
  detail   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE TABLE saved_reports (
  id           bigserial PRIMARY KEY,
  area_id      bigint NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
  period_from  date NOT NULL,
  period_to    date NOT NULL,
  lang         text NOT NULL DEFAULT 'sv',
  report_date  date NOT NULL DEFAULT current_date,
  data_version bigint NOT NULL,
  snapshot     jsonb NOT NULL,
  staff_text   jsonb NOT NULL DEFAULT '{}',
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_reports_area_idx ON saved_reports (area_id, report_date);
