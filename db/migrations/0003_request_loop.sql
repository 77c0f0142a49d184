-- 0003: the request loop enforced in the database, so a bug or a hand-written UPDATE cannot leave
-- a request in a state its history does not explain. The application checks the same rules first
-- (src/lib/domain/workflow.ts) to give friendly messages; this is the second line.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

-- The legal moves: a copy of TRANSITIONS in workflow.ts (tests/unit/workflow.test.ts keeps them equal).
CREATE TABLE request_transitions (
  from_status text NOT NULL,
  action      text NOT NULL,
  to_status   text NOT NULL,
  PRIMARY KEY (from_status, action),
  UNIQUE (from_status, action, to_status)
);
INSERT INTO request_transitions (from_status, action, to_status) VALUES
  ('reported',   'dispatch',   'dispatched'),
  ('dispatched', 'accept',     'accepted'),
  ('dispatched', 'return',     'returned'),
  ('returned',   'redispatch', 'dispatched'),
  ('accepted',   'resolve',    'resolved'),
  ('accepted',   'escalate',   'escalated'),
  ('escalated',  'checkin',    'escalated'),
  ('escalated',  'resolve',    'resolved'),
  ('resolved',   'evaluate',   'evaluated'),
  ('evaluated',  'close',      'closed'),
  ('evaluated',  'reopen',     'reopened'),
  ('reopened',   'accept',     'accepted');

-- Every event row is a legal move (the first one is the report). A foreign key, not a trigger:
-- it is checked in C, so loading the demo district's ~10^5 events stays fast.
ALTER TABLE request_events ADD CONSTRAINT request_events_report_check
  CHECK ((from_status IS NULL) = (action = 'report') AND (action <> 'report' OR to_status = 'reported'));
ALTER TABLE request_events ADD CONSTRAINT request_events_legal_fk
  FOREIGN KEY (from_status, action, to_status) REFERENCES request_transitions (from_status, action, to_status);

-- 微心愿: who claimed it (认领 = accept for a wish), a volunteer or a unit.
ALTER TABLE requests ADD COLUMN claimed_by text;

-- 吹哨 calls still waiting for a department's 报到.
CREATE INDEX whistle_summons_pending_idx ON whistle_summons (department_id) WHERE reported_at IS NULL;
CREATE INDEX request_events_action_idx ON request_events (request_id, action, at);
CREATE INDEX requests_kind_idx ON requests (kind, status);

-- A request's status changes only through request_transition(), which writes the event row in
-- the same statement: the move happens whole, with its history, or not at all.
CREATE FUNCTION requests_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status
     AND coalesce(current_setting('app.request_transition', true), '') <> OLD.id::text THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422',
      MESSAGE = format('诉求 %s 的状态只能经由 request_transition() 改变（%s → %s 被拒绝）', OLD.code, OLD.status, NEW.status);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER requests_status_guard BEFORE UPDATE OF status ON requests
  FOR EACH ROW EXECUTE FUNCTION requests_status_guard();

-- One move. p_version NULL skips the optimistic check (internal callers); otherwise it must
-- equal the row's version (If-Match). p_payload carries the fields a move sets:
-- accept_deadline, resolve_deadline (dispatch), departments + whistle_deadline (escalate),
-- satisfaction, solved (evaluate), claimed_by (a wish's accept), mediator_id, leader_id.
-- Errors: GL404 no such request, GL409 version conflict, GL422 illegal move or failed guard.
CREATE FUNCTION request_transition(
  p_id bigint, p_action text, p_version int, p_actor int, p_department int,
  p_at timestamptz, p_reason text, p_key text, p_payload jsonb
) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  r requests%ROWTYPE;
  v_to text;
  v_allowed text;
  v_dept int;
BEGIN
  SELECT * INTO r FROM requests WHERE id = p_id FOR UPDATE;
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
