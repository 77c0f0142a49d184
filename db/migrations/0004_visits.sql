-- 0004: visit planning and the 走找想促 loop.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18 + PostGIS 3.6).

-- A stop the leader pinned to its position (拖动后锁定), and where it came from.
ALTER TABLE visit_stops ADD COLUMN locked boolean NOT NULL DEFAULT false;
ALTER TABLE visit_stops ADD COLUMN source text NOT NULL DEFAULT 'map'
  CHECK (source IN ('map', 'research_plan', 'pairing', 'grid'));
ALTER TABLE visit_stops ADD COLUMN address text;

-- 促: what a visit decided, and who follows it up by when.
CREATE TABLE visit_decisions (
  id                 bigserial PRIMARY KEY,
  visit_id           bigint NOT NULL REFERENCES visits(id),
  seq                smallint NOT NULL,
  decision           text NOT NULL CHECK (length(decision) BETWEEN 1 AND 500),
  follow_up_user_id  int REFERENCES users(id),
  follow_up_department_id int REFERENCES departments(id),
  due_date           date,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (visit_id, seq)
);
CREATE INDEX visit_decisions_visit_idx ON visit_decisions (visit_id);

-- 四不两直: listing a leader's own plans and everyone's announced ones.
CREATE INDEX visits_status_idx ON visits (status, planned_date);
