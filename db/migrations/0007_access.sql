-- 0007: accounts, access and audit.
--
-- Who may see what is enforced twice: by the server on every page and endpoint, and here, by
-- row-level security. Every user-facing query runs as `grid_app`, a role that owns nothing, inside a
-- transaction that names the signed-in user (`app.user_id`, set by src/lib/server/access/userdb.ts).
-- The connection's own role (the owner) runs migrations, seeding, sign-in and the live feed.
--
--   admin, screen         every grid (the screen's pages show aggregates only: enforced by the app)
--   leader                the grids under their jurisdiction (users.jurisdiction_code, a prefix of grid codes)
--   grid_manager          their own grids (user_grids)
--   department_staff      requests dispatched to their department or whistled to it (吹哨), nothing else
--   mediator              disputes assigned to them
--   nobody signed in      nothing
--
-- Personal data: grid_app cannot SELECT households.head_name/phone/id_number or
-- requests.reporter_name/reporter_phone at all. It reads them masked through pii_* functions, and
-- whole only through pii_unmask_household(), which checks the permission and writes audit_log in
-- the same statement. audit_log is append-only for everyone; grid_app may only add to it.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

-- ── accounts ────────────────────────────────────────────────────────────────────────────────
ALTER TABLE users
  -- no foreign key: replacing the demo district (TRUNCATE areas … CASCADE) must not take the
  -- accounts with it; the account page checks the code exists when it is set
  ADD COLUMN jurisdiction_code   text CHECK (jurisdiction_code ~ '^[0-9]{6}([0-9]{3}){0,2}$'),
  ADD COLUMN failed_logins       int NOT NULL DEFAULT 0,
  ADD COLUMN locked_until        timestamptz,
  ADD COLUMN password_changed_at timestamptz;
-- the leaders of a database migrated with data: the whole district
UPDATE users SET jurisdiction_code = (SELECT code FROM areas WHERE level = 'district' ORDER BY code LIMIT 1)
 WHERE role = 'leader' AND jurisdiction_code IS NULL;

ALTER TABLE sessions
  ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now(),
  -- idle timeout; expires_at stays the absolute one
  ADD COLUMN idle_minutes int NOT NULL DEFAULT 30 CHECK (idle_minutes > 0),
  ADD COLUMN ip           text;

-- Failed and successful sign-ins, for slowdown and lockout (and the audit trail).
CREATE TABLE login_attempts (
  id       bigserial PRIMARY KEY,
  at       timestamptz NOT NULL DEFAULT now(),
  username text NOT NULL,
  ip       text,
  ok       boolean NOT NULL
);
CREATE INDEX login_attempts_user_idx ON login_attempts (username, at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);

-- ── audit log ───────────────────────────────────────────────────────────────────────────────
CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  user_id int REFERENCES users(id),
  -- unmask 查看完整信息, export 导出, and the account events
  action  text NOT NULL CHECK (action IN ('unmask', 'export', 'login', 'login_failed', 'login_locked',
                                           'logout', 'logout_all', 'password_change', 'user_admin')),
  subject text,            -- household:123, requests.xlsx, user:45 …
  rows    int,             -- how many records an export carried
  reason  text,
  ip      text,
  detail  jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- the unmasking log of 0001 moves into the one audit log, nothing dropped
INSERT INTO audit_log (at, user_id, action, subject, reason, detail)
SELECT at, user_id, 'unmask', 'household:' || household_id, reason, jsonb_build_object('fields', fields)
  FROM pii_access_log ORDER BY id;
DROP TABLE pii_access_log;

-- ── the application role ────────────────────────────────────────────────────────────────────
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'grid_app') THEN
    CREATE ROLE grid_app NOLOGIN;
  END IF;
  -- the connecting role switches to grid_app per transaction (SET LOCAL ROLE)
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT grid_app TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO grid_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO grid_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO grid_app;
-- tables of later migrations (their migration decides about row-level security)
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO grid_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO grid_app;

-- sign-in state and bookkeeping belong to the server's own role
REVOKE ALL ON sessions, login_attempts, schema_migrations FROM grid_app;
-- history is written, never rewritten
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, request_events, request_transitions FROM grid_app;
REVOKE DELETE, TRUNCATE ON requests, households, hazards, door_knocks, whistle_summons FROM grid_app;
-- users: no password hashes, no lockout state, no phones of colleagues
REVOKE ALL ON users FROM grid_app;
GRANT SELECT (id, username, display_name, role, title, department_id, active, jurisdiction_code, created_at) ON users TO grid_app;
-- personal data columns: masked through pii_* functions only
REVOKE SELECT ON households FROM grid_app;
GRANT SELECT (id, building_id, grid_code, address, size, tags, last_visit_at, geom) ON households TO grid_app;
REVOKE SELECT ON requests FROM grid_app;
GRANT SELECT (id, code, kind, category_code, channel, status, priority, title, description, grid_code,
  department_id, household_id, address, photo_path, reported_at, dispatched_at, accepted_at,
  resolved_at, evaluated_at, closed_at, accept_deadline, resolve_deadline, satisfaction, solved,
  reopen_count, leader_id, mediator_id, visit_id, details, version, created_by, geom, claimed_by)
  ON requests TO grid_app;

-- ── who is asking ───────────────────────────────────────────────────────────────────────────
CREATE FUNCTION app_user_id() RETURNS int LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('app.user_id', true), '')::int
$$;

-- Prefix of the grid codes the user sees whole: '' every grid, a district/street/community code its
-- grids, NULL none. SECURITY DEFINER: grid_app may not read users' rows freely.
CREATE FUNCTION app_grid_prefix() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT CASE u.role WHEN 'admin' THEN '' WHEN 'screen' THEN '' WHEN 'leader' THEN u.jurisdiction_code END
    FROM users u WHERE u.id = app_user_id() AND u.active
$$;

-- Grids assigned one by one (网格员).
CREATE FUNCTION app_grid_codes() RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(array_agg(g.grid_code), '{}') FROM user_grids g JOIN users u ON u.id = g.user_id
   WHERE g.user_id = app_user_id() AND u.active
$$;

CREATE FUNCTION app_department_id() RETURNS int LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT department_id FROM users WHERE id = app_user_id() AND role = 'department_staff' AND active
$$;

-- Requests whistled (吹哨) to the user's department: read with the owner's rights so that the
-- requests policy does not depend on the whistle_summons policy, which depends on requests.
CREATE FUNCTION app_summoned_request_ids() RETURNS bigint[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(array_agg(request_id), '{}') FROM whistle_summons WHERE department_id = app_department_id()
$$;

CREATE FUNCTION app_sees_grid(p_grid text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(p_grid LIKE app_grid_prefix() || '%', false) OR p_grid = ANY (app_grid_codes())
$$;

-- ── row-level security ──────────────────────────────────────────────────────────────────────
-- The (SELECT f()) form makes each function an InitPlan: evaluated once per statement, not per row.

ALTER TABLE households ENABLE ROW LEVEL SECURITY;
CREATE POLICY households_scope ON households
  USING (grid_code LIKE (SELECT app_grid_prefix()) || '%' OR grid_code = ANY ((SELECT app_grid_codes())::text[]));

ALTER TABLE buildings ENABLE ROW LEVEL SECURITY;
CREATE POLICY buildings_scope ON buildings
  USING (grid_code LIKE (SELECT app_grid_prefix()) || '%' OR grid_code = ANY ((SELECT app_grid_codes())::text[]));

ALTER TABLE hazards ENABLE ROW LEVEL SECURITY;
CREATE POLICY hazards_scope ON hazards
  USING (grid_code LIKE (SELECT app_grid_prefix()) || '%' OR grid_code = ANY ((SELECT app_grid_codes())::text[]));

ALTER TABLE door_knocks ENABLE ROW LEVEL SECURITY;
CREATE POLICY door_knocks_scope ON door_knocks
  USING (household_id IN (SELECT id FROM households));

ALTER TABLE requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY requests_read ON requests FOR SELECT USING (
  grid_code LIKE (SELECT app_grid_prefix()) || '%'
  OR grid_code = ANY ((SELECT app_grid_codes())::text[])
  OR department_id = (SELECT app_department_id())
  OR id = ANY ((SELECT app_summoned_request_ids())::bigint[])
  OR mediator_id = (SELECT app_user_id())
  OR leader_id = (SELECT app_user_id()));
-- a new request: inside one's grids or jurisdiction; a department or a mediator only one it handles
CREATE POLICY requests_report ON requests FOR INSERT WITH CHECK (
  grid_code LIKE (SELECT app_grid_prefix()) || '%'
  OR grid_code = ANY ((SELECT app_grid_codes())::text[])
  OR department_id = (SELECT app_department_id())
  OR mediator_id = (SELECT app_user_id()));
-- a move may take a request out of one's own queue (退回, 派单 to another department)
CREATE POLICY requests_move ON requests FOR UPDATE USING (
  grid_code LIKE (SELECT app_grid_prefix()) || '%'
  OR grid_code = ANY ((SELECT app_grid_codes())::text[])
  OR department_id = (SELECT app_department_id())
  OR id = ANY ((SELECT app_summoned_request_ids())::bigint[])
  OR mediator_id = (SELECT app_user_id())
  OR leader_id = (SELECT app_user_id()))
  WITH CHECK ((SELECT app_user_id()) IS NOT NULL);

ALTER TABLE request_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_events_scope ON request_events
  USING (request_id IN (SELECT id FROM requests));

ALTER TABLE whistle_summons ENABLE ROW LEVEL SECURITY;
CREATE POLICY whistle_summons_scope ON whistle_summons
  USING (request_id IN (SELECT id FROM requests));

-- The big screen reads; it never writes. RESTRICTIVE: these hold on top of the policies above.
CREATE FUNCTION app_may_write() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce((SELECT role <> 'screen' FROM users WHERE id = app_user_id() AND active), false)
$$;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['households', 'buildings', 'hazards', 'door_knocks', 'requests', 'request_events', 'whistle_summons'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I AS RESTRICTIVE FOR INSERT WITH CHECK ((SELECT app_may_write()))', t || '_insert_writer', t);
    EXECUTE format('CREATE POLICY %I ON %I AS RESTRICTIVE FOR UPDATE USING ((SELECT app_may_write()))', t || '_update_writer', t);
    EXECUTE format('CREATE POLICY %I ON %I AS RESTRICTIVE FOR DELETE USING ((SELECT app_may_write()))', t || '_delete_writer', t);
  END LOOP;
END $$;

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON audit_log FOR SELECT
  USING ((SELECT role FROM users WHERE id = (SELECT app_user_id())) = 'admin');
CREATE POLICY audit_log_write ON audit_log FOR INSERT
  WITH CHECK (user_id = (SELECT app_user_id()));

-- ── moves ───────────────────────────────────────────────────────────────────────────────────
-- request_transition() of 0003, unchanged but for its first statement: it read the whole row
-- (SELECT *), reporter columns included, which grid_app may not. It reads the columns it uses.
-- It still runs as the caller, so row-level security decides which requests one may move: a
-- request outside the caller's reach is "不存在" (GL404), as for anyone who cannot see it.
CREATE OR REPLACE FUNCTION request_transition(
  p_id bigint, p_action text, p_version int, p_actor int, p_department int,
  p_at timestamptz, p_reason text, p_key text, p_payload jsonb
) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  r requests%ROWTYPE;
  v_to text;
  v_allowed text;
  v_dept int;
BEGIN
  SELECT id, code, status, version, satisfaction, solved INTO r.id, r.code, r.status, r.version, r.satisfaction, r.solved
    FROM requests WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'GL404', MESSAGE = format('诉求 %s 不存在', p_id);
  END IF;
  IF p_version IS NOT NULL AND r.version <> p_version THEN
    RAISE EXCEPTION USING ERRCODE = 'GL409',
      MESSAGE = format('诉求 %s 已被他人更新：当前状态 %s，版本 %s（提交的版本 %s）', r.code, r.status, r.version, p_version);
  END IF;
  SELECT to_status INTO v_to FROM request_transitions WHERE from_status = r.status AND action = p_action;
  IF v_to IS NULL THEN
    SELECT string_agg(action, '、' ORDER BY action) INTO v_allowed FROM request_transitions WHERE from_status = r.status;
    RAISE EXCEPTION USING ERRCODE = 'GL422',
      MESSAGE = format('当前状态 %s 不允许 %s；允许：%s', r.status, p_action, coalesce(v_allowed, '无'));
  END IF;

  IF p_action IN ('dispatch', 'redispatch') AND p_department IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '派单必须指定责任部门';
  END IF;
  IF p_action = 'resolve' AND r.status = 'escalated'
     AND EXISTS (SELECT 1 FROM whistle_summons WHERE request_id = p_id AND reported_at IS NULL) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '吹哨中，尚有部门未报到，不能办结';
  END IF;
  IF p_action = 'reopen' AND NOT (r.satisfaction = 'unsatisfied' OR r.solved = false) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '只有评价为不满意或未解决的诉求才能返工';
  END IF;
  IF p_action = 'evaluate' AND (p_payload->>'satisfaction') IS DISTINCT FROM 'satisfied'
     AND (p_payload->>'satisfaction') IS DISTINCT FROM 'basic' AND (p_payload->>'satisfaction') IS DISTINCT FROM 'unsatisfied' THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '评单必须给出满意度（满意/基本满意/不满意）';
  END IF;
  IF p_action = 'escalate' THEN
    IF jsonb_typeof(p_payload->'departments') IS DISTINCT FROM 'array' OR jsonb_array_length(p_payload->'departments') = 0 THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '吹哨必须指定至少一个报到部门';
    END IF;
    FOR v_dept IN SELECT (jsonb_array_elements_text(p_payload->'departments'))::int LOOP
      INSERT INTO whistle_summons (request_id, department_id, summoned_at, deadline)
      VALUES (p_id, v_dept, p_at, (p_payload->>'whistle_deadline')::timestamptz)
      ON CONFLICT (request_id, department_id) DO UPDATE
        SET summoned_at = EXCLUDED.summoned_at, deadline = EXCLUDED.deadline, reported_at = NULL, reported_by = NULL;
    END LOOP;
  END IF;
  IF p_action = 'checkin' THEN
    UPDATE whistle_summons SET reported_at = p_at, reported_by = p_actor
     WHERE request_id = p_id AND department_id = p_department AND reported_at IS NULL;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '该部门未被吹哨，或已经报到';
    END IF;
  END IF;

  INSERT INTO request_events (request_id, from_status, to_status, action, actor_id, department_id, at, reason, idempotency_key, payload)
  VALUES (p_id, r.status, v_to, p_action, p_actor, p_department, p_at, p_reason, p_key, coalesce(p_payload, '{}'));

  PERFORM set_config('app.request_transition', p_id::text, true);
  UPDATE requests SET
    status = v_to,
    version = version + 1,
    department_id = CASE WHEN p_action IN ('dispatch', 'redispatch') THEN p_department ELSE department_id END,
    dispatched_at = CASE WHEN p_action = 'dispatch' THEN p_at ELSE dispatched_at END,
    accept_deadline = coalesce((p_payload->>'accept_deadline')::timestamptz, accept_deadline),
    resolve_deadline = coalesce((p_payload->>'resolve_deadline')::timestamptz, resolve_deadline),
    accepted_at = CASE WHEN v_to = 'accepted' THEN p_at ELSE accepted_at END,
    resolved_at = CASE WHEN v_to = 'resolved' THEN p_at WHEN v_to = 'reopened' THEN NULL ELSE resolved_at END,
    evaluated_at = CASE WHEN v_to = 'evaluated' THEN p_at ELSE evaluated_at END,
    satisfaction = CASE WHEN v_to = 'evaluated' THEN p_payload->>'satisfaction' ELSE satisfaction END,
    solved = CASE WHEN v_to = 'evaluated' THEN (p_payload->>'solved')::boolean ELSE solved END,
    closed_at = CASE WHEN v_to = 'closed' THEN p_at ELSE closed_at END,
    reopen_count = reopen_count + CASE WHEN v_to = 'reopened' THEN 1 ELSE 0 END,
    claimed_by = CASE WHEN kind = 'wish' AND v_to = 'accepted' THEN coalesce(p_payload->>'claimed_by', claimed_by) ELSE claimed_by END,
    mediator_id = coalesce((p_payload->>'mediator_id')::int, mediator_id),
    leader_id = coalesce((p_payload->>'leader_id')::int, leader_id)
  WHERE id = p_id;
  PERFORM set_config('app.request_transition', '', true);
  RETURN r.version + 1;
END $$;


-- ── personal data ───────────────────────────────────────────────────────────────────────────
-- The same masks as src/lib/domain/mask.ts (tests compare the two).
CREATE FUNCTION pii_mask_name(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN coalesce(btrim(p), '') = '' THEN ''
    WHEN char_length(btrim(p)) = 1 THEN '*'
    WHEN char_length(btrim(p)) = 2 THEN left(btrim(p), 1) || '*'
    ELSE left(btrim(p), 1) || repeat('*', char_length(btrim(p)) - 2) || right(btrim(p), 1) END
$$;

CREATE FUNCTION pii_mask_phone(p text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  s text := btrim(coalesce(p, ''));
  digits int := char_length(regexp_replace(s, '\D', '', 'g'));
  head int;
  tail int;
  seen int := 0;
  out text := '';
  c text;
BEGIN
  IF digits = 0 THEN RETURN ''; END IF;
  IF digits >= 8 THEN head := 3; tail := 4; ELSE head := 0; tail := least(2, digits - 1); END IF;
  FOREACH c IN ARRAY regexp_split_to_array(s, '') LOOP
    IF c ~ '^\d$' THEN
      out := out || CASE WHEN seen < head OR seen >= digits - tail THEN c ELSE '*' END;
      seen := seen + 1;
    ELSE
      out := out || c;
    END IF;
  END LOOP;
  RETURN out;
END $$;

CREATE FUNCTION pii_mask_id(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN coalesce(btrim(p), '') = '' THEN ''
    WHEN char_length(btrim(p)) >= 15 THEN left(btrim(p), 4) || repeat('*', char_length(btrim(p)) - 8) || right(btrim(p), 4)
    WHEN char_length(btrim(p)) > 4 THEN left(btrim(p), 2) || repeat('*', char_length(btrim(p)) - 4) || right(btrim(p), 2)
    ELSE repeat('*', char_length(btrim(p))) END
$$;

-- A household's personal data, masked; nothing for a household outside the caller's grids.
CREATE FUNCTION pii_household(p_id int, OUT name text, OUT phone text, OUT id_number text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT pii_mask_name(head_name), pii_mask_phone(phone), pii_mask_id(id_number)
    FROM households WHERE id = p_id AND app_sees_grid(grid_code)
$$;

-- A request's reporter, masked; nothing for a request the caller may not read.
CREATE FUNCTION pii_request_reporter(p_id bigint, OUT name text, OUT phone text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT pii_mask_name(r.reporter_name), pii_mask_phone(r.reporter_phone)
    FROM requests r WHERE r.id = p_id
     AND (app_sees_grid(r.grid_code) OR r.department_id = app_department_id()
          OR r.id = ANY (app_summoned_request_ids()) OR r.mediator_id = app_user_id() OR r.leader_id = app_user_id())
$$;

-- Bulk export (src/lib/server/export), a batch of ids at a time: masked, or whole (p_whole) for
-- admins and a grid's own 网格员 (who asked with a reason, logged once per export by the app).
-- Only rows inside the caller's reach come back. The caller's scope is read once per batch.
CREATE FUNCTION pii_households_export(p_ids int[], p_whole boolean)
  RETURNS TABLE (id int, name text, phone text, id_number text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_prefix text := app_grid_prefix();
  v_grids text[] := app_grid_codes();
  v_admin boolean := coalesce((SELECT u.role = 'admin' FROM users u WHERE u.id = app_user_id() AND u.active), false);
BEGIN
  RETURN QUERY
  SELECT h.id,
         CASE WHEN w.whole THEN h.head_name ELSE pii_mask_name(h.head_name) END,
         CASE WHEN w.whole THEN h.phone ELSE pii_mask_phone(h.phone) END,
         CASE WHEN w.whole THEN h.id_number ELSE pii_mask_id(h.id_number) END
    FROM households h
    CROSS JOIN LATERAL (SELECT p_whole AND (v_admin OR h.grid_code = ANY (v_grids)) AS whole) w
   WHERE h.id = ANY (p_ids)
     AND (coalesce(h.grid_code LIKE v_prefix || '%', false) OR h.grid_code = ANY (v_grids));
END $$;

CREATE FUNCTION pii_request_reporters_export(p_ids bigint[], p_whole boolean)
  RETURNS TABLE (id bigint, name text, phone text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_prefix text := app_grid_prefix();
  v_grids text[] := app_grid_codes();
  v_dept int := app_department_id();
  v_summoned bigint[] := app_summoned_request_ids();
  v_user int := app_user_id();
  v_admin boolean := coalesce((SELECT u.role = 'admin' FROM users u WHERE u.id = app_user_id() AND u.active), false);
BEGIN
  RETURN QUERY
  SELECT r.id,
         CASE WHEN w.whole THEN r.reporter_name ELSE pii_mask_name(r.reporter_name) END,
         CASE WHEN w.whole THEN r.reporter_phone ELSE pii_mask_phone(r.reporter_phone) END
    FROM requests r
    CROSS JOIN LATERAL (SELECT p_whole AND (v_admin OR r.grid_code = ANY (v_grids)) AS whole) w
   WHERE r.id = ANY (p_ids)
     AND (coalesce(r.grid_code LIKE v_prefix || '%', false) OR r.grid_code = ANY (v_grids) OR r.department_id = v_dept
          OR r.id = ANY (v_summoned) OR r.mediator_id = v_user OR r.leader_id = v_user);
END $$;

-- 查看完整信息: whole name, phone and ID number for admins and the grid's own 网格员 (user_grids),
-- with a reason; the audit row is written by the same statement, so no read goes unlogged.
CREATE FUNCTION pii_unmask_household(p_id int, p_reason text,
  OUT name text, OUT phone text, OUT id_number text, OUT logged_at timestamptz)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_user int := app_user_id();
  v_role text;
  v_grid text;
BEGIN
  SELECT role INTO v_role FROM users WHERE id = v_user AND active;
  SELECT grid_code INTO v_grid FROM households WHERE id = p_id;
  IF v_grid IS NULL OR v_role IS NULL OR NOT app_sees_grid(v_grid) THEN
    RAISE EXCEPTION 'no such household' USING ERRCODE = 'no_data_found';
  END IF;
  IF NOT (v_role = 'admin' OR v_grid = ANY (app_grid_codes())) THEN
    RAISE EXCEPTION 'unmasking needs the grid''s own manager or an admin' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF coalesce(btrim(p_reason), '') = '' THEN
    RAISE EXCEPTION 'a reason is required' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO audit_log (user_id, action, subject, reason, detail)
  VALUES (v_user, 'unmask', 'household:' || p_id, btrim(p_reason), '{"fields":["head_name","phone","id_number"]}')
  RETURNING at INTO logged_at;
  SELECT h.head_name, h.phone, h.id_number INTO name, phone, id_number FROM households h WHERE h.id = p_id;
END $$;

REVOKE ALL ON FUNCTION pii_unmask_household(int, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pii_unmask_household(int, text) TO grid_app;
