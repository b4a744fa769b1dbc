-- Several instances on one database (issue 22): a derived rollup is rebuilt once cluster-wide (a transaction-scoped
-- advisory lock, server/db/write-locks.ts) and every instance can see when, by which instance and how fast it was
-- last built (server/domain/rollups/rollup-builds.ts; whether one is running now comes from pg_locks).
ALTER TABLE hex_rollup_state ADD COLUMN IF NOT EXISTS built_at timestamptz;
ALTER TABLE hex_rollup_state ADD COLUMN IF NOT EXISTS build_ms integer;
ALTER TABLE hex_rollup_state ADD COLUMN IF NOT EXISTS built_by text;
ALTER TABLE area_month_state ADD COLUMN IF NOT EXISTS built_at timestamptz;
ALTER TABLE area_month_state ADD COLUMN IF NOT EXISTS build_ms integer;
ALTER TABLE area_month_state ADD COLUMN IF NOT EXISTS built_by text;
