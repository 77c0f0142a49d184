-- 0030: 立案审核 and 督办 (issue 19, "Registration and verification" and "Supervision").
-- 作废 (void, with a reason) and 合并 (merge a duplicate into its open original of the same kind)
-- end a request that was never taken on: two new terminal statuses, neither open nor 办结
-- (src/lib/domain/workflow.ts CANCELLED_STATUSES). 延期 (extension): the handling department asks,
-- the command centre approves (a new resolve deadline, moved through request_transition so the
-- history and the KPI rollups see it like any other deadline) or refuses. 督办 (a leader follows a
-- request) and 催办 (a reminder to the handling department; from the second one on the command
-- centre is told too). The application checks everything first for friendly messages; this is
-- the second line, as in 0003.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

ALTER TABLE requests DROP CONSTRAINT requests_status_check;
ALTER TABLE requests ADD CONSTRAINT requests_status_check CHECK (status IN
  ('reported', 'dispatched', 'accepted', 'resolved', 'evaluated', 'closed', 'returned', 'escalated', 'reopened', 'voided', 'merged'));

-- 合并: the original a duplicate was merged into (set by request_transition only, with the status)
ALTER TABLE requests ADD COLUMN merged_into bigint REFERENCES requests(id);
ALTER TABLE requests ADD CONSTRAINT requests_merged_into_check CHECK ((status = 'merged') = (merged_into IS NOT NULL) AND merged_into IS DISTINCT FROM id);
CREATE INDEX requests_merged_into_idx ON requests (merged_into) WHERE merged_into IS NOT NULL;
GRANT SELECT (merged_into) ON requests TO grid_app;

-- The new moves (a copy of TRANSITIONS in workflow.ts; tests/unit/workflow.test.ts keeps them equal).
-- 作废 and 合并 happen at 立案审核: before any department took the request on.
INSERT INTO request_transitions (from_status, action, to_status) VALUES
  ('reported',   'void',       'voided'),
  ('returned',   'void',       'voided'),
  ('reported',   'merge',      'merged'),
  ('returned',   'merge',      'merged'),
  ('accepted',   'extend',     'accepted'),
  ('escalated',  'extend',     'escalated');

-- ── 延期 ─────────────────────────────────────────────────────────────────────────────────────
CREATE TABLE request_extensions (
  id              bigserial PRIMARY KEY,
  request_id      bigint NOT NULL REFERENCES requests(id),
  department_id   int REFERENCES departments(id),
  requested_by    int NOT NULL REFERENCES users(id),
  requested_at    timestamptz NOT NULL DEFAULT now(),
  -- working days added to the resolve deadline in force when it is approved
  days            int NOT NULL CHECK (days BETWEEN 1 AND 30),
  reason          text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused')),
  old_deadline    timestamptz,
  new_deadline    timestamptz,
  decided_by      int REFERENCES users(id),
  decided_at      timestamptz,
  decision_reason text CHECK (decision_reason IS NULL OR length(decision_reason) <= 500),
  CHECK ((status = 'pending') = (decided_at IS NULL) AND (status = 'pending') = (decided_by IS NULL)),
  CHECK ((status = 'approved') = (new_deadline IS NOT NULL)),
  CHECK (status <> 'refused' OR length(btrim(coalesce(decision_reason, ''))) > 0)
);
-- one question at a time per request
CREATE UNIQUE INDEX request_extensions_one_pending ON request_extensions (request_id) WHERE status = 'pending';
CREATE INDEX request_extensions_request_idx ON request_extensions (request_id);

-- Asked only while the request is worked on (接单 or 吹哨), by its department (or an admin);
-- decided once; approved only by request_transition('extend'), which moves the deadline with it.
CREATE FUNCTION request_extensions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_status text;
  v_dept int;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT status, department_id INTO v_status, v_dept FROM requests WHERE id = NEW.request_id;
    IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'GL404', MESSAGE = format('诉求 %s 不存在', NEW.request_id); END IF;
    IF v_status NOT IN ('accepted', 'escalated') THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = format('只有已接单或吹哨中的诉求可以申请延期（当前 %s）', v_status);
    END IF;
    -- a user acting (the server's own writes, the seed, run as the owner with no user)
    IF app_user_id() IS NOT NULL AND NOT coalesce(app_is_admin() OR v_dept = app_department_id(), false) THEN
      RAISE EXCEPTION USING ERRCODE = 'GL403', MESSAGE = '只有承办部门可以申请延期';
    END IF;
    IF NEW.status <> 'pending' THEN RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '延期申请提交时只能是待审批'; END IF;
    RETURN NEW;
  END IF;
  IF OLD.status <> 'pending' THEN
    RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = '这项延期申请已经审批过了';
  END IF;
  IF (NEW.request_id, NEW.days, NEW.reason, NEW.requested_by, NEW.requested_at) IS DISTINCT FROM (OLD.request_id, OLD.days, OLD.reason, OLD.requested_by, OLD.requested_at) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '延期申请的内容不能修改';
  END IF;
  IF NEW.status = 'approved' AND coalesce(current_setting('app.request_transition', true), '') <> NEW.request_id::text THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '延期只能经由 request_transition(''extend'') 批准';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER request_extensions_guard BEFORE INSERT OR UPDATE ON request_extensions
  FOR EACH ROW EXECUTE FUNCTION request_extensions_guard();

-- ── 督办 and 催办 ─────────────────────────────────────────────────────────────────────────────
CREATE TABLE request_supervisions (
  id          bigserial PRIMARY KEY,
  request_id  bigint NOT NULL REFERENCES requests(id),
  leader_id   int NOT NULL REFERENCES users(id),
  started_at  timestamptz NOT NULL DEFAULT now(),
  note        text NOT NULL CHECK (length(btrim(note)) BETWEEN 1 AND 500),
  ended_at    timestamptz
);
CREATE UNIQUE INDEX request_supervisions_one ON request_supervisions (request_id, leader_id) WHERE ended_at IS NULL;
CREATE INDEX request_supervisions_leader_idx ON request_supervisions (leader_id) WHERE ended_at IS NULL;

CREATE TABLE request_urges (
  id            bigserial PRIMARY KEY,
  request_id    bigint NOT NULL REFERENCES requests(id),
  urged_by      int NOT NULL REFERENCES users(id),
  urged_at      timestamptz NOT NULL DEFAULT now(),
  message       text NOT NULL CHECK (length(btrim(message)) BETWEEN 1 AND 500),
  -- the handling department reminded (the request's at the time)
  department_id int REFERENCES departments(id),
  -- the how-many-th reminder to this department about this request; from 2 on the command centre is told
  seq           int NOT NULL DEFAULT 1 CHECK (seq >= 1)
);
CREATE INDEX request_urges_request_idx ON request_urges (request_id, department_id);

-- 督办 by a leader (for themselves) or an admin; 催办 by the command centre, a leader or a 网格员
-- (row-level security: of a request they see); both of open requests only; 催办 numbered here so
-- that two reminders at once cannot both be "the first".
CREATE FUNCTION request_supervision_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_status text;
  v_dept int;
  v_role text;
BEGIN
  SELECT status, department_id INTO v_status, v_dept FROM requests WHERE id = NEW.request_id FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'GL404', MESSAGE = format('诉求 %s 不存在', NEW.request_id); END IF;
  IF v_status NOT IN ('reported', 'dispatched', 'accepted', 'returned', 'escalated', 'reopened') THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = format('诉求已结束（%s），不能再督办或催办', v_status);
  END IF;
  v_role := app_user_role();
  IF TG_TABLE_NAME = 'request_supervisions' THEN
    IF app_user_id() IS NOT NULL AND NOT coalesce(v_role = 'admin' OR (v_role = 'leader' AND NEW.leader_id = app_user_id()), false) THEN
      RAISE EXCEPTION USING ERRCODE = 'GL403', MESSAGE = '只有领导可以督办';
    END IF;
  ELSE
    IF app_user_id() IS NOT NULL AND NOT coalesce(v_role IN ('admin', 'leader', 'grid_manager') AND NEW.urged_by = app_user_id(), false) THEN
      RAISE EXCEPTION USING ERRCODE = 'GL403', MESSAGE = '只有指挥中心、领导和网格员可以催办';
    END IF;
    -- domain/cases.ts URGE_STATUSES: a department is handling it
    IF v_dept IS NULL OR v_status NOT IN ('dispatched', 'accepted', 'escalated', 'reopened') THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = format('只有已派单、办理中的诉求可以催办（当前 %s）', v_status);
    END IF;
    NEW.department_id := v_dept;
    NEW.seq := 1 + (SELECT count(*) FROM request_urges WHERE request_id = NEW.request_id AND department_id = v_dept);
  END IF;
  RETURN NEW;
END $$;

-- the caller's role (grid_app may not read users' rows freely)
CREATE FUNCTION app_user_role() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT role FROM users WHERE id = app_user_id() AND active
$$;
REVOKE ALL ON FUNCTION app_user_role() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_user_role() TO grid_app;

CREATE TRIGGER request_supervisions_guard BEFORE INSERT ON request_supervisions
  FOR EACH ROW EXECUTE FUNCTION request_supervision_guard();
CREATE TRIGGER request_urges_guard BEFORE INSERT ON request_urges
  FOR EACH ROW EXECUTE FUNCTION request_supervision_guard();

-- ── row-level security (as 0007): one sees the rows of the requests one sees ──────────────────
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['request_extensions', 'request_supervisions', 'request_urges'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (request_id IN (SELECT id FROM requests))', t || '_scope', t);
    EXECUTE format('CREATE POLICY %I ON %I AS RESTRICTIVE FOR INSERT WITH CHECK ((SELECT app_may_write()))', t || '_insert_writer', t);
    EXECUTE format('CREATE POLICY %I ON %I AS RESTRICTIVE FOR UPDATE USING ((SELECT app_may_write()))', t || '_update_writer', t);
    EXECUTE format('REVOKE DELETE, TRUNCATE ON %I FROM grid_app', t);
  END LOOP;
END $$;
-- decisions on extensions are the command centre's; a 督办 is ended by the one who follows it
CREATE POLICY request_extensions_decide ON request_extensions AS RESTRICTIVE FOR UPDATE USING ((SELECT app_is_admin()));
CREATE POLICY request_supervisions_end ON request_supervisions AS RESTRICTIVE FOR UPDATE
  USING (leader_id = (SELECT app_user_id()) OR (SELECT app_is_admin()));
REVOKE UPDATE ON request_urges FROM grid_app;

-- ── notices ───────────────────────────────────────────────────────────────────────────────────
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN
  ('dispatched', 'whistle', 'returned', 'reopened', 'deadline', 'voided', 'merged', 'extension_asked', 'extension_decided', 'urged', 'urge_escalated'));

-- ── the move, with 作废, 合并 and 延期 ──────────────────────────────────────────────────────────
-- request_transition() as 0013 left it, plus: 合并 names an open original of the same kind
-- (payload.into) and sets merged_into; 延期 approves a pending request_extensions row
-- (payload.extension_id) and moves the resolve deadline later (payload.resolve_deadline).
CREATE OR REPLACE FUNCTION request_transition(
  p_id bigint, p_action text, p_version int, p_actor int, p_department int,
  p_at timestamptz, p_reason text, p_key text, p_payload jsonb
) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  r requests%ROWTYPE;
  v_to text;
  v_allowed text;
  v_dept int;
  v_into bigint;
  v_into_status text;
  v_into_kind text;
  v_into_merged bigint;
BEGIN
  SELECT id, code, status, version, satisfaction, solved, kind, resolve_deadline
    INTO r.id, r.code, r.status, r.version, r.satisfaction, r.solved, r.kind, r.resolve_deadline
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
     AND EXISTS (SELECT 1 FROM whistle_summons WHERE request_id = p_id AND checked_in_at IS NULL) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '吹哨中，尚有部门未报到，不能办结';
  END IF;
  IF p_action = 'reopen' AND NOT (r.satisfaction = 'unsatisfied' OR r.solved = false) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '只有评价为不满意或未解决的诉求才能返工';
  END IF;
  IF p_action = 'evaluate' AND (p_payload->>'satisfaction') IS DISTINCT FROM 'satisfied'
     AND (p_payload->>'satisfaction') IS DISTINCT FROM 'basic' AND (p_payload->>'satisfaction') IS DISTINCT FROM 'unsatisfied' THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '评单必须给出满意度（满意/基本满意/不满意）';
  END IF;
  IF p_action IN ('void', 'merge') AND length(btrim(coalesce(p_reason, ''))) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '作废或合并必须说明原因';
  END IF;
  IF p_action = 'merge' THEN
    v_into := (p_payload->>'into')::bigint;
    SELECT status, kind, merged_into INTO v_into_status, v_into_kind, v_into_merged FROM requests WHERE id = v_into;
    IF v_into IS NULL OR NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '合并必须指定存在的原诉求';
    END IF;
    IF v_into = p_id THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '诉求不能合并到它自己';
    END IF;
    IF v_into_status NOT IN ('reported', 'dispatched', 'accepted', 'returned', 'escalated', 'reopened') THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = format('原诉求已结束（%s），不能合并到它', v_into_status);
    END IF;
    IF v_into_kind <> r.kind THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '只能合并到同一类型的诉求';
    END IF;
  END IF;
  IF p_action = 'extend' THEN
    IF (p_payload->>'resolve_deadline') IS NULL OR (p_payload->>'resolve_deadline')::timestamptz <= r.resolve_deadline THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '延期必须给出晚于现办结时限的新时限';
    END IF;
  END IF;
  IF p_action = 'escalate' THEN
    IF jsonb_typeof(p_payload->'departments') IS DISTINCT FROM 'array' OR jsonb_array_length(p_payload->'departments') = 0 THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '吹哨必须指定至少一个报到部门';
    END IF;
    FOR v_dept IN SELECT (jsonb_array_elements_text(p_payload->'departments'))::int LOOP
      INSERT INTO whistle_summons (request_id, department_id, summoned_at, deadline)
      VALUES (p_id, v_dept, p_at, (p_payload->>'whistle_deadline')::timestamptz)
      ON CONFLICT (request_id, department_id) DO UPDATE
        SET summoned_at = EXCLUDED.summoned_at, deadline = EXCLUDED.deadline, checked_in_at = NULL, checked_in_by = NULL;
    END LOOP;
  END IF;
  IF p_action = 'checkin' THEN
    UPDATE whistle_summons SET checked_in_at = p_at, checked_in_by = p_actor
     WHERE request_id = p_id AND department_id = p_department AND checked_in_at IS NULL;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '该部门未被吹哨，或已经报到';
    END IF;
  END IF;

  INSERT INTO request_events (request_id, from_status, to_status, action, actor_id, department_id, at, reason, idempotency_key, payload)
  VALUES (p_id, r.status, v_to, p_action, p_actor, p_department, p_at, p_reason, p_key, coalesce(p_payload, '{}'));

  PERFORM set_config('app.request_transition', p_id::text, true);
  IF p_action = 'extend' THEN
    UPDATE request_extensions SET status = 'approved', decided_by = p_actor, decided_at = p_at, decision_reason = p_reason,
           old_deadline = r.resolve_deadline, new_deadline = (p_payload->>'resolve_deadline')::timestamptz
     WHERE id = (p_payload->>'extension_id')::bigint AND request_id = p_id AND status = 'pending';
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '没有待审批的延期申请';
    END IF;
  END IF;
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
    leader_id = coalesce((p_payload->>'leader_id')::int, leader_id),
    merged_into = CASE WHEN v_to = 'merged' THEN v_into ELSE merged_into END
  WHERE id = p_id;
  PERFORM set_config('app.request_transition', '', true);
  RETURN r.version + 1;
END $$;
