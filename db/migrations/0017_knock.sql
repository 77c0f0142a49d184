-- 0015: the structured 敲门行动 record (issue 16): who was met at the door, the household's
-- situation as seen there, needs found, and the idempotency key an offline outbox replays with.
-- Rows from before stay valid: met NULL (not recorded), no tags, no needs, no key.
-- The tag codes are HOUSEHOLD_TAG in src/lib/domain/labels.ts (tests/unit/doorknock.test.ts keeps
-- this list and that one the same); who-was-met codes are MET in src/lib/domain/doorknock.ts.
ALTER TABLE door_knocks
  ADD COLUMN met text CONSTRAINT door_knocks_met_check
    CHECK (met IN ('head', 'family', 'tenant', 'neighbour', 'nobody')),
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}' CONSTRAINT door_knocks_tags_check
    CHECK (tags <@ ARRAY['elderly_alone', 'low_income', 'disabled', 'left_behind_child', 'empty_nest',
      'extreme_poverty', 'serious_illness', 'veteran', 'community_correction']::text[]
      AND array_position(tags, NULL) IS NULL),
  ADD COLUMN needs text CONSTRAINT door_knocks_needs_check
    CHECK (needs IS NULL OR (btrim(needs) <> '' AND char_length(needs) <= 500)),
  ADD COLUMN idempotency_key text CONSTRAINT door_knocks_idempotency_key UNIQUE;

-- nobody met: nothing about the household can have been found at the door
ALTER TABLE door_knocks ADD CONSTRAINT door_knocks_nobody_check
  CHECK (met IS DISTINCT FROM 'nobody' OR (tags = '{}' AND needs IS NULL));
-- a situation or a need comes from someone met
ALTER TABLE door_knocks ADD CONSTRAINT door_knocks_findings_met_check
  CHECK (met IS NOT NULL OR (tags = '{}' AND needs IS NULL));
