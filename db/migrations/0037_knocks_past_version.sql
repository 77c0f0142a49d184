-- 0037: a version of the door-knock history before the last hour (issue 18: the big screen's
-- summary took 2.2 s at 1 000 000 households, nearly all of it counting the households visited in
-- the previous period's window — 770 000 door-knocks — again every 10 s).
--
-- A past window's count moves only when a door-knock inside it is written: one recorded late (an
-- offline phone syncing), moved or removed. A knock recorded as it happens is never older than an
-- hour, and a window that ended within the hour is counted live (rollups.ts), so this counter
-- moves only for knocks dated over an hour back; rollups.ts keeps past counts under it.
-- The triggers' names carry _kpi_ so a bulk load switches them off with the rollups' own
-- (kpi_triggers_enable, 0024); the seed moves the counter on by hand afterwards.
CREATE SEQUENCE data_version_knocks_past;

CREATE TRIGGER door_knocks_kpi_past_ins AFTER INSERT ON door_knocks
  FOR EACH ROW WHEN (NEW.visited_at < now() - interval '1 hour') EXECUTE FUNCTION bump_data_version('data_version_knocks_past');
CREATE TRIGGER door_knocks_kpi_past_upd AFTER UPDATE ON door_knocks
  FOR EACH ROW WHEN (OLD.visited_at < now() - interval '1 hour' OR NEW.visited_at < now() - interval '1 hour')
  EXECUTE FUNCTION bump_data_version('data_version_knocks_past');
CREATE TRIGGER door_knocks_kpi_past_del AFTER DELETE ON door_knocks
  FOR EACH ROW WHEN (OLD.visited_at < now() - interval '1 hour') EXECUTE FUNCTION bump_data_version('data_version_knocks_past');
CREATE TRIGGER door_knocks_kpi_past_truncate AFTER TRUNCATE ON door_knocks
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_knocks_past');
