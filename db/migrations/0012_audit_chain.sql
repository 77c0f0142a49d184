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

-- ── the audit log as a hash chain ───────────────────────────────────────────────────────────
-- The append-only triggers of 0007 stop grid_app, not a superuser: `SET session_replication_role
-- = replica` turns them off, and then a row can be changed or deleted without a trace. Each row
-- now carries the hash of the row before it (in id order) and its own hash over that and its
-- content, so a changed row no longer matches its hash and a deleted one breaks the link of the
-- next row. verifyAuditChain() (src/lib/server/access/auditchain.ts, `npm run audit:verify`) walks it.
-- sha256(bytea) is built in since PostgreSQL 11 (PGlite too): no pgcrypto.
ALTER TABLE audit_log ADD COLUMN prev_hash text, ADD COLUMN hash text;

-- The text a row's hash covers: a JSON array (unambiguous, whatever a field holds); the time in
-- UTC with microseconds, so the session's TimeZone does not change it; detail as jsonb prints it.
CREATE FUNCTION audit_row_hash(p_prev text, a audit_log) RETURNS text
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
  SELECT encode(sha256(convert_to(coalesce(p_prev, '') || jsonb_build_array(
    a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), a.user_id, a.action, a.subject,
    a.rows, a.reason, a.ip, a.detail)::text, 'UTF8')), 'hex')
$$;

-- BEFORE INSERT: one writer at a time (a transaction-level advisory lock, held to commit), the id
-- taken under that lock so ids follow the chain's order, the client address from the
-- transaction's app.client_ip when the statement names none, then the link and the hash.
-- SECURITY DEFINER: grid_app cannot read other users' rows, and the last hash is one of them.
CREATE FUNCTION audit_log_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_prev text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('audit_log_chain'));
  NEW.id := nextval(pg_get_serial_sequence('public.audit_log', 'id'));
  NEW.ip := coalesce(NEW.ip, nullif(current_setting('app.client_ip', true), ''));
  SELECT a.hash INTO v_prev FROM audit_log a ORDER BY a.id DESC LIMIT 1;
  NEW.prev_hash := v_prev;
  NEW.hash := audit_row_hash(v_prev, NEW);
  RETURN NEW;
END $$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- rows written before this migration: chained in id order
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;
DO $$
DECLARE
  r audit_log;
  v_prev text := NULL;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    UPDATE audit_log SET prev_hash = v_prev, hash = audit_row_hash(v_prev, r) WHERE id = r.id;
    v_prev := audit_row_hash(v_prev, r);
  END LOOP;
END $$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;
