-- 包联 managed from the product (issue 20): a pairing has a period — it starts, and it ends when a
-- leader's duties change (结束包联; the row stays, so past visits and figures keep their pairing) — a
-- note, and a location for projects and enterprises (the open items around it are counted within
-- domain/pairing.ts's PAIRING_RADIUS_M). Who writes: the leader their own, admins anyone's (0011).
ALTER TABLE leader_pairings
  ADD COLUMN started_on date NOT NULL DEFAULT (now() AT TIME ZONE 'Asia/Shanghai')::date,
  ADD COLUMN ended_on   date,
  ADD COLUMN note       text,
  ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD CONSTRAINT leader_pairings_period CHECK (ended_on IS NULL OR ended_on >= started_on),
  -- a project or an enterprise is somewhere: its open items are counted around it
  ADD CONSTRAINT leader_pairings_located CHECK (target_kind = 'area' OR geom IS NOT NULL) NOT VALID;
-- the seed's pairings began before anyone recorded it: their period starts with the oldest visit
UPDATE leader_pairings p SET started_on = least(p.started_on,
  coalesce((SELECT min(v.planned_date) FROM visits v WHERE v.leader_id = p.leader_id), p.started_on));
-- one active pairing per leader and place
CREATE UNIQUE INDEX leader_pairings_active_area ON leader_pairings (leader_id, area_code) WHERE ended_on IS NULL AND area_code IS NOT NULL;

-- ── the audit log names the new kind of change ──────────────────────────────────────────────
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
  CHECK (action IN ('unmask', 'export', 'login', 'login_failed', 'login_locked',
                    'logout', 'logout_all', 'password_change', 'user_admin', 'kpi_target', 'pairing'));
