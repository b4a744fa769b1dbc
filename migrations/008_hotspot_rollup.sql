-- Hot spots: point counts per hexagon-grid rectangle (see hex-rectangles.ts) × local month × category, per cell
-- size and source, derived from incidents and rebuilt in the background after the data version changed
-- (server/domain/hotspots/hex-month-rollup.ts). A year of a million points is then ~230,000 summed rows instead of a
-- million points through a hash aggregate; the ragged edge days of a period still come from the incidents.
-- category '' holds all categories together (the common unfiltered request reads only those rows).
-- UNLOGGED: derived data, rebuilt from incidents at will; after a crash both tables are empty and simply rebuilt.
-- The index leaves out i0/k: a read takes every rectangle of its months anyway, and a narrow index keeps the
-- rebuild fast.
CREATE UNLOGGED TABLE hex_month_counts (
  cell_size float8 NOT NULL, source text NOT NULL, version bigint NOT NULL, category text NOT NULL, month date NOT NULL,
  i0 integer NOT NULL, k integer NOT NULL, side smallint NOT NULL, n integer NOT NULL
);
CREATE INDEX hex_month_counts_read_idx ON hex_month_counts (cell_size, source, version, category, month);
CREATE UNLOGGED TABLE hex_rollup_state (
  cell_size float8 NOT NULL, source text NOT NULL, version bigint NOT NULL, used_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (cell_size, source)
);
