-- Aggregated counts as an import kind (issue 19): counts per area and period as statistics databases publish them
-- (reported crimes per municipality and month), stored apart from the incidents — they have no events, no points and
-- no days. One row per (source, area, category, period); a period is a calendar month, quarter or year ([from, to),
-- local days). A batch's counts go with it (DELETE /api/imports/:id). /api/stats answers them for the area set they
-- were imported for (server/domain/area-counts/).
CREATE TABLE area_counts (
  source      text NOT NULL CHECK (source IN ('crimes','shootings','guard-reports','citizen-reports','police-events')),
  area_id     bigint NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
  category    text NOT NULL,
  granularity text NOT NULL CHECK (granularity IN ('month','quarter','year')),
  period_from date NOT NULL,
  period_to   date NOT NULL CHECK (period_to > period_from),
  count       integer NOT NULL CHECK (count >= 0),
  batch_id    bigint REFERENCES import_batches(id) ON DELETE CASCADE,
  PRIMARY KEY (source, area_id, category, period_from, period_to)
);
CREATE INDEX area_counts_batch_idx ON area_counts (batch_id);
CREATE INDEX area_counts_area_idx ON area_counts (area_id, source, period_from);
