-- Saved lägesbilder: every save of the staff text (section 7: orsaksanalys, prioriteringar, åtgärdsplan) is a
-- version that is kept — who saved it, when, and which fields it changed — so an earlier text can be read again.
-- saved_reports.version is the current version's number: an edit names the version it started from and is refused
-- when another save came in between (optimistic concurrency), so no one overwrites a text they have not seen.
ALTER TABLE saved_reports ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE saved_report_versions (
  report_id  bigint NOT NULL REFERENCES saved_reports(id) ON DELETE CASCADE,
  version    integer NOT NULL CHECK (version >= 1),
  title      text NOT NULL DEFAULT '',
  staff_text jsonb NOT NULL,
  saved_by   text NOT NULL,
  saved_at   timestamptz NOT NULL DEFAULT now(),
  -- the staff-text fields (causalAnalysis.likelyCauses, actionPlan.goals, title …) this version changed
  changed    text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (report_id, version)
);

-- the reports saved before this migration: their current text is version 1 (what it changed is not known)
INSERT INTO saved_report_versions (report_id, version, title, staff_text, saved_by, saved_at, changed)
SELECT id, 1, title, staff_text, coalesce(updated_by, created_by), updated_at, '{}' FROM saved_reports;
