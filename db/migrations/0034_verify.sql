-- 0033: 核查 before 销号, 申诉 against an assessment, 退单 with a reason in the database (issue 19).
--
-- 核查 (GB/T 30428 核查结案): per category, categories.verify_required says 销号 waits for an
-- on-site verification by someone other than the one who resolved it, with a before photo (整改前:
-- one of the request's own photos, or taken now) and an after photo (整改后, taken now). A
-- verification is recorded while the request is 已评价 (评单 done, 销号 not yet); it belongs to the
-- round it was made in (requests.reopen_count), so a 返工 needs a new one. 不通过 → 返工 (the
-- server moves it in the same transaction; request_transition accepts 'reopen' on a failed
-- verification). The default per category is set by the seed from src/lib/domain/verification.ts
-- (verifyRequiredByDefault); the UPDATE below applies the same rule to a district loaded before.
--
-- 申诉: the handling department contests an unsatisfied 评单 within APPEAL_DAYS (domain:
-- verification.ts, copied below as 7 days), the command centre decides once: 支持 (upheld) sets
-- the evaluation aside for 满意率, 解决率 and 最终满意率 (src/lib/domain/kpi.ts APPEAL_SETS_ASIDE;
-- kpi_request_contributions below), 驳回 (rejected) leaves it counted.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

ALTER TABLE categories ADD COLUMN verify_required boolean NOT NULL DEFAULT false;
-- verifyRequiredByDefault(): the categories where the result is a visible thing on site
UPDATE categories SET verify_required = true
 WHERE parent_code IN ('municipal', 'environment', 'safety') OR code IN ('property.elevator', 'property.leak', 'rural.irrigation', 'rural.village_road');

-- ── 核查 ──────────────────────────────────────────────────────────────────────────────────────
CREATE TABLE request_verifications (
  id              bigserial PRIMARY KEY,
  request_id      bigint NOT NULL REFERENCES requests(id),
  -- requests.reopen_count when verified: a verification speaks for one round of work only
  round           int NOT NULL DEFAULT 0,
  verified_by     int NOT NULL REFERENCES users(id),
  verified_at     timestamptz NOT NULL DEFAULT now(),
  result          text NOT NULL CHECK (result IN ('pass', 'fail')),
  note            text CHECK (note IS NULL OR length(note) <= 500),
  -- 整改前: one of the request's photos, or a file taken at the verification
  before_photo_id bigint REFERENCES request_photos(id),
  before_path     text CHECK (before_path ~ '^[0-9a-f-]{36}\.(jpg|png|webp)$'),
  before_type     text CHECK (before_type IN ('image/jpeg', 'image/png', 'image/webp')),
  -- 整改后: always taken at the verification
  after_path      text NOT NULL UNIQUE CHECK (after_path ~ '^[0-9a-f-]{36}\.(jpg|png|webp)$'),
  after_type      text NOT NULL CHECK (after_type IN ('image/jpeg', 'image/png', 'image/webp')),
  CHECK ((before_photo_id IS NULL) <> (before_path IS NULL) AND (before_path IS NULL) = (before_type IS NULL)),
  -- 不通过 says what is still wrong
  CHECK (result = 'pass' OR length(btrim(coalesce(note, ''))) > 0)
);
CREATE INDEX request_verifications_request_idx ON request_verifications (request_id, round, id);

CREATE FUNCTION request_verifications_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_status text;
  v_round int;
  v_resolver int;
BEGIN
  SELECT status, reopen_count INTO v_status, v_round FROM requests WHERE id = NEW.request_id FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'GL404', MESSAGE = format('诉求 %s 不存在', NEW.request_id); END IF;
  -- domain/verification.ts VERIFY_STATUSES
  IF v_status <> 'evaluated' THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = format('只有已评价、未销号的诉求可以核查（当前 %s）', v_status);
  END IF;
  SELECT actor_id INTO v_resolver FROM request_events WHERE request_id = NEW.request_id AND action = 'resolve' ORDER BY at DESC, id DESC LIMIT 1;
  IF v_resolver = NEW.verified_by THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '核查人不能是办结人本人';
  END IF;
  IF app_user_id() IS NOT NULL AND NEW.verified_by <> app_user_id() THEN
    RAISE EXCEPTION USING ERRCODE = 'GL403', MESSAGE = '只能以本人名义核查';
  END IF;
  IF NEW.before_photo_id IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM request_photos WHERE id = NEW.before_photo_id AND request_id = NEW.request_id AND kind IN ('report', 'before')) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '整改前照片须是本诉求的现场照片或处置前照片';
  END IF;
  NEW.round := v_round;
  RETURN NEW;
END $$;
CREATE TRIGGER request_verifications_guard BEFORE INSERT ON request_verifications
  FOR EACH ROW EXECUTE FUNCTION request_verifications_guard();

-- ── 申诉 ──────────────────────────────────────────────────────────────────────────────────────
CREATE TABLE request_appeals (
  id              bigserial PRIMARY KEY,
  request_id      bigint NOT NULL REFERENCES requests(id),
  -- the 评单 contested
  event_id        bigint NOT NULL UNIQUE REFERENCES request_events(id),
  department_id   int REFERENCES departments(id),
  filed_by        int NOT NULL REFERENCES users(id),
  filed_at        timestamptz NOT NULL DEFAULT now(),
  reason          text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'upheld', 'rejected')),
  decided_by      int REFERENCES users(id),
  decided_at      timestamptz,
  decision_reason text CHECK (decision_reason IS NULL OR length(decision_reason) <= 500),
  CHECK ((status = 'pending') = (decided_at IS NULL) AND (status = 'pending') = (decided_by IS NULL)),
  CHECK (status <> 'rejected' OR length(btrim(coalesce(decision_reason, ''))) > 0)
);
CREATE INDEX request_appeals_request_idx ON request_appeals (request_id);
CREATE INDEX request_appeals_pending_idx ON request_appeals (filed_at) WHERE status = 'pending';

CREATE FUNCTION request_appeals_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_dept int;
  e request_events%ROWTYPE;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT department_id INTO v_dept FROM requests WHERE id = NEW.request_id FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'GL404', MESSAGE = format('诉求 %s 不存在', NEW.request_id); END IF;
    SELECT * INTO e FROM request_events WHERE id = NEW.event_id AND request_id = NEW.request_id AND action = 'evaluate';
    IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '申诉须针对本诉求的一次评单'; END IF;
    IF e.payload->>'satisfaction' IS DISTINCT FROM 'unsatisfied' THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '只能对“不满意”的评单申诉';
    END IF;
    -- APPEAL_DAYS (domain/verification.ts)
    IF NEW.filed_at > e.at + interval '7 days' OR NEW.filed_at < e.at THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '申诉须在评单后 7 天内提出';
    END IF;
    IF app_user_id() IS NOT NULL AND NOT coalesce(app_is_admin() OR v_dept = app_department_id(), false) THEN
      RAISE EXCEPTION USING ERRCODE = 'GL403', MESSAGE = '只有承办部门可以申诉';
    END IF;
    IF NEW.status <> 'pending' THEN RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '申诉提交时只能是待裁定'; END IF;
    NEW.department_id := v_dept;
    RETURN NEW;
  END IF;
  IF OLD.status <> 'pending' THEN
    RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = '这项申诉已经裁定过了';
  END IF;
  IF (NEW.request_id, NEW.event_id, NEW.reason, NEW.filed_by, NEW.filed_at, NEW.department_id)
     IS DISTINCT FROM (OLD.request_id, OLD.event_id, OLD.reason, OLD.filed_by, OLD.filed_at, OLD.department_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '申诉的内容不能修改';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER request_appeals_guard BEFORE INSERT OR UPDATE ON request_appeals
  FOR EACH ROW EXECUTE FUNCTION request_appeals_guard();

-- ── row-level security (as 0030): one sees the rows of the requests one sees ──────────────────
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['request_verifications', 'request_appeals'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (request_id IN (SELECT id FROM requests))', t || '_scope', t);
    EXECUTE format('CREATE POLICY %I ON %I AS RESTRICTIVE FOR INSERT WITH CHECK ((SELECT app_may_write()))', t || '_insert_writer', t);
    EXECUTE format('CREATE POLICY %I ON %I AS RESTRICTIVE FOR UPDATE USING ((SELECT app_may_write()))', t || '_update_writer', t);
    EXECUTE format('REVOKE DELETE, TRUNCATE ON %I FROM grid_app', t);
  END LOOP;
END $$;
-- a verification is history: written once
REVOKE UPDATE ON request_verifications FROM grid_app;
-- deciding a 申诉 is the command centre's
CREATE POLICY request_appeals_decide ON request_appeals AS RESTRICTIVE FOR UPDATE USING ((SELECT app_is_admin()));

-- ── KPI: an upheld 申诉 sets its evaluation aside ────────────────────────────────────────────
CREATE TRIGGER request_appeals_kpi_update AFTER UPDATE ON request_appeals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_children_changed();

-- kpi_request_contributions() as 0024 left it, the two evaluation parts skipping upheld appeals
CREATE OR REPLACE FUNCTION kpi_request_contributions(p_ids bigint[])
RETURNS SETOF kpi_request_facts LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  WITH r AS (SELECT * FROM requests WHERE id = ANY (p_ids)),
  parts AS (
    -- 受理率: each dispatch, accepted in time when the move after it is 接单 by the deadline it started
    SELECT r.id, (d.at AT TIME ZONE 'Asia/Shanghai')::date AS day, coalesce(r.department_id, 0) AS dept,
      1 AS accept_den,
      CASE WHEN coalesce((SELECT n.action = 'accept' AND n.at <= coalesce((d.payload->>'accept_deadline')::timestamptz, r.accept_deadline)
        FROM request_events n WHERE n.request_id = d.request_id AND (n.at, n.id) > (d.at, d.id) ORDER BY n.at, n.id LIMIT 1), false)
        THEN 1 ELSE 0 END AS accept_num,
      0 AS close_den, 0 AS close_num, 0 AS ontime_den, 0 AS ontime_num, 0 AS eval_n, 0 AS solved_n, 0 AS satisfied_n,
      0 AS final_den, 0 AS final_num, 0 AS mediation_den, 0 AS mediation_num, 0 AS whistle_den, 0 AS whistle_num
    FROM r JOIN request_events d ON d.request_id = r.id
    WHERE d.action IN ('dispatch', 'redispatch') AND r.dispatched_at IS NOT NULL
    UNION ALL
    -- 办结率 and 化解率: by the day of the resolve deadline
    SELECT r.id, (r.resolve_deadline AT TIME ZONE 'Asia/Shanghai')::date, coalesce(r.department_id, 0),
      0, 0, 1, CASE WHEN r.status IN ('resolved', 'evaluated', 'closed') THEN 1 ELSE 0 END, 0, 0, 0, 0, 0, 0, 0,
      CASE WHEN r.kind = 'petition' THEN 1 ELSE 0 END,
      CASE WHEN r.kind = 'petition' AND r.status = 'closed' AND coalesce(r.satisfaction IN ('satisfied', 'basic'), false) THEN 1 ELSE 0 END,
      0, 0
    FROM r WHERE r.resolve_deadline IS NOT NULL
    UNION ALL
    -- 按期办结率: done, by the day it was resolved
    SELECT r.id, (r.resolved_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(r.department_id, 0),
      0, 0, 0, 0, 1, CASE WHEN r.resolved_at <= r.resolve_deadline THEN 1 ELSE 0 END, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM r WHERE r.status IN ('resolved', 'evaluated', 'closed') AND r.resolved_at IS NOT NULL
    UNION ALL
    -- 满意率 and 解决率: every evaluation, also one that sent the request back, except one set aside by an upheld 申诉
    SELECT r.id, (e.at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(r.department_id, 0),
      0, 0, 0, 0, 0, 0, 1,
      CASE WHEN (e.payload->>'solved')::boolean THEN 1 ELSE 0 END,
      CASE WHEN e.payload->>'satisfaction' IN ('satisfied', 'basic') THEN 1 ELSE 0 END,
      0, 0, 0, 0, 0, 0
    FROM r JOIN request_events e ON e.request_id = r.id
    WHERE e.action = 'evaluate' AND r.evaluated_at IS NOT NULL AND e.at <= r.evaluated_at
      AND NOT EXISTS (SELECT 1 FROM request_appeals a WHERE a.event_id = e.id AND a.status = 'upheld')
    UNION ALL
    -- 最终满意率: the latest evaluation, by its day, unless an upheld 申诉 set it aside
    SELECT r.id, (r.evaluated_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(r.department_id, 0),
      0, 0, 0, 0, 0, 0, 0, 0, 0, 1, CASE WHEN coalesce(r.satisfaction IN ('satisfied', 'basic'), false) THEN 1 ELSE 0 END, 0, 0, 0, 0
    FROM r WHERE r.evaluated_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM request_appeals a WHERE a.request_id = r.id AND a.status = 'upheld'
        AND a.event_id = (SELECT l.id FROM request_events l WHERE l.request_id = r.id AND l.action = 'evaluate' ORDER BY l.at DESC, l.id DESC LIMIT 1))
    UNION ALL
    -- 吹哨响应率: each summons, on the row of the summoned department
    SELECT r.id, (s.summoned_at AT TIME ZONE 'Asia/Shanghai')::date, s.department_id,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, CASE WHEN s.checked_in_at <= s.deadline THEN 1 ELSE 0 END
    FROM r JOIN whistle_summons s ON s.request_id = r.id
  )
  SELECT p.id, p.day, r.grid_code, p.dept, r.kind,
    sum(accept_den)::int, sum(accept_num)::int, sum(close_den)::int, sum(close_num)::int, sum(ontime_den)::int, sum(ontime_num)::int,
    sum(eval_n)::int, sum(solved_n)::int, sum(satisfied_n)::int, sum(final_den)::int, sum(final_num)::int,
    sum(mediation_den)::int, sum(mediation_num)::int, sum(whistle_den)::int, sum(whistle_num)::int
  FROM parts p JOIN r ON r.id = p.id
  GROUP BY p.id, p.day, r.grid_code, p.dept, r.kind
$$;

-- ── 退单 with a reason, 销号 after 核查, 返工 after a failed 核查 ─────────────────────────────────
-- request_transition() as 0030 left it, plus: 'return' needs a reason; 'close' of a category with
-- verify_required needs this round's latest verification to be 'pass'; 'reopen' is also allowed
-- when it is 'fail'.
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
  v_verified text;
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
  IF p_action = 'evaluate' AND (p_payload->>'satisfaction') IS DISTINCT FROM 'satisfied'
     AND (p_payload->>'satisfaction') IS DISTINCT FROM 'basic' AND (p_payload->>'satisfaction') IS DISTINCT FROM 'unsatisfied' THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '评单必须给出满意度（满意/基本满意/不满意）';
  END IF;
  IF p_action IN ('void', 'merge') AND length(btrim(coalesce(p_reason, ''))) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '作废或合并必须说明原因';
  END IF;
  IF p_action = 'return' AND length(btrim(coalesce(p_reason, ''))) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '退单必须说明原因';
  END IF;
  -- 核查: this round's (requests.reopen_count) latest verification
  IF p_action IN ('close', 'reopen') THEN
    SELECT v.result INTO v_verified FROM request_verifications v JOIN requests q ON q.id = v.request_id
     WHERE v.request_id = p_id AND v.round = q.reopen_count ORDER BY v.id DESC LIMIT 1;
  END IF;
  IF p_action = 'close' AND (SELECT c.verify_required FROM requests q JOIN categories c ON c.code = q.category_code WHERE q.id = p_id)
     AND v_verified IS DISTINCT FROM 'pass' THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '该类别销号前需核查：尚无通过的核查记录';
  END IF;
  IF p_action = 'reopen' AND NOT (r.satisfaction = 'unsatisfied' OR r.solved = false OR v_verified = 'fail') THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '只有评价为不满意或未解决、或核查不通过的诉求才能返工';
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
