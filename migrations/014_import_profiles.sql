-- Mapping profiles (issue 19): a confirmed column mapping saved under a name ("Polisen månadsuttag") for one kind,
-- found again for a file with the same columns by its header signature (SHA-256 of the normalised column names,
-- sorted, so the column order does not matter). Used by the preview, the import route and `npm run import --profile`.
CREATE TABLE import_profiles (
  id               bigserial PRIMARY KEY,
  name             text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
  kind             text NOT NULL,
  header_signature text NOT NULL,
  headers          text[] NOT NULL,
  mapping          jsonb NOT NULL,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_profiles_signature ON import_profiles (kind, header_signature);
