-- Issue 15: a staff key's districts are AREA IDS, not names. Six stadsdelar share their name with a
-- stadsdelsområde (Farsta, Kungsholmen, Norrmalm, Skärholmen, Södermalm, Östermalm), so a key holding "FARSTA"
-- reached the whole stadsdelsområde Farsta. The column stays text[]; every entry becomes the decimal id of a row of
-- `areas`. Each existing entry, trimmed:
--   1. already an integer: kept as it is;
--   2. else the stadsdel (area set stadsdelar) whose code or name it is, case-insensitively — the keys the key
--      management made held stadsdel codes (HUSBY), so a name shared with a stadsdelsområde means the stadsdel;
--   3. only if no stadsdel matches: the stadsdelsområde of 2023 with that name, then that of 2020;
--   4. anything else (unresolvable) is dropped.
-- Duplicates are removed, the first occurrence's order kept. On a new database the table is still empty.

-- case folding that does not depend on the database's locale (a C ctype leaves Å, Ä, Ö alone)
CREATE FUNCTION pg_temp.fold_012(s text) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT lower(translate(btrim(s), 'ÅÄÖÉÈÜÆØ', 'åäöéèüæø')) $$;

UPDATE api_keys k SET districts = COALESCE((
  SELECT array_agg(x.id::text ORDER BY x.ord)
  FROM (
    SELECT DISTINCT ON (r.id) r.id, r.ord
    FROM (
      SELECT e.ord,
        CASE WHEN btrim(e.v) ~ '^[0-9]{1,18}$' THEN btrim(e.v)::bigint
        ELSE COALESCE(
          (SELECT a.id FROM areas a WHERE a.area_set_id = 'stadsdelar'
             AND (pg_temp.fold_012(a.code) = pg_temp.fold_012(e.v) OR pg_temp.fold_012(a.name) = pg_temp.fold_012(e.v)) ORDER BY a.id LIMIT 1),
          (SELECT a.id FROM areas a WHERE a.area_set_id = 'stadsdelsomraden-2023'
             AND (pg_temp.fold_012(a.name) = pg_temp.fold_012(e.v) OR pg_temp.fold_012(a.code) = pg_temp.fold_012(e.v)) ORDER BY a.id LIMIT 1),
          (SELECT a.id FROM areas a WHERE a.area_set_id = 'stadsdelsomraden-2020'
             AND (pg_temp.fold_012(a.name) = pg_temp.fold_012(e.v) OR pg_temp.fold_012(a.code) = pg_temp.fold_012(e.v)) ORDER BY a.id LIMIT 1))
        END AS id
      FROM unnest(k.districts) WITH ORDINALITY AS e(v, ord)
      WHERE e.v IS NOT NULL
    ) r
    WHERE r.id IS NOT NULL
    ORDER BY r.id, r.ord
  ) x), '{}')
WHERE cardinality(k.districts) > 0;

-- from now on only ids are stored
ALTER TABLE api_keys ADD CONSTRAINT api_keys_districts_are_ids
  CHECK (array_position(districts, NULL) IS NULL AND array_to_string(districts, ',') ~ '^([0-9]{1,18}(,[0-9]{1,18})*)?$');

DROP FUNCTION pg_temp.fold_012(text);
