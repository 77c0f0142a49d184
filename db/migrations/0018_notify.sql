-- 0015: notices (通知), kept until read (issue 16, "To-dos and notices in the app").
-- One row per recipient: a 派单/改派 to a department is one row for each of its active staff, so
-- each person reads (and marks read) their own. Who is told of which move is decided once, in
-- src/lib/domain/notices.ts; the server writes the rows in the same transaction as the move.
-- Deadline notices (due within 24 h) are written when a user's list is read, at most once per
-- request, stage and deadline (the unique index): a new 派单 or 接单 starts a new deadline, so a
-- new stage warns again, the same stage never twice.
-- Each row is published on the live feed (kind 'notice', carrying its recipient), and /api/live
-- sends it to that recipient only (src/lib/domain/livefilter.ts).
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

CREATE TABLE notifications (
  id           bigserial PRIMARY KEY,
  recipient_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('dispatched', 'whistle', 'returned', 'reopened', 'deadline')),
  request_id   bigint NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  -- deadline notices: which deadline ('accept' 接单, 'resolve' 办结, 'checkin' 报到) and when it falls
  stage        text CHECK (stage IN ('accept', 'resolve', 'checkin')),
  due_at       timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  read_at      timestamptz,
  CHECK ((kind = 'deadline') = (stage IS NOT NULL AND due_at IS NOT NULL))
);
-- the badge: my unread ones; the list: mine, newest first
CREATE INDEX notifications_unread_idx ON notifications (recipient_id, id DESC) WHERE read_at IS NULL;
CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, id DESC);
-- once per request, stage and deadline (other kinds have NULL stage: never equal)
CREATE UNIQUE INDEX notifications_deadline_once ON notifications (recipient_id, request_id, stage, due_at);
CREATE INDEX notifications_request_idx ON notifications (request_id);

-- ── row-level security (as 0007/0011): each user sees and marks only their own ──────────────
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY notifications_own_read ON notifications FOR SELECT USING (recipient_id = (SELECT app_user_id()));
-- a writer (not the big screen) may notify about a request they can see themselves: the requests
-- policy applies inside this check, so nobody plants notices about other people's requests
CREATE POLICY notifications_write ON notifications FOR INSERT
  WITH CHECK ((SELECT app_may_write()) AND EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
CREATE POLICY notifications_own_mark ON notifications FOR UPDATE
  USING (recipient_id = (SELECT app_user_id())) WITH CHECK (recipient_id = (SELECT app_user_id()));
REVOKE ALL ON notifications FROM grid_app;
GRANT SELECT, INSERT (recipient_id, kind, request_id, stage, due_at) ON notifications TO grid_app;
GRANT UPDATE (read_at) ON notifications TO grid_app;
GRANT USAGE ON SEQUENCE notifications_id_seq TO grid_app;

-- ── the live feed: one 'notice' event per row, naming its recipient ────────────────────────
ALTER TABLE live_events DROP CONSTRAINT live_events_kind_check;
ALTER TABLE live_events ADD CONSTRAINT live_events_kind_check
  CHECK (kind IN ('request', 'status', 'whistle', 'checkin', 'hazard', 'notice'));

CREATE FUNCTION live_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM live_publish('notice', jsonb_build_object(
    'nid', NEW.id, 'user', NEW.recipient_id, 'rid', NEW.request_id, 'notice', NEW.kind));
  RETURN NULL;
END $$;
CREATE TRIGGER notifications_live AFTER INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION live_notifications();
