-- Statistics: imprecise incidents (known only to an area) are counted per request for unplacedAtThisLevel;
-- a partial index keeps that read off the million point incidents.
CREATE INDEX IF NOT EXISTS incidents_imprecise_time_idx ON incidents (source, occurred_from) WHERE geom IS NULL;
