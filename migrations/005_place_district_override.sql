-- Places: remember whether the district was set by hand, so a redrawn polygon recomputes only a computed district.
ALTER TABLE places ADD COLUMN IF NOT EXISTS district_overridden boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS places_district_idx ON places (district_area_id);
CREATE INDEX IF NOT EXISTS place_goals_place_idx ON place_goals (place_id);
CREATE INDEX IF NOT EXISTS place_measures_place_idx ON place_measures (place_id, date);
