-- 0008: bring your own district. One row per committed import: who brought which file into
-- which layer, how, and what it wrote. Previews leave no trace (they run in a rolled-back
-- transaction). Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

CREATE TABLE import_jobs (
  id          bigserial PRIMARY KEY,
  user_id     int REFERENCES users(id),
  layer       text NOT NULL CHECK (layer IN ('areas', 'grids', 'households', 'hazards', 'requests')),
  file_name   text NOT NULL,
  format      text NOT NULL,
  crs         text NOT NULL CHECK (crs IN ('wgs84', 'gcj02', 'bd09')),
  -- append: new rows beside what is there; replace_demo: the synthetic demo district was removed first
  mode        text NOT NULL CHECK (mode IN ('append', 'replace_demo')),
  rows        int NOT NULL CHECK (rows >= 0),
  warnings    int NOT NULL DEFAULT 0,
  inserted    jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_jobs_created_idx ON import_jobs (created_at DESC);
