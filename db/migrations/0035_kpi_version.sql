-- 0035: a data version for the KPI reports (issue 18, load: /api/kpi and /kpi were the bottleneck).
--
-- A KPI report is cached per scope and period (src/lib/server/kpi/cache.ts), keyed by this counter:
-- any write that can move a KPI moves it on, so a cached figure is never served after the data
-- behind it changed. Every request KPI and 入户走访覆盖率 is a sum of the rollups (0024), which the
-- writing transaction itself maintains, so a trigger on the rollup tables catches every write to
-- requests, request_events, whistle_summons, households and door_knocks without listing them; the
-- live parts (open requests and 超期 on requests, 隐患整改率 on hazards) get their own triggers.
-- A sequence, as in 0009: nextval never blocks and never rolls back.
CREATE SEQUENCE data_version_kpi;

CREATE TRIGGER kpi_daily_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi_daily
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_kpi');
CREATE TRIGGER kpi_household_daily_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi_household_daily
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_kpi');
CREATE TRIGGER requests_kpi_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON requests
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_kpi');
CREATE TRIGGER whistle_summons_kpi_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON whistle_summons
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_kpi');
CREATE TRIGGER door_knocks_kpi_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON door_knocks
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_kpi');
CREATE TRIGGER hazards_kpi_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hazards
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_kpi');
CREATE TRIGGER kpi_targets_kpi_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi_targets
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_kpi');
-- a leader's 包联 set is a scope of its own (scope() in db/fragments.ts)
CREATE TRIGGER leader_pairings_kpi_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON leader_pairings
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_kpi');
