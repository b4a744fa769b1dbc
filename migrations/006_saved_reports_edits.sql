-- Saved lägesbild reports: who last edited the staff text and when, a title, and the area set recorded with the
-- snapshot (the area may later be re-imported under another set; the list per area set needs it).
ALTER TABLE saved_reports ADD COLUMN title text NOT NULL DEFAULT '';
ALTER TABLE saved_reports ADD COLUMN area_set_id text;
ALTER TABLE saved_reports ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE saved_reports ADD COLUMN updated_by text;
UPDATE saved_reports s SET area_set_id = a.area_set_id FROM areas a WHERE a.id = s.area_id;
CREATE INDEX saved_reports_set_idx ON saved_reports (area_set_id, area_id, report_date);
