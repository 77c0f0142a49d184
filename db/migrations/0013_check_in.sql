-- 0013: 报到 (check-in) gets its own word. whistle_summons.reported_at/reported_by said 上报
-- (report), the word of requests.reported_at; they become checked_in_at/checked_in_by (see
-- docs/glossary.md). PostgreSQL carries a column rename into indexes (the partial index of 0003),
-- policies, views and trigger column lists (UPDATE OF … of 0006), but not into plpgsql bodies,
-- which are kept as text: the two functions that name the column are redefined here, unchanged
-- but for the name (live_whistles of 0006, request_transition as 0007 left it).
ALTER TABLE whistle_summons RENAME COLUMN reported_at TO checked_in_at;
ALTER TABLE whistle_summons RENAME COLUMN reported_by TO checked_in_by;

CREATE OR REPLACE FUNCTION live_whistles() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_grid text;
BEGIN
  IF TG_OP = 'INSERT' AND NOT live_is_recent(NEW.summoned_at) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND NOT (OLD.checked_in_at IS NULL AND NEW.checked_in_at IS NOT NULL) THEN
    RETURN NULL;
  END IF;
  SELECT grid_code INTO v_grid FROM requests WHERE id = NEW.request_id;
  PERFORM live_publish(CASE TG_OP WHEN 'INSERT' THEN 'whistle' ELSE 'checkin' END, jsonb_build_object(
    'rid', NEW.request_id, 'dept', NEW.department_id, 'grid', v_grid, 'deadline', NEW.deadline));
  RETURN NULL;
END $$;

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
