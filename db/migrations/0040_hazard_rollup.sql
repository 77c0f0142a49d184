-- 0040: 隐患整改率 from rollups, as the request KPIs and 入户走访覆盖率 are (0024). The hazards of a
-- period were counted live on every look: at 1 000 000 households the district's year read ~50 000
-- hazards, the largest part of the KPI's time on PGlite (15–30 ms of 35–55). Per grid and per
-- street, by the Beijing day of the rectification deadline: `due`, the hazards whose deadline
-- falls on it (the KPI's denominator), and `rectified`, those closed (销号) and rectified by their
-- deadline (its numerator), by the rule of hazardKpiSql (src/lib/server/kpi/fragments.ts; the
-- closed status is HAZARD_CLOSED of src/lib/domain/hazard.ts). A running period's deadlines of
-- today that have passed are counted live (src/lib/server/kpi/rollups.ts), by the index below.
CREATE TABLE kpi_hazard_daily (
  grid_code text NOT NULL,
  day       date NOT NULL,
  due       int NOT NULL,
  rectified int NOT NULL,
  PRIMARY KEY (grid_code, day)
);
CREATE TABLE kpi_hazard_daily_street (
  street_code text NOT NULL,
  day         date NOT NULL,
  due         int NOT NULL,
  rectified   int NOT NULL,
  PRIMARY KEY (street_code, day)
);
CREATE INDEX hazards_rectify_deadline_idx ON hazards (rectify_deadline);

-- adds (p_sign 1) or takes away (-1) the contribution of hazard rows given as JSON
CREATE FUNCTION kpi_hazard_apply(p_sign int, p_rows jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  INSERT INTO kpi_hazard_daily AS k (grid_code, day, due, rectified)
    SELECT x.grid_code, (x.rectify_deadline AT TIME ZONE 'Asia/Shanghai')::date, p_sign * count(*),
      p_sign * count(*) FILTER (WHERE x.status = 'verified' AND x.rectified_at <= x.rectify_deadline)
    FROM jsonb_to_recordset(p_rows) AS x(grid_code text, rectify_deadline timestamptz, status text, rectified_at timestamptz)
    GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (grid_code, day) DO UPDATE SET due = k.due + EXCLUDED.due, rectified = k.rectified + EXCLUDED.rectified;
  INSERT INTO kpi_hazard_daily_street AS k (street_code, day, due, rectified)
    SELECT left(x.grid_code, 9), (x.rectify_deadline AT TIME ZONE 'Asia/Shanghai')::date, p_sign * count(*),
      p_sign * count(*) FILTER (WHERE x.status = 'verified' AND x.rectified_at <= x.rectify_deadline)
    FROM jsonb_to_recordset(p_rows) AS x(grid_code text, rectify_deadline timestamptz, status text, rectified_at timestamptz)
    GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (street_code, day) DO UPDATE SET due = k.due + EXCLUDED.due, rectified = k.rectified + EXCLUDED.rectified;
  IF p_sign < 0 THEN
    DELETE FROM kpi_hazard_daily WHERE due = 0;
    DELETE FROM kpi_hazard_daily_street WHERE due = 0;
  END IF;
END $$;

CREATE FUNCTION kpi_hazards_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  -- (each branch names only the transition tables its event has)
  IF TG_OP = 'INSERT' THEN
    PERFORM kpi_hazard_apply(1, (SELECT coalesce(jsonb_agg(jsonb_build_object('grid_code', grid_code, 'rectify_deadline', rectify_deadline,
      'status', status, 'rectified_at', rectified_at)), '[]') FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM kpi_hazard_apply(-1, (SELECT coalesce(jsonb_agg(jsonb_build_object('grid_code', grid_code, 'rectify_deadline', rectify_deadline,
      'status', status, 'rectified_at', rectified_at)), '[]') FROM old_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    -- only hazards whose grid, deadline, status or rectification moved
    PERFORM kpi_hazard_apply(-1, (SELECT coalesce(jsonb_agg(jsonb_build_object('grid_code', o.grid_code, 'rectify_deadline', o.rectify_deadline,
      'status', o.status, 'rectified_at', o.rectified_at)), '[]')
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (n.grid_code, n.rectify_deadline, n.status, n.rectified_at) IS DISTINCT FROM (o.grid_code, o.rectify_deadline, o.status, o.rectified_at)));
    PERFORM kpi_hazard_apply(1, (SELECT coalesce(jsonb_agg(jsonb_build_object('grid_code', n.grid_code, 'rectify_deadline', n.rectify_deadline,
      'status', n.status, 'rectified_at', n.rectified_at)), '[]')
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (n.grid_code, n.rectify_deadline, n.status, n.rectified_at) IS DISTINCT FROM (o.grid_code, o.rectify_deadline, o.status, o.rectified_at)));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION kpi_hazards_truncated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  TRUNCATE kpi_hazard_daily, kpi_hazard_daily_street;
  RETURN NULL;
END $$;

-- named *_kpi_*: kpi_triggers_enable (0024) switches them with the others around a bulk load
CREATE TRIGGER hazards_kpi_insert AFTER INSERT ON hazards REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_hazards_changed();
CREATE TRIGGER hazards_kpi_update AFTER UPDATE ON hazards REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_hazards_changed();
CREATE TRIGGER hazards_kpi_delete AFTER DELETE ON hazards REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_hazards_changed();
CREATE TRIGGER hazards_kpi_truncate AFTER TRUNCATE ON hazards
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_hazards_truncated();

-- the hazards' part of the rebuild (after a bulk load with the triggers off), and the backfill
CREATE FUNCTION kpi_hazard_rollups_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  TRUNCATE kpi_hazard_daily, kpi_hazard_daily_street;
  INSERT INTO kpi_hazard_daily (grid_code, day, due, rectified)
    SELECT grid_code, (rectify_deadline AT TIME ZONE 'Asia/Shanghai')::date, count(*),
      count(*) FILTER (WHERE status = 'verified' AND rectified_at <= rectify_deadline)
    FROM hazards GROUP BY 1, 2;
  INSERT INTO kpi_hazard_daily_street (street_code, day, due, rectified)
    SELECT left(grid_code, 9), day, sum(due), sum(rectified) FROM kpi_hazard_daily GROUP BY 1, 2;
END $$;

-- the whole rebuild: 0024's, then the hazards'
ALTER FUNCTION kpi_rollups_rebuild() RENAME TO kpi_rollups_rebuild_requests_households;
CREATE FUNCTION kpi_rollups_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  PERFORM kpi_rollups_rebuild_requests_households();
  PERFORM kpi_hazard_rollups_rebuild();
  -- the planner's statistics of what was just written. PGlite runs no autovacuum: after the seed
  -- these tables were planned as never analyzed, and a request move's refresh took ~400 ms at
  -- 1 000 000 households; PostgreSQL's autoanalyze comes only a minute or more later
  ANALYZE kpi_request_facts, kpi_daily, kpi_daily_street, kpi_monthly_street, kpi_household_daily,
    kpi_household_daily_street, kpi_hazard_daily, kpi_hazard_daily_street;
END $$;

-- the backfill: the hazards only (the other rollups are kept already; rebuilding them all took
-- 89 s on PGlite at 1 000 000 households)
SELECT kpi_hazard_rollups_rebuild();

-- ── row-level security: read under the hazards' own scope rule (0007) ─────────────────────────
ALTER TABLE kpi_hazard_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY kpi_hazard_daily_read ON kpi_hazard_daily FOR SELECT USING (
  grid_code LIKE (SELECT app_grid_prefix()) || '%' OR grid_code = ANY ((SELECT app_grid_codes())::text[]));
ALTER TABLE kpi_hazard_daily_street ENABLE ROW LEVEL SECURITY;
CREATE POLICY kpi_hazard_daily_street_read ON kpi_hazard_daily_street FOR SELECT USING (
  street_code LIKE (SELECT app_grid_prefix()) || '%');
REVOKE ALL ON kpi_hazard_daily, kpi_hazard_daily_street FROM grid_app;
GRANT SELECT ON kpi_hazard_daily, kpi_hazard_daily_street TO grid_app;
REVOKE ALL ON FUNCTION kpi_hazard_apply(int, jsonb), kpi_hazard_rollups_rebuild(), kpi_rollups_rebuild(),
  kpi_rollups_rebuild_requests_households() FROM PUBLIC;
