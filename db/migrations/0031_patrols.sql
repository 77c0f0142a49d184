-- 巡查 (patrols, issue 20): a grid worker starts a patrol on the phone and ends it; the track of that
-- patrol only (GPS fixes sampled on the phone, with their accuracy, kept offline until sent) is stored
-- as a line with its times and length. What the worker reported meanwhile is read from the requests,
-- door-knocks and care visits of the same person and time, not copied here.
-- Who reads: the worker, admins, and the leaders whose area holds one of the worker's grids — the
-- same people who see the worker's page (domain/workers.ts). Only the worker writes, once per patrol
-- (client_id: the phone's id for it, so an outbox resend records nothing twice). Nobody changes one;
-- the server deletes patrols past their keeping period (PATROL_KEEP_DAYS) as the system.
CREATE TABLE patrols (
  id           bigserial PRIMARY KEY,
  user_id      int NOT NULL REFERENCES users(id),
  client_id    uuid NOT NULL,
  started_at   timestamptz NOT NULL,
  ended_at     timestamptz NOT NULL,
  track        geometry(LineString, 4326),
  -- per fix: seconds after started_at and the accuracy in metres, in the order of the line's points
  fix_seconds  int[] NOT NULL,
  fix_accuracy real[] NOT NULL,
  distance_m   real NOT NULL CHECK (distance_m >= 0),
  note         text CHECK (note IS NULL OR length(note) <= 300),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_at > started_at),
  CHECK (cardinality(fix_seconds) = cardinality(fix_accuracy)),
  CHECK (track IS NULL OR ST_NPoints(track) = cardinality(fix_seconds)),
  UNIQUE (user_id, client_id)
);
CREATE INDEX patrols_user_idx ON patrols (user_id, started_at);
CREATE INDEX patrols_ended_idx ON patrols (ended_at);

ALTER TABLE patrols ENABLE ROW LEVEL SECURITY;
-- not the wall display: a track is where a person was, which no big screen shows
CREATE POLICY patrols_read ON patrols FOR SELECT USING (
  user_id = (SELECT app_user_id()) OR (SELECT app_is_admin())
  OR EXISTS (SELECT 1 FROM users v JOIN user_grids ug ON ug.user_id = patrols.user_id
             WHERE v.id = (SELECT app_user_id()) AND v.active AND v.role = 'leader' AND ug.grid_code LIKE v.jurisdiction_code || '%'));
CREATE POLICY patrols_write ON patrols FOR INSERT WITH CHECK ((SELECT app_may_write()) AND user_id = (SELECT app_user_id()));
REVOKE UPDATE, DELETE ON patrols FROM grid_app;
GRANT SELECT, INSERT ON patrols TO grid_app;
GRANT USAGE, SELECT ON SEQUENCE patrols_id_seq TO grid_app;
