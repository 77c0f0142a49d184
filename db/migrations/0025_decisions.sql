-- 议定事项 tracked (issue 19, "visit decisions become tasks"): a decision made on a visit has an owner
-- (a person, or a department) and a deadline (0004); now it is also 落实 (done) with a note saying
-- what was done, by whom and when, and it is overdue while not done past its deadline
-- (domain/visits.ts decisionOverdue). Its owner records it through visit_decision_done(), which
-- checks who may: grid_app gets no UPDATE right over the decision's wording or owner this way.
ALTER TABLE visit_decisions
  ADD COLUMN done_at   timestamptz,
  ADD COLUMN done_by   int REFERENCES users(id),
  ADD COLUMN done_note text CHECK (done_note IS NULL OR length(done_note) BETWEEN 1 AND 500),
  ADD CONSTRAINT visit_decisions_done CHECK ((done_at IS NULL) = (done_by IS NULL) AND (done_at IS NULL) = (done_note IS NULL));
CREATE INDEX visit_decisions_open_user_idx ON visit_decisions (follow_up_user_id) WHERE done_at IS NULL;
CREATE INDEX visit_decisions_open_department_idx ON visit_decisions (follow_up_department_id) WHERE done_at IS NULL;

-- The follow-up person, a member of the follow-up department, the visit's leader or an admin
-- records 落实 once; anyone else, or a second time, is refused with a reason the app shows.
CREATE FUNCTION visit_decision_done(p_id bigint, p_note text) RETURNS timestamptz
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  d visit_decisions%ROWTYPE;
  v_user int := app_user_id();
BEGIN
  IF NOT app_may_write() THEN RAISE EXCEPTION USING ERRCODE = 'GL403', MESSAGE = '当前账号不能记录落实情况'; END IF;
  SELECT * INTO d FROM visit_decisions WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'GL404', MESSAGE = format('议定事项 %s 不存在', p_id); END IF;
  -- coalesce: an owner left empty (NULL) must refuse, not make the whole test NULL and let it pass
  IF NOT coalesce(app_is_admin() OR d.follow_up_user_id = v_user OR d.follow_up_department_id = app_department_id()
          OR EXISTS (SELECT 1 FROM visits WHERE id = d.visit_id AND leader_id = v_user), false) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL403', MESSAGE = '只有跟进人、跟进部门、带队领导或管理员可以记录落实情况';
  END IF;
  IF d.done_at IS NOT NULL THEN RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = '这项议定事项已记录落实'; END IF;
  UPDATE visit_decisions SET done_at = now(), done_by = v_user, done_note = btrim(p_note) WHERE id = p_id;
  RETURN now();
END $$;
REVOKE ALL ON FUNCTION visit_decision_done(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION visit_decision_done(bigint, text) TO grid_app;
