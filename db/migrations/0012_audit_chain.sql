-- 0012: the integrity of what the server records (issue 13, items 6 and 7).
--
-- ── idempotency keys with the body they were used for ───────────────────────────────────────
-- request_events.idempotency_key alone said "seen" but not by whom or for what: the same key with
-- another body silently answered the first request (the second report was lost), and the same
-- key from another user, whose event row-level security hides, ended in a unique violation (500).
-- Each key now names its user and a SHA-256 of the canonical body. A user sees only their own
-- keys; a key taken by someone else shows up as a unique violation on insert, never as their row.
CREATE TABLE idempotency_keys (
  key       text PRIMARY KEY,
  user_id   int NOT NULL REFERENCES users(id),
  body_hash text NOT NULL,
  at        timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_own ON idempotency_keys
  USING (user_id = (SELECT app_user_id())) WITH CHECK (user_id = (SELECT app_user_id()));
REVOKE ALL ON idempotency_keys FROM grid_app;
GRANT SELECT, INSERT ON idempotency_keys TO grid_app;
