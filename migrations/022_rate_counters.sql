-- Rate-limit counters shared by every instance on the database (issue 22; server/domain/rate-limits/shared-counter.ts).
-- UNLOGGED: a counter is worth nothing after a crash, and its writes should cost no WAL. `delta` carries the change a
-- flush sends (it may be a refund) into ON CONFLICT … DO UPDATE; `n` is the count in the window ending at window_end.
CREATE UNLOGGED TABLE IF NOT EXISTS rate_counters (
  key text PRIMARY KEY,
  window_end timestamptz NOT NULL,
  n integer NOT NULL,
  delta integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS rate_counters_window_end_idx ON rate_counters (window_end);
