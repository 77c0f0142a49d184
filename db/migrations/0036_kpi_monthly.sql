-- 0036: monthly street rollups (issue 18: "≤ 50 ms for the district over a year at 1 000 000
-- households"). A district × year KPI summed ~230 000 rows of kpi_daily_street at 1 000 000
-- households (day × street × department × kind): 228 ms. Whole months now come from one row per
-- month × street × department × kind (1/30 of the rows); the days at either end of the period from
-- kpi_daily_street (src/lib/server/kpi/rollups.ts rollupRows).
--
-- Kept from kpi_daily_street itself by statement triggers with transition tables: whatever writes
-- the street rows (kpi_refresh on a request's move, kpi_rollups_rebuild) writes the months in the
-- same transaction, set-based, in key order as kpi_refresh does (concurrent writers queue rather
-- than deadlock). A truncate of the street rows truncates the months.
CREATE TABLE kpi_monthly_street (LIKE kpi_daily_street INCLUDING DEFAULTS);
ALTER TABLE kpi_monthly_street RENAME COLUMN day TO month;   -- the first day of the Beijing month
ALTER TABLE kpi_monthly_street ADD PRIMARY KEY (month, street_code, department_id, kind);

-- the change of the street rows, by month, added to the months: p_delta holds the new rows with
-- "sign": 1 and the old ones with "sign": -1; rows left all zero go, as kpi_refresh drops its own
CREATE FUNCTION kpi_monthly_apply(p_delta jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  INSERT INTO kpi_monthly_street AS k (month, street_code, department_id, kind, accept_den, accept_num, close_den, close_num, ontime_den, ontime_num, eval_n, solved_n, satisfied_n, final_den, final_num, mediation_den, mediation_num, whistle_den, whistle_num)
    SELECT date_trunc('month', d.day)::date, d.street_code, d.department_id, d.kind,
      sum(d.sign * d.accept_den), sum(d.sign * d.accept_num), sum(d.sign * d.close_den), sum(d.sign * d.close_num), sum(d.sign * d.ontime_den), sum(d.sign * d.ontime_num), sum(d.sign * d.eval_n), sum(d.sign * d.solved_n), sum(d.sign * d.satisfied_n), sum(d.sign * d.final_den), sum(d.sign * d.final_num), sum(d.sign * d.mediation_den), sum(d.sign * d.mediation_num), sum(d.sign * d.whistle_den), sum(d.sign * d.whistle_num)
    FROM jsonb_to_recordset(p_delta) AS d (sign int, day date, street_code text, department_id int, kind text, accept_den int, accept_num int, close_den int, close_num int, ontime_den int, ontime_num int, eval_n int, solved_n int, satisfied_n int, final_den int, final_num int, mediation_den int, mediation_num int, whistle_den int, whistle_num int)
    GROUP BY 1, 2, 3, 4
    HAVING sum(d.sign * d.accept_den) <> 0 OR sum(d.sign * d.accept_num) <> 0 OR sum(d.sign * d.close_den) <> 0 OR sum(d.sign * d.close_num) <> 0 OR sum(d.sign * d.ontime_den) <> 0 OR sum(d.sign * d.ontime_num) <> 0 OR sum(d.sign * d.eval_n) <> 0 OR sum(d.sign * d.solved_n) <> 0 OR sum(d.sign * d.satisfied_n) <> 0 OR sum(d.sign * d.final_den) <> 0 OR sum(d.sign * d.final_num) <> 0 OR sum(d.sign * d.mediation_den) <> 0 OR sum(d.sign * d.mediation_num) <> 0 OR sum(d.sign * d.whistle_den) <> 0 OR sum(d.sign * d.whistle_num) <> 0
    ORDER BY 1, 2, 3, 4
  ON CONFLICT (month, street_code, department_id, kind) DO UPDATE SET
    accept_den = k.accept_den + EXCLUDED.accept_den, accept_num = k.accept_num + EXCLUDED.accept_num, close_den = k.close_den + EXCLUDED.close_den, close_num = k.close_num + EXCLUDED.close_num, ontime_den = k.ontime_den + EXCLUDED.ontime_den, ontime_num = k.ontime_num + EXCLUDED.ontime_num, eval_n = k.eval_n + EXCLUDED.eval_n, solved_n = k.solved_n + EXCLUDED.solved_n, satisfied_n = k.satisfied_n + EXCLUDED.satisfied_n, final_den = k.final_den + EXCLUDED.final_den, final_num = k.final_num + EXCLUDED.final_num, mediation_den = k.mediation_den + EXCLUDED.mediation_den, mediation_num = k.mediation_num + EXCLUDED.mediation_num, whistle_den = k.whistle_den + EXCLUDED.whistle_den, whistle_num = k.whistle_num + EXCLUDED.whistle_num;
  DELETE FROM kpi_monthly_street k
   USING (SELECT DISTINCT date_trunc('month', (e ->> 'day')::date)::date AS month, e ->> 'street_code' AS street_code, (e ->> 'department_id')::int AS department_id, e ->> 'kind' AS kind
            FROM jsonb_array_elements(p_delta) e) f
   WHERE k.month = f.month AND k.street_code = f.street_code AND k.department_id = f.department_id AND k.kind = f.kind
     AND k.accept_den = 0 AND k.accept_num = 0 AND k.close_den = 0 AND k.close_num = 0 AND k.ontime_den = 0 AND k.ontime_num = 0
     AND k.eval_n = 0 AND k.solved_n = 0 AND k.satisfied_n = 0 AND k.final_den = 0 AND k.final_num = 0
     AND k.mediation_den = 0 AND k.mediation_num = 0 AND k.whistle_den = 0 AND k.whistle_num = 0;
END $$;

-- One trigger per event: a trigger with transition tables may have one event only.
CREATE FUNCTION kpi_monthly_street_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE plus jsonb; minus jsonb;
BEGIN
  -- a transition table exists only for its events: read each where the trigger has it
  IF TG_OP <> 'DELETE' THEN SELECT jsonb_agg(to_jsonb(n) || '{"sign": 1}') INTO plus FROM new_rows n; END IF;
  IF TG_OP <> 'INSERT' THEN SELECT jsonb_agg(to_jsonb(o) || '{"sign": -1}') INTO minus FROM old_rows o; END IF;
  IF plus IS NOT NULL OR minus IS NOT NULL THEN PERFORM kpi_monthly_apply(coalesce(plus, '[]') || coalesce(minus, '[]')); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER street_months_ins AFTER INSERT ON kpi_daily_street REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_monthly_street_changed();
CREATE TRIGGER street_months_upd AFTER UPDATE ON kpi_daily_street REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_monthly_street_changed();
CREATE TRIGGER street_months_del AFTER DELETE ON kpi_daily_street REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_monthly_street_changed();

CREATE FUNCTION kpi_monthly_street_truncated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  TRUNCATE kpi_monthly_street;
  RETURN NULL;
END $$;
CREATE TRIGGER street_months_truncate AFTER TRUNCATE ON kpi_daily_street
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_monthly_street_truncated();

-- the months of the rows already counted
INSERT INTO kpi_monthly_street (month, street_code, department_id, kind, accept_den, accept_num, close_den, close_num, ontime_den, ontime_num, eval_n, solved_n, satisfied_n, final_den, final_num, mediation_den, mediation_num, whistle_den, whistle_num)
  SELECT date_trunc('month', day)::date, street_code, department_id, kind, sum(accept_den), sum(accept_num), sum(close_den), sum(close_num), sum(ontime_den), sum(ontime_num), sum(eval_n), sum(solved_n), sum(satisfied_n), sum(final_den), sum(final_num), sum(mediation_den), sum(mediation_num), sum(whistle_den), sum(whistle_num)
  FROM kpi_daily_street GROUP BY 1, 2, 3, 4;

-- read as the street rows are (0024)
ALTER TABLE kpi_monthly_street ENABLE ROW LEVEL SECURITY;
CREATE POLICY kpi_monthly_street_read ON kpi_monthly_street FOR SELECT USING (
  street_code LIKE (SELECT app_grid_prefix()) || '%'
  OR department_id = (SELECT app_department_id()));
REVOKE ALL ON kpi_monthly_street FROM grid_app;
GRANT SELECT ON kpi_monthly_street TO grid_app;
REVOKE ALL ON FUNCTION kpi_monthly_apply(jsonb) FROM PUBLIC;
-- a KPI reading the months moves with them (0035)
CREATE TRIGGER kpi_monthly_street_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi_monthly_street
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_kpi');
