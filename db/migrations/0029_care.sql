-- 0029: care lists (关爱对象, issue 20). Households whose registered tags (households.tags) include a
-- care tag are visited every N days (the strictest of their tags); a care visit (关爱走访) records the
-- situation, the help given (帮扶) and the next step. The defaults of N are written once, in the
-- domain (DEFAULT_CARE_DAYS in src/lib/domain/care.ts); this table holds only what an admin changed:
-- a row with interval_days NULL takes a tag off the care list. Runs on PostgreSQL 15 and PGlite.

CREATE TABLE care_frequencies (
  -- the tag codes are HOUSEHOLD_TAG in src/lib/domain/labels.ts (as door_knocks_tags_check, 0017)
  tag           text PRIMARY KEY CHECK (tag IN ('elderly_alone', 'low_income', 'disabled', 'left_behind_child',
                  'empty_nest', 'extreme_poverty', 'serious_illness', 'veteran', 'community_correction')),
  -- days between care visits; NULL: households with this tag are not on the care list
  interval_days int CHECK (interval_days IS NULL OR interval_days BETWEEN 1 AND 365),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  updated_by    int NOT NULL REFERENCES users(id)
);

ALTER TABLE care_frequencies ENABLE ROW LEVEL SECURITY;
CREATE POLICY care_frequencies_read ON care_frequencies FOR SELECT USING (true);
CREATE POLICY care_frequencies_admin_insert ON care_frequencies FOR INSERT WITH CHECK ((SELECT app_is_admin()));
CREATE POLICY care_frequencies_admin_update ON care_frequencies FOR UPDATE USING ((SELECT app_is_admin())) WITH CHECK ((SELECT app_is_admin()));
CREATE POLICY care_frequencies_admin_delete ON care_frequencies FOR DELETE USING ((SELECT app_is_admin()));
REVOKE ALL ON care_frequencies FROM grid_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON care_frequencies TO grid_app;

-- 关爱走访: one visit to a care household. help_kind is HELP_KIND of src/lib/domain/care.ts.
CREATE TABLE care_visits (
  id              bigserial PRIMARY KEY,
  household_id    int NOT NULL REFERENCES households(id),
  visitor_id      int REFERENCES users(id),
  visited_at      timestamptz NOT NULL,
  situation       text NOT NULL CHECK (btrim(situation) <> '' AND char_length(situation) <= 500),
  help_kind       text NOT NULL CHECK (help_kind IN ('none', 'daily_care', 'health', 'material', 'policy', 'emotional', 'safety', 'other')),
  help_text       text CHECK (help_text IS NULL OR (btrim(help_text) <> '' AND char_length(help_text) <= 500)),
  next_step       text CHECK (next_step IS NULL OR (btrim(next_step) <> '' AND char_length(next_step) <= 500)),
  idempotency_key text CONSTRAINT care_visits_idempotency_key UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- help given is said in words (what, how much), except "no help needed"
  CONSTRAINT care_visits_help_check CHECK (help_kind = 'none' OR help_text IS NOT NULL)
);
-- the last care visit of a household (due lists) and a household's history (按时率)
CREATE INDEX care_visits_household_idx ON care_visits (household_id, visited_at DESC);

-- as door_knocks (0007): a care visit is seen and written where its household is
ALTER TABLE care_visits ENABLE ROW LEVEL SECURITY;
CREATE POLICY care_visits_scope ON care_visits USING (household_id IN (SELECT id FROM households));
CREATE POLICY care_visits_insert_writer ON care_visits AS RESTRICTIVE FOR INSERT WITH CHECK ((SELECT app_may_write()));
CREATE POLICY care_visits_update_writer ON care_visits AS RESTRICTIVE FOR UPDATE USING ((SELECT app_may_write()));
CREATE POLICY care_visits_delete_writer ON care_visits AS RESTRICTIVE FOR DELETE USING ((SELECT app_may_write()));
REVOKE ALL ON care_visits FROM grid_app;
-- history is written, never rewritten
GRANT SELECT, INSERT ON care_visits TO grid_app;

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
  CHECK (action IN ('unmask', 'export', 'login', 'login_failed', 'login_locked',
                    'logout', 'logout_all', 'password_change', 'user_admin', 'kpi_target', 'pairing', 'regrid',
                    'care_frequency'));
