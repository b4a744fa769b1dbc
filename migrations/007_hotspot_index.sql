-- Hotspots: every request counts the filter's incidents that have no exact point (never placed in a cell). That
-- condition is not covered by 003's partial index (geom IS NULL only), so it scanned the whole table; this index
-- holds only those rows.
CREATE INDEX IF NOT EXISTS incidents_not_exact_time_idx ON incidents (source, occurred_from) WHERE precision <> 'exact' OR geom IS NULL;
