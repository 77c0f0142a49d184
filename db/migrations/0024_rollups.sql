-- 0024: KPIs from rollups (issue 18, "KPIs from rollups").
--
-- The KPI page and the big screen counted every request of the scope with a history lookup per
-- request (~2 s for the district, 3.5 s / 6.1 s for the screen summary at 1 000 000 households).
-- Now the additive counts live per Beijing day × grid × department × kind of request in kpi_daily,
-- maintained by statement-level triggers, so a KPI over any area × whole days is a sum of rollup
-- rows (src/lib/server/kpi/rollups.ts). What depends on "now" stays a live query on indexed open
-- rows: 超期数, open requests, and 办结率/化解率's "already due" cut for today.
--
-- How a request's counts are kept exact whatever moves it makes (reopen, return, an extension, a
-- new department): kpi_request_facts holds each request's own contributions (per day and
-- department). Any write to requests, request_events or whistle_summons takes those back out of
-- kpi_daily and puts the recomputed ones in (kpi_refresh), in the writing transaction.
--
-- The rules here restate those of src/lib/server/db/fragments.ts (requestKpiSql and friends) in
-- SQL for the triggers; tests/integration/rollups.test.ts compares every figure with the direct
-- definition on both back ends, so the two cannot drift apart unnoticed.
--
-- department_id 0 is "no department": a key column without NULLs keeps ON CONFLICT simple.
-- Whistle counts (吹哨响应率) sit on the row of the summoned department, the other counts on the
-- row of the request's responsible department, as the direct queries filter them.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

CREATE TABLE kpi_daily (
  day            date NOT NULL,               -- Beijing calendar day
  grid_code      text NOT NULL,
  department_id  int NOT NULL,                -- 0: none
  kind           text NOT NULL,               -- requests.kind
  accept_den     int NOT NULL DEFAULT 0,      -- 受理率: dispatches (派单, 改派) on the day
  accept_num     int NOT NULL DEFAULT 0,      --   … accepted within their accept deadline
  close_den      int NOT NULL DEFAULT 0,      -- 办结率: resolve deadline on the day
  close_num      int NOT NULL DEFAULT 0,      --   … and done
  ontime_den     int NOT NULL DEFAULT 0,      -- 按期办结率: done, resolved on the day
  ontime_num     int NOT NULL DEFAULT 0,      --   … by the resolve deadline
  eval_n         int NOT NULL DEFAULT 0,      -- 满意率/解决率: evaluations on the day
  solved_n       int NOT NULL DEFAULT 0,      --   … saying solved
  satisfied_n    int NOT NULL DEFAULT 0,      --   … satisfied or basically satisfied
  final_den      int NOT NULL DEFAULT 0,      -- 最终满意率: latest evaluation on the day
  final_num      int NOT NULL DEFAULT 0,      --   … satisfied or basic
  mediation_den  int NOT NULL DEFAULT 0,      -- 化解率: petitions with the resolve deadline on the day
  mediation_num  int NOT NULL DEFAULT 0,      --   … closed after a satisfied evaluation (息访)
  whistle_den    int NOT NULL DEFAULT 0,      -- 吹哨响应率: summons on the day (department: the summoned one)
  whistle_num    int NOT NULL DEFAULT 0,      --   … checked in by the deadline
  PRIMARY KEY (day, grid_code, department_id, kind)
);
-- a district × year reads the day range; an area reads its grid prefix (text_pattern_ops for LIKE)
CREATE INDEX kpi_daily_grid_idx ON kpi_daily (grid_code text_pattern_ops, day);

-- The same counts per street (the first 9 digits of the grid code): a district or street scope, its
-- street ranking and the big screen read ~1/3 of the rows (grids are many and sparse per day).
-- Kept by the same refresh, from the same delta.
CREATE TABLE kpi_daily_street (LIKE kpi_daily INCLUDING DEFAULTS);
ALTER TABLE kpi_daily_street RENAME COLUMN grid_code TO street_code;
ALTER TABLE kpi_daily_street ADD PRIMARY KEY (day, street_code, department_id, kind);

CREATE TABLE kpi_request_facts (
  request_id     bigint NOT NULL,
  day            date NOT NULL,
  grid_code      text NOT NULL,
  department_id  int NOT NULL,
  kind           text NOT NULL,
  accept_den int NOT NULL, accept_num int NOT NULL, close_den int NOT NULL, close_num int NOT NULL,
  ontime_den int NOT NULL, ontime_num int NOT NULL, eval_n int NOT NULL, solved_n int NOT NULL,
  satisfied_n int NOT NULL, final_den int NOT NULL, final_num int NOT NULL, mediation_den int NOT NULL,
  mediation_num int NOT NULL, whistle_den int NOT NULL, whistle_num int NOT NULL,
  PRIMARY KEY (request_id, day, department_id)
);

-- 入户走访覆盖率 at the present moment: households per grid and Beijing day of their last visit,
-- keyed by the day of (last_visit_at − 1 µs) so that "last_visit_at > a midnight" is "day ≥ that
-- day"; never visited: -infinity.
CREATE TABLE kpi_household_daily (
  grid_code  text NOT NULL,
  day        date NOT NULL,
  households int NOT NULL,
  PRIMARY KEY (grid_code, day)
);

-- the same per street (a district or street scope reads a few thousand rows, not one per grid and day)
CREATE TABLE kpi_household_daily_street (
  street_code text NOT NULL,
  day         date NOT NULL,
  households  int NOT NULL,
  PRIMARY KEY (street_code, day)
);

-- the live parts: today's "already due" cut of 办结率/化解率 reads resolve deadlines by range
CREATE INDEX requests_resolve_deadline_idx ON requests (resolve_deadline);
-- 入户走访覆盖率 of a past period (the big screen's previous 30 days): the knocks of the window,
-- not a probe per household
CREATE INDEX door_knocks_visited_idx ON door_knocks (visited_at);

-- ── one request's contributions, by the rules of db/fragments.ts ───────────────────────────
CREATE FUNCTION kpi_request_contributions(p_ids bigint[])
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
    -- 满意率 and 解决率: every evaluation, also one that sent the request back
    SELECT r.id, (e.at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(r.department_id, 0),
      0, 0, 0, 0, 0, 0, 1,
      CASE WHEN (e.payload->>'solved')::boolean THEN 1 ELSE 0 END,
      CASE WHEN e.payload->>'satisfaction' IN ('satisfied', 'basic') THEN 1 ELSE 0 END,
      0, 0, 0, 0, 0, 0
    FROM r JOIN request_events e ON e.request_id = r.id
    WHERE e.action = 'evaluate' AND r.evaluated_at IS NOT NULL AND e.at <= r.evaluated_at
    UNION ALL
    -- 最终满意率: the latest evaluation, by its day
    SELECT r.id, (r.evaluated_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(r.department_id, 0),
      0, 0, 0, 0, 0, 0, 0, 0, 0, 1, CASE WHEN coalesce(r.satisfaction IN ('satisfied', 'basic'), false) THEN 1 ELSE 0 END, 0, 0, 0, 0
    FROM r WHERE r.evaluated_at IS NOT NULL
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

-- The requests p_ids changed: kpi_daily moves by (current contributions − the ones kept in
-- kpi_request_facts), in ONE upsert in key order — two moves touching the same rollup rows lock
-- them in the same order, so concurrent writers queue instead of deadlocking — then the facts
-- are replaced. (The contributions are computed twice: cheap for a move's one request; a bulk
-- load runs with the triggers off and rebuilds once.)
CREATE FUNCTION kpi_refresh(p_ids bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN RETURN; END IF;
  INSERT INTO kpi_daily AS k (day, grid_code, department_id, kind, accept_den, accept_num, close_den, close_num, ontime_den, ontime_num, eval_n, solved_n, satisfied_n, final_den, final_num, mediation_den, mediation_num, whistle_den, whistle_num)
    SELECT day, grid_code, department_id, kind,
      sum(accept_den), sum(accept_num), sum(close_den), sum(close_num), sum(ontime_den), sum(ontime_num), sum(eval_n), sum(solved_n), sum(satisfied_n), sum(final_den), sum(final_num), sum(mediation_den), sum(mediation_num), sum(whistle_den), sum(whistle_num)
    FROM (SELECT day, grid_code, department_id, kind, accept_den, accept_num, close_den, close_num, ontime_den, ontime_num, eval_n, solved_n, satisfied_n, final_den, final_num, mediation_den, mediation_num, whistle_den, whistle_num FROM kpi_request_contributions(p_ids)
          UNION ALL
          SELECT day, grid_code, department_id, kind, -accept_den, -accept_num, -close_den, -close_num, -ontime_den, -ontime_num, -eval_n, -solved_n, -satisfied_n, -final_den, -final_num, -mediation_den, -mediation_num, -whistle_den, -whistle_num FROM kpi_request_facts WHERE request_id = ANY (p_ids)) d
    GROUP BY day, grid_code, department_id, kind
    HAVING sum(accept_den) <> 0 OR sum(accept_num) <> 0 OR sum(close_den) <> 0 OR sum(close_num) <> 0 OR sum(ontime_den) <> 0 OR sum(ontime_num) <> 0 OR sum(eval_n) <> 0 OR sum(solved_n) <> 0 OR sum(satisfied_n) <> 0 OR sum(final_den) <> 0 OR sum(final_num) <> 0 OR sum(mediation_den) <> 0 OR sum(mediation_num) <> 0 OR sum(whistle_den) <> 0 OR sum(whistle_num) <> 0
    ORDER BY day, grid_code, department_id, kind
  ON CONFLICT (day, grid_code, department_id, kind) DO UPDATE SET
    accept_den = k.accept_den + EXCLUDED.accept_den, accept_num = k.accept_num + EXCLUDED.accept_num,
    close_den = k.close_den + EXCLUDED.close_den,
    close_num = k.close_num + EXCLUDED.close_num,
    ontime_den = k.ontime_den + EXCLUDED.ontime_den,
    ontime_num = k.ontime_num + EXCLUDED.ontime_num,
    eval_n = k.eval_n + EXCLUDED.eval_n,
    solved_n = k.solved_n + EXCLUDED.solved_n,
    satisfied_n = k.satisfied_n + EXCLUDED.satisfied_n,
    final_den = k.final_den + EXCLUDED.final_den,
    final_num = k.final_num + EXCLUDED.final_num,
    mediation_den = k.mediation_den + EXCLUDED.mediation_den,
    mediation_num = k.mediation_num + EXCLUDED.mediation_num,
    whistle_den = k.whistle_den + EXCLUDED.whistle_den,
    whistle_num = k.whistle_num + EXCLUDED.whistle_num;
  INSERT INTO kpi_daily_street AS k (day, street_code, department_id, kind, accept_den, accept_num, close_den, close_num, ontime_den, ontime_num, eval_n, solved_n, satisfied_n, final_den, final_num, mediation_den, mediation_num, whistle_den, whistle_num)
    SELECT day, left(grid_code, 9), department_id, kind, sum(accept_den), sum(accept_num), sum(close_den), sum(close_num), sum(ontime_den), sum(ontime_num), sum(eval_n), sum(solved_n), sum(satisfied_n), sum(final_den), sum(final_num), sum(mediation_den), sum(mediation_num), sum(whistle_den), sum(whistle_num)
    FROM (SELECT day, grid_code, department_id, kind, accept_den, accept_num, close_den, close_num, ontime_den, ontime_num, eval_n, solved_n, satisfied_n, final_den, final_num, mediation_den, mediation_num, whistle_den, whistle_num FROM kpi_request_contributions(p_ids)
          UNION ALL
          SELECT day, grid_code, department_id, kind, -accept_den, -accept_num, -close_den, -close_num, -ontime_den, -ontime_num, -eval_n, -solved_n, -satisfied_n, -final_den, -final_num, -mediation_den, -mediation_num, -whistle_den, -whistle_num FROM kpi_request_facts WHERE request_id = ANY (p_ids)) d
    GROUP BY day, left(grid_code, 9), department_id, kind
    HAVING sum(accept_den) <> 0 OR sum(accept_num) <> 0 OR sum(close_den) <> 0 OR sum(close_num) <> 0 OR sum(ontime_den) <> 0 OR sum(ontime_num) <> 0 OR sum(eval_n) <> 0 OR sum(solved_n) <> 0 OR sum(satisfied_n) <> 0 OR sum(final_den) <> 0 OR sum(final_num) <> 0 OR sum(mediation_den) <> 0 OR sum(mediation_num) <> 0 OR sum(whistle_den) <> 0 OR sum(whistle_num) <> 0
    ORDER BY day, left(grid_code, 9), department_id, kind
  ON CONFLICT (day, street_code, department_id, kind) DO UPDATE SET
    accept_den = k.accept_den + EXCLUDED.accept_den, accept_num = k.accept_num + EXCLUDED.accept_num, close_den = k.close_den + EXCLUDED.close_den, close_num = k.close_num + EXCLUDED.close_num, ontime_den = k.ontime_den + EXCLUDED.ontime_den, ontime_num = k.ontime_num + EXCLUDED.ontime_num, eval_n = k.eval_n + EXCLUDED.eval_n, solved_n = k.solved_n + EXCLUDED.solved_n, satisfied_n = k.satisfied_n + EXCLUDED.satisfied_n, final_den = k.final_den + EXCLUDED.final_den, final_num = k.final_num + EXCLUDED.final_num, mediation_den = k.mediation_den + EXCLUDED.mediation_den, mediation_num = k.mediation_num + EXCLUDED.mediation_num, whistle_den = k.whistle_den + EXCLUDED.whistle_den, whistle_num = k.whistle_num + EXCLUDED.whistle_num;
  -- rows only the old contributions kept up are left all zero: they go
  DELETE FROM kpi_daily_street k USING (SELECT DISTINCT day, left(grid_code, 9) AS street_code, department_id, kind FROM kpi_request_facts WHERE request_id = ANY (p_ids)) f
   WHERE k.day = f.day AND k.street_code = f.street_code AND k.department_id = f.department_id AND k.kind = f.kind
     AND k.accept_den = 0 AND k.close_den = 0 AND k.ontime_den = 0 AND k.eval_n = 0 AND k.final_den = 0
     AND k.mediation_den = 0 AND k.whistle_den = 0;
  DELETE FROM kpi_daily k USING (SELECT DISTINCT day, grid_code, department_id, kind FROM kpi_request_facts WHERE request_id = ANY (p_ids)) f
   WHERE k.day = f.day AND k.grid_code = f.grid_code AND k.department_id = f.department_id AND k.kind = f.kind
     AND k.accept_den = 0 AND k.close_den = 0 AND k.ontime_den = 0 AND k.eval_n = 0 AND k.final_den = 0
     AND k.mediation_den = 0 AND k.whistle_den = 0;
  DELETE FROM kpi_request_facts WHERE request_id = ANY (p_ids);
  INSERT INTO kpi_request_facts SELECT * FROM kpi_request_contributions(p_ids);
END $$;

-- ── triggers: statement level, so a bulk write is one set-based refresh ────────────────────
CREATE FUNCTION kpi_requests_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM kpi_refresh(ARRAY(SELECT id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    -- only the columns a count reads: a new title or description costs nothing
    PERFORM kpi_refresh(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (o.status, o.grid_code, o.department_id, o.kind, o.dispatched_at, o.accept_deadline, o.resolve_deadline,
             o.resolved_at, o.evaluated_at, o.satisfaction)
        IS DISTINCT FROM (n.status, n.grid_code, n.department_id, n.kind, n.dispatched_at, n.accept_deadline, n.resolve_deadline,
             n.resolved_at, n.evaluated_at, n.satisfaction)));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM kpi_refresh(ARRAY(SELECT id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION kpi_children_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM kpi_refresh(ARRAY(SELECT DISTINCT request_id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM kpi_refresh(ARRAY(SELECT request_id FROM new_rows UNION SELECT request_id FROM old_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM kpi_refresh(ARRAY(SELECT DISTINCT request_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION kpi_requests_truncated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  TRUNCATE kpi_daily, kpi_daily_street, kpi_request_facts;
  RETURN NULL;
END $$;

-- (a trigger with transition tables serves one event: one trigger each)
CREATE TRIGGER requests_kpi_insert AFTER INSERT ON requests REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_requests_changed();
CREATE TRIGGER requests_kpi_update AFTER UPDATE ON requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_requests_changed();
CREATE TRIGGER requests_kpi_delete AFTER DELETE ON requests REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_requests_changed();
CREATE TRIGGER requests_kpi_truncate AFTER TRUNCATE ON requests
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_requests_truncated();
-- request_events is append-only (0001): inserts are all there is
CREATE TRIGGER request_events_kpi_insert AFTER INSERT ON request_events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_children_changed();
CREATE TRIGGER whistle_summons_kpi_insert AFTER INSERT ON whistle_summons REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_children_changed();
CREATE TRIGGER whistle_summons_kpi_update AFTER UPDATE ON whistle_summons REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_children_changed();
CREATE TRIGGER whistle_summons_kpi_delete AFTER DELETE ON whistle_summons REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_children_changed();

-- households: no facts table needed, a household's one contribution is in its own row
CREATE FUNCTION kpi_household_apply(p_sign int, p_rows jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  INSERT INTO kpi_household_daily AS k (grid_code, day, households)
    SELECT x.grid_code, coalesce(((x.last_visit_at - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai')::date, '-infinity'::date), p_sign * count(*)
    FROM jsonb_to_recordset(p_rows) AS x(grid_code text, last_visit_at timestamptz)
    GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (grid_code, day) DO UPDATE SET households = k.households + EXCLUDED.households;
  INSERT INTO kpi_household_daily_street AS k (street_code, day, households)
    SELECT left(x.grid_code, 9), coalesce(((x.last_visit_at - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai')::date, '-infinity'::date), p_sign * count(*)
    FROM jsonb_to_recordset(p_rows) AS x(grid_code text, last_visit_at timestamptz)
    GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (street_code, day) DO UPDATE SET households = k.households + EXCLUDED.households;
  IF p_sign < 0 THEN
    DELETE FROM kpi_household_daily WHERE households = 0;
    DELETE FROM kpi_household_daily_street WHERE households = 0;
  END IF;
END $$;

CREATE FUNCTION kpi_households_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  -- (each branch names only the transition tables its event has)
  IF TG_OP = 'INSERT' THEN
    PERFORM kpi_household_apply(1, (SELECT coalesce(jsonb_agg(jsonb_build_object('grid_code', grid_code, 'last_visit_at', last_visit_at)), '[]') FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM kpi_household_apply(-1, (SELECT coalesce(jsonb_agg(jsonb_build_object('grid_code', grid_code, 'last_visit_at', last_visit_at)), '[]') FROM old_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    -- only households whose grid or last visit moved
    PERFORM kpi_household_apply(-1, (SELECT coalesce(jsonb_agg(jsonb_build_object('grid_code', o.grid_code, 'last_visit_at', o.last_visit_at)), '[]')
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (n.grid_code, n.last_visit_at) IS DISTINCT FROM (o.grid_code, o.last_visit_at)));
    PERFORM kpi_household_apply(1, (SELECT coalesce(jsonb_agg(jsonb_build_object('grid_code', n.grid_code, 'last_visit_at', n.last_visit_at)), '[]')
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (n.grid_code, n.last_visit_at) IS DISTINCT FROM (o.grid_code, o.last_visit_at)));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION kpi_households_truncated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  TRUNCATE kpi_household_daily, kpi_household_daily_street;
  RETURN NULL;
END $$;

CREATE TRIGGER households_kpi_insert AFTER INSERT ON households REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_households_changed();
CREATE TRIGGER households_kpi_update AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_households_changed();
CREATE TRIGGER households_kpi_delete AFTER DELETE ON households REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_households_changed();
CREATE TRIGGER households_kpi_truncate AFTER TRUNCATE ON households
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_households_truncated();

-- ── rebuild (the backfill below, and after a bulk load that ran with triggers off) ───────────
CREATE FUNCTION kpi_rollups_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  TRUNCATE kpi_daily, kpi_daily_street, kpi_request_facts, kpi_household_daily, kpi_household_daily_street;
  INSERT INTO kpi_request_facts SELECT * FROM kpi_request_contributions(ARRAY(SELECT id FROM requests));
  INSERT INTO kpi_daily (day, grid_code, department_id, kind, accept_den, accept_num, close_den, close_num, ontime_den, ontime_num,
      eval_n, solved_n, satisfied_n, final_den, final_num, mediation_den, mediation_num, whistle_den, whistle_num)
    SELECT day, grid_code, department_id, kind, sum(accept_den), sum(accept_num), sum(close_den), sum(close_num),
      sum(ontime_den), sum(ontime_num), sum(eval_n), sum(solved_n), sum(satisfied_n), sum(final_den), sum(final_num),
      sum(mediation_den), sum(mediation_num), sum(whistle_den), sum(whistle_num)
    FROM kpi_request_facts GROUP BY day, grid_code, department_id, kind;
  INSERT INTO kpi_daily_street (day, street_code, department_id, kind, accept_den, accept_num, close_den, close_num, ontime_den, ontime_num, eval_n, solved_n, satisfied_n, final_den, final_num, mediation_den, mediation_num, whistle_den, whistle_num)
    SELECT day, left(grid_code, 9), department_id, kind, sum(accept_den), sum(accept_num), sum(close_den), sum(close_num), sum(ontime_den), sum(ontime_num), sum(eval_n), sum(solved_n), sum(satisfied_n), sum(final_den), sum(final_num), sum(mediation_den), sum(mediation_num), sum(whistle_den), sum(whistle_num)
    FROM kpi_daily GROUP BY day, left(grid_code, 9), department_id, kind;
  INSERT INTO kpi_household_daily (grid_code, day, households)
    SELECT grid_code, coalesce(((last_visit_at - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai')::date, '-infinity'::date), count(*)
    FROM households GROUP BY 1, 2;
  INSERT INTO kpi_household_daily_street (street_code, day, households)
    SELECT left(grid_code, 9), day, sum(households) FROM kpi_household_daily GROUP BY 1, 2;
END $$;

SELECT kpi_rollups_rebuild();

-- A bulk load (the demo seed on PostgreSQL) switches the triggers off and rebuilds once at the end:
-- with the big tables' indexes dropped for the load, refreshing per COPY chunk reads the whole
-- event history again for every chunk. (PGlite's seed runs with session_replication_role =
-- replica, which skips them anyway.)
CREATE FUNCTION kpi_triggers_enable(p_on boolean) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_catalog AS $$
DECLARE t record;
BEGIN
  FOR t IN SELECT c.relname AS tbl, g.tgname AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
           WHERE NOT g.tgisinternal AND g.tgname LIKE '%\_kpi\_%' AND c.relnamespace = current_schema()::regnamespace LOOP
    EXECUTE format('ALTER TABLE %I %s TRIGGER %I', t.tbl, CASE WHEN p_on THEN 'ENABLE' ELSE 'DISABLE' END, t.name);
  END LOOP;
END $$;

-- ── row-level security: a rollup row is read under the scope rule of the rows it counts ─────
-- (requests and households: one's grid prefix or grids; a department its own rows). The server
-- reads rollups only for scopes the reader sees whole (src/lib/server/kpi/rollups.ts).
ALTER TABLE kpi_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY kpi_daily_read ON kpi_daily FOR SELECT USING (
  grid_code LIKE (SELECT app_grid_prefix()) || '%'
  OR grid_code = ANY ((SELECT app_grid_codes())::text[])
  OR department_id = (SELECT app_department_id()));
ALTER TABLE kpi_daily_street ENABLE ROW LEVEL SECURITY;
CREATE POLICY kpi_daily_street_read ON kpi_daily_street FOR SELECT USING (
  street_code LIKE (SELECT app_grid_prefix()) || '%'
  OR department_id = (SELECT app_department_id()));
ALTER TABLE kpi_household_daily_street ENABLE ROW LEVEL SECURITY;
CREATE POLICY kpi_household_daily_street_read ON kpi_household_daily_street FOR SELECT USING (
  street_code LIKE (SELECT app_grid_prefix()) || '%');
ALTER TABLE kpi_household_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY kpi_household_daily_read ON kpi_household_daily FOR SELECT USING (
  grid_code LIKE (SELECT app_grid_prefix()) || '%' OR grid_code = ANY ((SELECT app_grid_codes())::text[]));
-- per-request facts: the triggers' bookkeeping, nobody's to read
ALTER TABLE kpi_request_facts ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON kpi_daily, kpi_daily_street, kpi_household_daily, kpi_household_daily_street, kpi_request_facts FROM grid_app;
GRANT SELECT ON kpi_daily, kpi_daily_street, kpi_household_daily, kpi_household_daily_street TO grid_app;
REVOKE ALL ON FUNCTION kpi_request_contributions(bigint[]), kpi_refresh(bigint[]),
  kpi_household_apply(int, jsonb), kpi_rollups_rebuild(), kpi_triggers_enable(boolean) FROM PUBLIC;
