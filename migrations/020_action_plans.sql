-- Issue 18: the action plan decided from a lägesbild (lag 2023:196): priorities picked from the report's findings
-- (with the figures that justified them, frozen with the data version), the orsaksanalys per priority, measures
-- with owners and partners, and indicators whose baseline is filled from the data. The plan is one document
-- (jsonb, validated by the domain's zod schema); every save is a kept version. A decided plan is frozen: a revision
-- is a new draft version of the same plan. Drafts are seen by staff of the area, analysts and admins only.
CREATE TABLE action_plans (
  id           bigserial PRIMARY KEY,
  area_id      bigint NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
  report_id    bigint REFERENCES saved_reports(id) ON DELETE SET NULL,
  title        text NOT NULL,
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'decided', 'published')),
  version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  plan         jsonb NOT NULL,
  data_version bigint NOT NULL,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_by   text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  decided_by   text,
  decided_at   timestamptz
);
CREATE INDEX action_plans_area_idx ON action_plans (area_id);

CREATE TABLE action_plan_versions (
  plan_id  bigint NOT NULL REFERENCES action_plans(id) ON DELETE CASCADE,
  version  integer NOT NULL,
  status   text NOT NULL,
  title    text NOT NULL,
  plan     jsonb NOT NULL,
  saved_by text NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, version)
);
