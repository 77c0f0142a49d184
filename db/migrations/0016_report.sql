-- 0015: several photos per request (issue 16): the ones taken at 点单 ('report'), and the pair
-- that shows the work, 'before' at 接单 and 'after' at 办结, each tied to the event it came with.
--
-- The files stay where the single photo of 0001 is (DATA_DIR/photos, named by a UUID); a row here
-- says whose they are. requests.photo_path is kept: older requests have only that, and a new
-- report sets it to its first photo, so /api/requests/{id}/photo and Open311 go on answering.
-- Who sees a photo is who sees its request (row-level security, as for request_events); photos
-- are history: added, never changed or removed by the app.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

CREATE TABLE request_photos (
  id          bigserial PRIMARY KEY,
  request_id  bigint NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  -- the 点单, 接单 or 办结 event the photo came with
  event_id    bigint NOT NULL REFERENCES request_events(id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('report', 'before', 'after')),
  -- the file's name in the photo directory: only names the server made (UUID.ext)
  path        text NOT NULL UNIQUE CHECK (path ~ '^[0-9a-f-]{36}\.(jpg|png|webp)$'),
  type        text NOT NULL CHECK (type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes       int NOT NULL CHECK (bytes > 0),
  created_by  int REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX request_photos_request_idx ON request_photos (request_id, kind, id);
CREATE INDEX request_photos_event_idx ON request_photos (event_id);

-- the default privileges of 0007 granted all four: history is written, never rewritten
REVOKE UPDATE, DELETE, TRUNCATE ON request_photos FROM grid_app;

ALTER TABLE request_photos ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_photos_scope ON request_photos
  USING (request_id IN (SELECT id FROM requests));
-- one's own photos only, on a request one may see; the big screen writes nothing
CREATE POLICY request_photos_insert_writer ON request_photos AS RESTRICTIVE FOR INSERT
  WITH CHECK ((SELECT app_may_write()) AND created_by = (SELECT app_user_id()));
