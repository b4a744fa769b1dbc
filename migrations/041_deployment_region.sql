-- The region this deployment covers (REGION, issue 22), written at every start from the configuration: the extent
-- check of imports, the reference area sets and the map's first view read it from here, so the server, the
-- command-line tools and every instance agree on one region.
CREATE TABLE deployment_region (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  spec text NOT NULL,
  label text NOT NULL,
  county_set_id text NOT NULL,
  kommun_set_id text NOT NULL,
  default_area_set_id text NOT NULL,
  -- WGS84 west, south, east, north of the region's municipalities
  bbox double precision[] NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
