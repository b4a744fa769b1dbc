-- Writing an incident row cost more than it needed to (measured on 1 M imported crimes):
-- * geom_3857, a stored Web Mercator copy of every point with its own GiST index (≈ 4 s per million rows written,
--   and a transform per row). The incidents tile layer now filters by the tile envelope transformed to EPSG:3006
--   on the geom index, as every other layer does, and transforms only the points it draws.
-- * the batch_id foreign key: one lookup in import_batches per written row (≈ 2.4 s per million). batch_id is only
--   ever set from the batch row the import created in its own transaction; a statement-level trigger keeps what
--   ON DELETE CASCADE did (a deleted batch takes its incidents with it), in one statement.
DROP INDEX IF EXISTS incidents_geom_3857_gix;
ALTER TABLE incidents DROP COLUMN IF EXISTS geom_3857;
ALTER TABLE incidents DROP CONSTRAINT IF EXISTS incidents_batch_id_fkey;

CREATE FUNCTION incidents_forget_batches() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM incidents i USING gone_batches g WHERE i.batch_id = g.id;
  RETURN NULL;
END $$;
CREATE TRIGGER import_batches_forget_incidents AFTER DELETE ON import_batches
  REFERENCING OLD TABLE AS gone_batches FOR EACH STATEMENT EXECUTE FUNCTION incidents_forget_batches();
