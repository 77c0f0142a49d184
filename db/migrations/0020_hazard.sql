-- 0020: the hazard (隐患) loop of issue 19, enforced in the database like the request loop (0003):
-- 发现 report → 交办 assign (a responsible department, a deadline) → 开始整改 start → 整改完成 rectify
-- (after-photo) → 复查 by another person: 销号 close, or 返工 reopen with a new deadline.
-- The application checks the same rules first (src/lib/domain/hazardflow.ts) for friendly messages;
-- this is the second line: an illegal status change, or a 复查 by whoever recorded 整改完成, is refused.
--
-- The hazards columns keep their meaning, so 隐患整改率, the map, tiles and exports read them as
-- before: status, rectify_deadline (the current one: 交办 sets it, 返工 sets a new one),
-- rectified_at (整改完成; cleared again by 返工), reinspect_deadline (set at 整改完成),
-- reinspected_at (销号). Older rows (seed, import) have no department and no events.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

-- ── the hazard row ──────────────────────────────────────────────────────────────────────────
ALTER TABLE hazards
  -- 责任单位: set by 交办; NULL for rows from before (seed, import)
  ADD COLUMN department_id int REFERENCES departments(id),
  -- optimistic concurrency, as requests.version (If-Match)
  ADD COLUMN version       int NOT NULL DEFAULT 1,
  ADD COLUMN description   text,
  ADD COLUMN created_by    int REFERENCES users(id);
CREATE INDEX hazards_department_idx ON hazards (department_id, status) WHERE department_id IS NOT NULL;

-- ── the legal moves: a copy of HAZARD_TRANSITIONS (tests/unit/hazardflow.test.ts keeps them equal)
CREATE TABLE hazard_transitions (
  from_status text NOT NULL,
  action      text NOT NULL,
  to_status   text NOT NULL,
  PRIMARY KEY (from_status, action),
  UNIQUE (from_status, action, to_status)
);
INSERT INTO hazard_transitions (from_status, action, to_status) VALUES
  ('open',       'assign',  'open'),
  ('open',       'start',   'rectifying'),
  ('rectifying', 'rectify', 'rectified'),
  ('rectified',  'close',   'verified'),
  ('rectified',  'reopen',  'rectifying');

-- ── the history: one row per move (the first one the report), written, never rewritten ─────
CREATE TABLE hazard_events (
  id              bigserial PRIMARY KEY,
  hazard_id       int NOT NULL REFERENCES hazards(id) ON DELETE CASCADE,
  from_status     text,
  to_status       text NOT NULL,
  action          text NOT NULL,
  actor_id        int REFERENCES users(id),
  -- 交办: the department assigned; other moves: the acting user's department, if any
  department_id   int REFERENCES departments(id),
  at              timestamptz NOT NULL DEFAULT now(),
  note            text CHECK (length(note) <= 500),
  -- the deadline this move set: 整改时限 at 交办 and 返工, 复查时限 at 整改完成
  deadline        timestamptz,
  idempotency_key text UNIQUE,
  CHECK ((from_status IS NULL) = (action = 'report') AND (action <> 'report' OR to_status = 'open')),
  FOREIGN KEY (from_status, action, to_status) REFERENCES hazard_transitions (from_status, action, to_status)
);
CREATE INDEX hazard_events_hazard_idx ON hazard_events (hazard_id, id);

-- 复查 by another person than the one who recorded the latest 整改完成: refused on the event row
-- whoever writes it (hazard_transition() says so first, in words).
CREATE FUNCTION hazard_rectified_by(p_hazard int) RETURNS int LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT actor_id FROM hazard_events WHERE hazard_id = p_hazard AND action = 'rectify' ORDER BY id DESC LIMIT 1
$$;
CREATE FUNCTION hazard_events_reinspector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.action IN ('close', 'reopen') AND NEW.actor_id IS NOT DISTINCT FROM hazard_rectified_by(NEW.hazard_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '复查须由整改完成登记人以外的人进行';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER hazard_events_reinspector BEFORE INSERT ON hazard_events
  FOR EACH ROW EXECUTE FUNCTION hazard_events_reinspector();

-- A hazard's status changes only along hazard_transitions, and never to 销号 by the user who
-- recorded 整改完成. (Not "only through hazard_transition()", as requests: the seed and imports
-- write statuses directly, and a legal change made by hand is still a legal change.)
CREATE FUNCTION hazards_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF NOT EXISTS (SELECT 1 FROM hazard_transitions WHERE from_status = OLD.status AND to_status = NEW.status) THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422',
        MESSAGE = format('隐患 %s 不能从 %s 直接变为 %s', OLD.code, OLD.status, NEW.status);
    END IF;
    IF NEW.status = 'verified' AND app_user_id() IS NOT NULL AND app_user_id() = hazard_rectified_by(OLD.id) THEN
      RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '复查须由整改完成登记人以外的人进行';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER hazards_status_guard BEFORE UPDATE OF status ON hazards
  FOR EACH ROW EXECUTE FUNCTION hazards_status_guard();

-- ── photos: 发现 ('found'), 整改前 at 开始整改 ('before'), 整改后 at 整改完成 ('after'), as request_photos (0016)
CREATE TABLE hazard_photos (
  id          bigserial PRIMARY KEY,
  hazard_id   int NOT NULL REFERENCES hazards(id) ON DELETE CASCADE,
  event_id    bigint NOT NULL REFERENCES hazard_events(id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('found', 'before', 'after')),
  path        text NOT NULL UNIQUE CHECK (path ~ '^[0-9a-f-]{36}\.(jpg|png|webp)$'),
  type        text NOT NULL CHECK (type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes       int NOT NULL CHECK (bytes > 0),
  created_by  int REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hazard_photos_hazard_idx ON hazard_photos (hazard_id, kind, id);

-- ── one move ────────────────────────────────────────────────────────────────────────────────
-- p_version NULL skips the optimistic check; p_department the department of 交办; p_deadline
-- the deadline the move sets (required at 交办, 返工 and 整改完成). Runs as the caller, so
-- row-level security decides which hazards one may move: one out of reach is 不存在 (GL404).
-- Errors: GL404 no such hazard, GL409 version conflict, GL422 illegal move or failed guard.
CREATE FUNCTION hazard_transition(
  p_id int, p_action text, p_version int, p_actor int, p_department int,
  p_at timestamptz, p_note text, p_key text, p_deadline timestamptz
) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  h record;
  v_to text;
  v_allowed text;
BEGIN
  SELECT id, code, status, version, department_id INTO h FROM hazards WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'GL404', MESSAGE = format('隐患 %s 不存在', p_id);
  END IF;
  IF p_version IS NOT NULL AND h.version <> p_version THEN
    RAISE EXCEPTION USING ERRCODE = 'GL409',
      MESSAGE = format('隐患 %s 已被他人更新：当前状态 %s，版本 %s（提交的版本 %s）', h.code, h.status, h.version, p_version);
  END IF;
  SELECT to_status INTO v_to FROM hazard_transitions WHERE from_status = h.status AND action = p_action;
  IF v_to IS NULL THEN
    SELECT string_agg(action, '、' ORDER BY action) INTO v_allowed FROM hazard_transitions WHERE from_status = h.status;
    RAISE EXCEPTION USING ERRCODE = 'GL422',
      MESSAGE = format('当前状态 %s 不允许 %s；允许：%s', h.status, p_action, coalesce(v_allowed, '无'));
  END IF;
  IF p_action = 'assign' AND p_department IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '交办必须指定责任部门';
  END IF;
  IF p_action = 'start' AND h.department_id IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '隐患尚未交办责任部门';
  END IF;
  IF p_action IN ('assign', 'reopen', 'rectify') AND p_deadline IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = format('%s 必须给出时限', p_action);
  END IF;

  INSERT INTO hazard_events (hazard_id, from_status, to_status, action, actor_id, department_id, at, note, deadline, idempotency_key)
  VALUES (p_id, h.status, v_to, p_action, p_actor, p_department, p_at, p_note, p_deadline, p_key);

  UPDATE hazards SET
    status = v_to,
    version = version + 1,
    department_id = CASE WHEN p_action = 'assign' THEN p_department ELSE department_id END,
    rectify_deadline = CASE WHEN p_action IN ('assign', 'reopen') THEN p_deadline ELSE rectify_deadline END,
    rectified_at = CASE WHEN v_to = 'rectified' THEN p_at WHEN p_action = 'reopen' THEN NULL ELSE rectified_at END,
    reinspect_deadline = CASE WHEN v_to = 'rectified' THEN p_deadline WHEN p_action = 'reopen' THEN NULL ELSE reinspect_deadline END,
    reinspected_at = CASE WHEN v_to = 'verified' THEN p_at ELSE reinspected_at END
  WHERE id = p_id;
  RETURN h.version + 1;
END $$;

-- ── who sees and writes what ────────────────────────────────────────────────────────────────
-- hazards_scope (0007) stays: a grid worker their grids, leaders their jurisdiction, admins and the
-- screen all. A department now also sees, and moves, the hazards assigned to it (its to-do list).
CREATE POLICY hazards_department_read ON hazards FOR SELECT
  USING (department_id = (SELECT app_department_id()));
CREATE POLICY hazards_department_move ON hazards FOR UPDATE
  USING (department_id = (SELECT app_department_id()))
  WITH CHECK (department_id = (SELECT app_department_id()));

-- history and photos: written, never rewritten (default privileges of 0007 granted all four)
REVOKE UPDATE, DELETE, TRUNCATE ON hazard_events, hazard_photos, hazard_transitions FROM grid_app;
REVOKE INSERT ON hazard_transitions FROM grid_app;

ALTER TABLE hazard_transitions ENABLE ROW LEVEL SECURITY;
CREATE POLICY hazard_transitions_read ON hazard_transitions FOR SELECT USING (true);

ALTER TABLE hazard_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY hazard_events_scope ON hazard_events
  USING (hazard_id IN (SELECT id FROM hazards));
-- one's own moves only; the big screen writes nothing
CREATE POLICY hazard_events_insert_writer ON hazard_events AS RESTRICTIVE FOR INSERT
  WITH CHECK ((SELECT app_may_write()) AND actor_id = (SELECT app_user_id()));

ALTER TABLE hazard_photos ENABLE ROW LEVEL SECURITY;
CREATE POLICY hazard_photos_scope ON hazard_photos
  USING (hazard_id IN (SELECT id FROM hazards));
CREATE POLICY hazard_photos_insert_writer ON hazard_photos AS RESTRICTIVE FOR INSERT
  WITH CHECK ((SELECT app_may_write()) AND created_by = (SELECT app_user_id()));
