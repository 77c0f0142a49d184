-- What the 200 000 / 1 000 000-household benchmark (npm run bench, issue 9) showed.
--
-- 1. Map data versions (src/lib/server/queries/versions.ts) fingerprinted whole tables — count(*),
--    sum(hashtext(status)), sum(version) — every 15 s: 75 ms on PostgreSQL and 130 ms on PGlite at
--    200 000 households, growing with the table. Now each point layer has a counter that a
--    statement-level trigger bumps on any write (INSERT, UPDATE, DELETE, TRUNCATE), read in O(1).
--    Sequences, not a counter row: nextval never blocks and never rolls back, so concurrent writers
--    do not queue on one row (a rolled-back write only costs a spurious new version).
CREATE SEQUENCE data_version_households;
CREATE SEQUENCE data_version_hazards;
CREATE SEQUENCE data_version_requests;

-- SECURITY DEFINER: an app role without rights on the sequences (row-level security, issue 7) still
-- moves them on when it writes; it needs only SELECT on them to read the versions.
CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM nextval(TG_ARGV[0]::regclass);
  RETURN NULL;
END $$;

CREATE TRIGGER households_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON households
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_households');
CREATE TRIGGER hazards_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hazards
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_hazards');
CREATE TRIGGER requests_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON requests
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_requests');

-- 2. The big screen's 14-day trend counts requests resolved per day, one correlated count per day:
--    without an index each of them scanned the whole table (trend 523 ms of the screen summary at
--    200 000 households on PostgreSQL; 2.7 ms with the index).
CREATE INDEX requests_resolved_idx ON requests (resolved_at);

