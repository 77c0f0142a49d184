-- 0019: KPI targets (目标值) configurable by admins (issue 15, "KPI targets … configurable by admins").
-- One row per KPI an admin has set; a KPI without a row uses the default of src/lib/domain/kpi.ts
-- (DEFAULT_TARGETS, domain.md's "Default targets"), so the defaults are written once, in the domain.
-- Which keys exist is the domain's list too (the server validates them); the table only guards the
-- range: a percentage 0–100 with one decimal. Every change is written to audit_log (action
-- 'kpi_target') in the same transaction as the row (src/lib/server/kpi/targets.ts).
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

CREATE TABLE kpi_targets (
  kpi        text PRIMARY KEY,
  -- percent, e.g. 92.5 for 92.5 %
  target     numeric(4, 1) NOT NULL CHECK (target >= 0 AND target <= 100),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by int NOT NULL REFERENCES users(id)
);

-- ── row-level security (as 0011's reference tables): everyone in the app reads, admins write ──
ALTER TABLE kpi_targets ENABLE ROW LEVEL SECURITY;
CREATE POLICY kpi_targets_read ON kpi_targets FOR SELECT USING (true);
CREATE POLICY kpi_targets_admin_insert ON kpi_targets FOR INSERT WITH CHECK ((SELECT app_is_admin()));
CREATE POLICY kpi_targets_admin_update ON kpi_targets FOR UPDATE USING ((SELECT app_is_admin())) WITH CHECK ((SELECT app_is_admin()));
CREATE POLICY kpi_targets_admin_delete ON kpi_targets FOR DELETE USING ((SELECT app_is_admin()));
REVOKE ALL ON kpi_targets FROM grid_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON kpi_targets TO grid_app;

-- ── the audit log names the new kind of change ──────────────────────────────────────────────
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
  CHECK (action IN ('unmask', 'export', 'login', 'login_failed', 'login_locked',
                    'logout', 'logout_all', 'password_change', 'user_admin', 'kpi_target'));
