-- 0023: districts redraw their grids (issue 17, imports): an import may now UPDATE areas and grids
-- by code, and a grid keeps its history.
--
-- Design. A grid's code stays its identity: requests, hazards, households, buildings, visit stops
-- and user_grids keep referencing grids(code) as filed, so a request never moves to another grid
-- because a boundary moved, and every count by grid_code stays as it was. What changes is the
-- shape, so history is kept per shape:
--   * grids holds the CURRENT version of every code ever imported: valid_from (NULL = its first known
--     shape, standing for any earlier time: the demo seed, a grid appended by an import) and valid_to (NULL = in force; set = retired, 停用, the
--     row and its last shape stay because old requests point at it). Maps, pickers and the placement
--     of new points read `valid_to IS NULL` only.
--   * grid_versions holds the superseded versions: the shape and name a grid had from valid_from to
--     valid_to (= the time of the update that replaced it, the transaction's now()). Append-only.
--   * grid_version_at(code, at) answers "which shape did this grid have at this time", e.g. at a
--     request's reported_at: the version it was filed in.
-- Areas are updated in place (renamed or reshaped, never retired): their history is not kept, as
-- nothing is filed against an area directly.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

ALTER TABLE grids ADD COLUMN valid_from timestamptz, ADD COLUMN valid_to timestamptz;
ALTER TABLE grids ADD CONSTRAINT grids_validity_check CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from);
CREATE INDEX grids_current_idx ON grids (community_code) WHERE valid_to IS NULL;

CREATE TABLE grid_versions (
  id             bigserial PRIMARY KEY,
  grid_code      text NOT NULL REFERENCES grids(code),
  name           text NOT NULL,
  geom           geometry(MultiPolygon, 4326) NOT NULL,
  valid_from     timestamptz,
  valid_to       timestamptz NOT NULL,
  -- the import that replaced this version
  import_job_id  bigint REFERENCES import_jobs(id),
  CHECK (valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX grid_versions_code_idx ON grid_versions (grid_code, valid_to);

-- Reference data like grids (0011): everyone reads, admins add; nobody rewrites history.
ALTER TABLE grid_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY grid_versions_read ON grid_versions FOR SELECT USING (true);
CREATE POLICY grid_versions_admin_insert ON grid_versions FOR INSERT WITH CHECK ((SELECT app_is_admin()));
REVOKE ALL ON grid_versions FROM grid_app;
GRANT SELECT, INSERT ON grid_versions TO grid_app;
GRANT USAGE, SELECT ON SEQUENCE grid_versions_id_seq TO grid_app;

-- The version of grid p_code in force at p_at: a superseded one from grid_versions, else the row
-- in grids (current, or retired with its last shape). Invoker's rights: row-level security applies.
CREATE FUNCTION grid_version_at(p_code text, p_at timestamptz)
  RETURNS TABLE (name text, geom geometry, valid_from timestamptz, valid_to timestamptz, current boolean)
  LANGUAGE sql STABLE SET search_path = public, pg_catalog AS $$
  SELECT v.name, v.geom, v.valid_from, v.valid_to, v.current FROM (
    SELECT name, geom, valid_from, valid_to, false AS current FROM grid_versions WHERE grid_code = p_code
    UNION ALL
    SELECT name, geom, valid_from, valid_to, valid_to IS NULL FROM grids WHERE code = p_code) v
  WHERE (v.valid_from IS NULL OR v.valid_from <= p_at) AND (v.valid_to IS NULL OR p_at < v.valid_to)
  ORDER BY v.valid_from NULLS FIRST LIMIT 1
$$;
REVOKE ALL ON FUNCTION grid_version_at(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION grid_version_at(text, timestamptz) TO grid_app;

-- An import job may now be an update by code.
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_mode_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_mode_check CHECK (mode IN ('append', 'replace_demo', 'update'));

-- The audit log names the new kind of change: an update that reshaped, renamed or retired areas/grids.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
  CHECK (action IN ('unmask', 'export', 'login', 'login_failed', 'login_locked',
                    'logout', 'logout_all', 'password_change', 'user_admin', 'kpi_target', 'pairing', 'regrid'));
