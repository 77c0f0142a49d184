-- 0011: the serving connection owns nothing (issue 13, item 5) and sign-in state lives here (item 6).
--
-- Until now the app served as the tables' owner and switched to grid_app per transaction with
-- SET LOCAL ROLE. One injected set_config('role', 'none', true) went back to the owner, and 19
-- tables had no row-level security while grid_app could write them (user_grids, api_keys, visits…).
--
-- Now (src/lib/server/connect.ts): DATABASE_OWNER_URL migrates and seeds, then closes; the app
-- serves on DATABASE_URL, a login role that is a member of grid_app and nothing else. Whatever role
-- an injected statement switches back to, it holds grid_app's rights, and:
--   * every table grid_app can reach has row-level security (reference data: read by all, written
--     by admins only; user_grids, users, api_keys, sessions: admins or one's own rows);
--   * sign-in, sessions, API keys, the live feed's upkeep, rate limits and the demo replacement run
--     in SECURITY DEFINER functions with a fixed search_path, EXECUTE for grid_app only;
--   * sign-in cannot be had without the password: auth_sign_in compares a hash Node computed from
--     it with the stored one under a row lock, counting the attempt first (parallel guesses queue).
-- Reads the server does for no user (hot-spot grid set, public OGC/Open311 collections, the live
-- feed) run with app.system_read = 'on' (set per connection by connect.ts): every row, no personal
-- columns, no writes. Forging app.user_id or app.system_read from injected SQL is the remaining
-- risk (README "Remaining risks").
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

-- ── who is asking ───────────────────────────────────────────────────────────────────────────
CREATE FUNCTION app_is_admin() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT coalesce((SELECT role = 'admin' FROM users WHERE id = app_user_id() AND active), false)
$$;

-- The server's own reads (no user): every grid, like the big screen; app_may_write() stays false.
CREATE OR REPLACE FUNCTION app_grid_prefix() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT CASE WHEN app_user_id() IS NULL THEN
           CASE WHEN current_setting('app.system_read', true) = 'on' THEN '' END
         ELSE (SELECT CASE u.role WHEN 'admin' THEN '' WHEN 'screen' THEN '' WHEN 'leader' THEN u.jurisdiction_code END
                 FROM users u WHERE u.id = app_user_id() AND u.active) END
$$;

-- ── row-level security on every table grid_app reaches ─────────────────────────────────────
-- Reference data and planning tables: everyone reads (as before), admins write.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['areas', 'grids', 'basemap_features', 'categories', 'departments', 'deadline_rules', 'app_meta',
                           'request_transitions', 'users', 'user_grids', 'live_events', 'import_jobs', 'api_keys',
                           'leader_pairings', 'research_plans', 'research_plan_sites', 'visits', 'visit_stops', 'visit_decisions',
                           'sessions', 'login_attempts', 'schema_migrations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['areas', 'grids', 'basemap_features', 'categories', 'departments', 'deadline_rules', 'app_meta',
                           'request_transitions', 'users', 'user_grids', 'live_events', 'leader_pairings', 'research_plans',
                           'research_plan_sites', 'visits', 'visit_stops', 'visit_decisions'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (true)', t || '_read', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['areas', 'grids', 'basemap_features', 'categories', 'departments', 'deadline_rules', 'app_meta',
                           'users', 'user_grids'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK ((SELECT app_is_admin()))', t || '_admin_insert', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING ((SELECT app_is_admin())) WITH CHECK ((SELECT app_is_admin()))', t || '_admin_update', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING ((SELECT app_is_admin()))', t || '_admin_delete', t);
  END LOOP;
END $$;

-- 走访 and 调研: a leader writes their own, admins anyone's; the big screen nothing.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['leader_pairings', 'research_plans', 'visits'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK ((SELECT app_may_write()) AND (leader_id = (SELECT app_user_id()) OR (SELECT app_is_admin())))', t || '_write', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING ((SELECT app_may_write()) AND (leader_id = (SELECT app_user_id()) OR (SELECT app_is_admin())))', t || '_change', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING ((SELECT app_may_write()) AND (leader_id = (SELECT app_user_id()) OR (SELECT app_is_admin())))', t || '_remove', t);
  END LOOP;
END $$;
CREATE FUNCTION app_owns_visit(p_visit bigint) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT app_may_write() AND (app_is_admin() OR EXISTS (SELECT 1 FROM visits WHERE id = p_visit AND leader_id = app_user_id()))
$$;
CREATE FUNCTION app_owns_plan(p_plan bigint) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT app_may_write() AND (app_is_admin() OR EXISTS (SELECT 1 FROM research_plans WHERE id = p_plan AND leader_id = app_user_id()))
$$;
CREATE POLICY visit_stops_write ON visit_stops FOR INSERT WITH CHECK (app_owns_visit(visit_id));
CREATE POLICY visit_stops_change ON visit_stops FOR UPDATE USING (app_owns_visit(visit_id));
CREATE POLICY visit_stops_remove ON visit_stops FOR DELETE USING (app_owns_visit(visit_id));
CREATE POLICY visit_decisions_write ON visit_decisions FOR INSERT WITH CHECK (app_owns_visit(visit_id));
CREATE POLICY visit_decisions_change ON visit_decisions FOR UPDATE USING (app_owns_visit(visit_id));
CREATE POLICY visit_decisions_remove ON visit_decisions FOR DELETE USING (app_owns_visit(visit_id));
CREATE POLICY research_plan_sites_write ON research_plan_sites FOR INSERT WITH CHECK (app_owns_plan(plan_id));
CREATE POLICY research_plan_sites_change ON research_plan_sites FOR UPDATE USING (app_owns_plan(plan_id));
CREATE POLICY research_plan_sites_remove ON research_plan_sites FOR DELETE USING (app_owns_plan(plan_id));

-- Imports: admins (the rows they bring in pass the policies of 0007 as the admin's).
CREATE POLICY import_jobs_admin ON import_jobs USING ((SELECT app_is_admin())) WITH CHECK ((SELECT app_is_admin()));
REVOKE UPDATE, DELETE ON import_jobs FROM grid_app;

-- API keys: admins manage them; the holder sees their own; nobody reads a key's hash.
CREATE POLICY api_keys_read ON api_keys FOR SELECT USING (user_id = (SELECT app_user_id()) OR (SELECT app_is_admin()));
CREATE POLICY api_keys_admin_insert ON api_keys FOR INSERT WITH CHECK ((SELECT app_is_admin()));
CREATE POLICY api_keys_admin_update ON api_keys FOR UPDATE USING ((SELECT app_is_admin()));
REVOKE ALL ON api_keys FROM grid_app;
GRANT SELECT (id, name, user_id, active, created_at, last_used_at), INSERT (key_hash, name, user_id), UPDATE (active) ON api_keys TO grid_app;

-- Accounts: what an admin writes (账号管理), never the hash back out.
GRANT INSERT (username, display_name, role, title, department_id, jurisdiction_code, password_hash, password_changed_at, active),
      UPDATE (password_hash, password_changed_at, failed_logins, locked_until, active) ON users TO grid_app;
-- Sessions: one's own (账号与安全) or, for admins, anyone's may be listed and ended; never the token hash.
GRANT SELECT (user_id, created_at, expires_at, last_seen_at, idle_minutes, ip), DELETE ON sessions TO grid_app;
CREATE POLICY sessions_own_read ON sessions FOR SELECT USING (user_id = (SELECT app_user_id()) OR (SELECT app_is_admin()));
CREATE POLICY sessions_own_end ON sessions FOR DELETE USING (user_id = (SELECT app_user_id()) OR (SELECT app_is_admin()));

-- The live feed is written by its triggers (now as the owner) and pruned by live_prune(); read by all.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON live_events FROM grid_app;
ALTER FUNCTION live_publish(text, jsonb) SECURITY DEFINER SET search_path = public, pg_catalog;
CREATE FUNCTION live_prune(p_hours int) RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  DELETE FROM live_events WHERE at < now() - make_interval(hours => greatest(p_hours, 1))
$$;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON request_transitions FROM grid_app;

-- PostGIS's own table (owned by the extension's owner): read by ST_Transform, never written.
DO $$
BEGIN
  REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON spatial_ref_sys FROM grid_app;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;

-- ── sign-in ─────────────────────────────────────────────────────────────────────────────────
-- The lock policy the owner wrote at start-up (connect.ts, from src/lib/server/auth.ts): callers
-- pass the same numbers, and a caller can only make them stricter, never looser.
CREATE TABLE auth_policy (
  id           int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  lock_after   int NOT NULL CHECK (lock_after > 0),
  lock_minutes int NOT NULL CHECK (lock_minutes > 0)
);
-- Salts for names that do not exist: derived from this secret, so the answer for a missing name
-- looks like one for a real account and stays the same on every ask.
CREATE TABLE auth_secret (
  id     int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  secret text NOT NULL
);
INSERT INTO auth_secret (secret) VALUES (md5(random()::text || clock_timestamp()::text) || md5(random()::text || pg_backend_pid()::text));
-- Sliding-window rate limits (sign-in per address, reports per user and address): one row a hit.
CREATE TABLE rate_limit_hits (
  key text NOT NULL,
  at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX rate_limit_hits_key_idx ON rate_limit_hits (key, at);
ALTER TABLE auth_policy ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_secret ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_limit_hits ENABLE ROW LEVEL SECURITY;
-- the default privileges of 0007 granted these to grid_app
REVOKE ALL ON auth_policy, auth_secret, rate_limit_hits FROM grid_app;

-- What Node needs to hash a password attempt like the stored hash: the argon2id parameters and
-- salt ('$argon2id$v=19$m=…,p=…,t=…$<salt>'), or 'scrypt$<salt hex>' for a hash of 0002. An unknown
-- name, or one without a password, gets argon2id with a salt derived from the name.
CREATE FUNCTION auth_password_salt(p_username text) RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  v_hash text;
BEGIN
  SELECT password_hash INTO v_hash FROM users WHERE username = p_username AND active;
  IF v_hash LIKE '$argon2%' THEN
    RETURN regexp_replace(v_hash, '\$[^$]*$', '');
  ELSIF v_hash LIKE '%:%' THEN
    RETURN 'scrypt$' || split_part(v_hash, ':', 1);
  END IF;
  RETURN '$argon2id$v=19$m=19456,p=1,t=2$' || rtrim(encode(substring(sha256(convert_to((SELECT secret FROM auth_secret) || p_username, 'UTF8')) FROM 1 FOR 16), 'base64'), '=');
END $$;

-- One sign-in attempt. p_computed is what Node derived from the typed password with the salt above
-- ('$argon2id$…' whole, or 'salt:hash' for scrypt); the comparison happens here, under the user
-- row's lock, after the attempt is counted. Outcomes: ok (a session with token hash p_token_hash
-- now exists), bad_credentials, locked_now (this failure locked the account), locked (it was). p_rehash replaces a scrypt hash on success.
CREATE FUNCTION auth_sign_in(p_username text, p_computed text, p_ip text, p_token_hash text, p_rehash text,
  p_lock_after int, p_lock_minutes int, p_session_hours int, p_idle_minutes int, p_screen_hours int)
  RETURNS TABLE (outcome text, user_id int, failures int, retry_after_s int)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  u users%ROWTYPE;
  v_lock_after int := p_lock_after;
  v_lock_minutes int := p_lock_minutes;
  v_failures int;
  v_attempt bigint;
BEGIN
  SELECT least(p_lock_after, a.lock_after), greatest(p_lock_minutes, a.lock_minutes) INTO v_lock_after, v_lock_minutes
    FROM auth_policy a;
  IF NOT FOUND THEN
    v_lock_after := p_lock_after;
    v_lock_minutes := p_lock_minutes;
  END IF;
  -- counted before anything is checked: a guess that is refused still shows
  INSERT INTO login_attempts (username, ip, ok) VALUES (p_username, p_ip, false) RETURNING login_attempts.id INTO v_attempt;
  SELECT * INTO u FROM users WHERE username = p_username AND active FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'bad_credentials'::text, NULL::int, 0, 0;
    RETURN;
  END IF;
  IF u.locked_until > clock_timestamp() THEN
    INSERT INTO audit_log (user_id, action, subject, ip) VALUES (u.id, 'login_locked', 'user:' || u.id, p_ip);
    RETURN QUERY SELECT 'locked'::text, u.id, u.failed_logins, ceil(extract(epoch FROM u.locked_until - clock_timestamp()))::int;
    RETURN;
  END IF;
  IF u.password_hash IS NULL OR p_computed IS NULL OR p_computed <> u.password_hash THEN
    v_failures := u.failed_logins + 1;
    UPDATE users SET failed_logins = CASE WHEN v_failures >= v_lock_after THEN 0 ELSE v_failures END,
           locked_until = CASE WHEN v_failures >= v_lock_after THEN clock_timestamp() + make_interval(mins => v_lock_minutes) ELSE locked_until END
     WHERE id = u.id;
    INSERT INTO audit_log (user_id, action, subject, ip, detail)
    VALUES (u.id, 'login_failed', 'user:' || u.id, p_ip, jsonb_build_object('failures', v_failures));
    RETURN QUERY SELECT CASE WHEN v_failures >= v_lock_after THEN 'locked_now' ELSE 'bad_credentials' END,
                        u.id, v_failures, CASE WHEN v_failures >= v_lock_after THEN v_lock_minutes * 60 ELSE 0 END;
    RETURN;
  END IF;
  UPDATE login_attempts SET ok = true WHERE login_attempts.id = v_attempt;
  UPDATE users SET failed_logins = 0, locked_until = NULL,
         password_hash = CASE WHEN password_hash NOT LIKE '$argon2%' AND p_rehash LIKE '$argon2%' THEN p_rehash ELSE password_hash END
   WHERE id = u.id;
  INSERT INTO audit_log (user_id, action, subject, ip) VALUES (u.id, 'login', 'user:' || u.id, p_ip);
  INSERT INTO sessions (token_hash, user_id, expires_at, idle_minutes, ip)
  VALUES (p_token_hash, u.id,
          clock_timestamp() + make_interval(hours => CASE WHEN u.role = 'screen' THEN p_screen_hours ELSE p_session_hours END),
          CASE WHEN u.role = 'screen' THEN p_screen_hours * 60 ELSE greatest(p_idle_minutes, 1) END, p_ip);
  RETURN QUERY SELECT 'ok'::text, u.id, 0, 0;
END $$;

-- 演示登录: only on the synthetic demo district, and not past a lock; recorded like a sign-in.
CREATE FUNCTION auth_demo_sign_in(p_username text, p_ip text, p_token_hash text, p_session_hours int, p_idle_minutes int, p_screen_hours int)
  RETURNS TABLE (outcome text, user_id int, retry_after_s int)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  u users%ROWTYPE;
BEGIN
  IF NOT coalesce((SELECT (value->>'synthetic')::boolean FROM app_meta WHERE key = 'seed'), false) THEN
    RETURN QUERY SELECT 'not_demo'::text, NULL::int, 0;
    RETURN;
  END IF;
  SELECT * INTO u FROM users WHERE username = p_username AND active FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'no_user'::text, NULL::int, 0;
    RETURN;
  END IF;
  IF u.locked_until > clock_timestamp() THEN
    INSERT INTO login_attempts (username, ip, ok) VALUES (p_username, p_ip, false);
    INSERT INTO audit_log (user_id, action, subject, ip, detail) VALUES (u.id, 'login_locked', 'user:' || u.id, p_ip, '{"demo":true}');
    RETURN QUERY SELECT 'locked'::text, u.id, ceil(extract(epoch FROM u.locked_until - clock_timestamp()))::int;
    RETURN;
  END IF;
  INSERT INTO login_attempts (username, ip, ok) VALUES (p_username, p_ip, true);
  INSERT INTO audit_log (user_id, action, subject, ip, detail) VALUES (u.id, 'login', 'user:' || u.id, p_ip, '{"demo":true}');
  INSERT INTO sessions (token_hash, user_id, expires_at, idle_minutes, ip)
  VALUES (p_token_hash, u.id,
          clock_timestamp() + make_interval(hours => CASE WHEN u.role = 'screen' THEN p_screen_hours ELSE p_session_hours END),
          CASE WHEN u.role = 'screen' THEN p_screen_hours * 60 ELSE greatest(p_idle_minutes, 1) END, p_ip);
  RETURN QUERY SELECT 'ok'::text, u.id, 0;
END $$;

-- The session's user while it is neither expired nor idle too long; marks it used (at most once a minute).
CREATE FUNCTION auth_session_user(p_token_hash text)
  RETURNS TABLE (id int, username text, display_name text, role text, department_id int, title text, jurisdiction_code text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  v_user int;
  v_seen timestamptz;
BEGIN
  SELECT s.user_id, s.last_seen_at INTO v_user, v_seen FROM sessions s
   WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => s.idle_minutes);
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF v_seen < now() - interval '1 minute' THEN
    UPDATE sessions SET last_seen_at = now() WHERE token_hash = p_token_hash;
  END IF;
  RETURN QUERY SELECT u.id, u.username, u.display_name, u.role, u.department_id, u.title, u.jurisdiction_code
    FROM users u WHERE u.id = v_user AND u.active;
END $$;

CREATE FUNCTION auth_end_session(p_token_hash text) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  DELETE FROM sessions WHERE token_hash = p_token_hash
$$;

-- 修改密码: only with what Node computed from the current password (salt from auth_password_salt);
-- every other session of the user ends. False when the current password is wrong.
CREATE FUNCTION auth_change_password(p_user_id int, p_current_computed text, p_new_hash text, p_keep_token_hash text, p_ip text)
  RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  v_hash text;
BEGIN
  SELECT password_hash INTO v_hash FROM users WHERE id = p_user_id AND active FOR UPDATE;
  IF v_hash IS NULL OR p_current_computed IS DISTINCT FROM v_hash OR p_new_hash NOT LIKE '$argon2%' THEN
    RETURN false;
  END IF;
  UPDATE users SET password_hash = p_new_hash, password_changed_at = now() WHERE id = p_user_id;
  DELETE FROM sessions WHERE user_id = p_user_id AND token_hash <> coalesce(p_keep_token_hash, '');
  INSERT INTO audit_log (user_id, action, subject, ip) VALUES (p_user_id, 'password_change', 'user:' || p_user_id, p_ip);
  RETURN true;
END $$;

-- The user an active API key acts as; marks the key used (at most once a minute).
CREATE FUNCTION auth_api_key_user(p_key_hash text)
  RETURNS TABLE (id int, username text, display_name text, role text, department_id int, title text, jurisdiction_code text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  v_key int;
  v_user int;
BEGIN
  SELECT k.id, k.user_id INTO v_key, v_user FROM api_keys k JOIN users u ON u.id = k.user_id
   WHERE k.key_hash = p_key_hash AND k.active AND u.active;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  UPDATE api_keys SET last_used_at = now() WHERE api_keys.id = v_key AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');
  RETURN QUERY SELECT u.id, u.username, u.display_name, u.role, u.department_id, u.title, u.jurisdiction_code FROM users u WHERE u.id = v_user;
END $$;

-- 账号管理's list: lock state, whether a password is set, last sign-in. Admins only.
CREATE FUNCTION admin_user_state()
  RETURNS TABLE (id int, locked boolean, has_password boolean, last_login timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT u.id, coalesce(u.locked_until > now(), false), u.password_hash IS NOT NULL,
         (SELECT max(a.at) FROM login_attempts a WHERE a.username = u.username AND a.ok)
    FROM users u WHERE app_is_admin()
$$;

-- One hit on a sliding-window limit: 0 when allowed (and counted), else seconds until the next
-- hit would be. Hits of one key queue on an advisory lock, so parallel ones are all counted.
CREATE FUNCTION rate_limit_hit(p_key text, p_limit int, p_window_ms int) RETURNS int
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  v_since timestamptz := clock_timestamp() - make_interval(secs => p_window_ms / 1000.0);
  v_count int;
  v_oldest timestamptz;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('rate_limit:' || p_key));
  DELETE FROM rate_limit_hits WHERE key = p_key AND at <= v_since;
  -- keys never hit again (one-off addresses) would stay forever: about one call in a hundred sweeps
  -- rows older than a day (every window is far shorter: limits.ts)
  IF random() < 0.01 THEN
    DELETE FROM rate_limit_hits WHERE at < clock_timestamp() - interval '1 day';
  END IF;
  SELECT count(*), min(at) INTO v_count, v_oldest FROM rate_limit_hits WHERE key = p_key;
  IF v_count >= p_limit THEN
    RETURN greatest(1, ceil(extract(epoch FROM v_oldest + make_interval(secs => p_window_ms / 1000.0) - clock_timestamp())))::int;
  END IF;
  INSERT INTO rate_limit_hits (key) VALUES (p_key);
  RETURN 0;
END $$;

-- Whether some active admin has a password (replacing the demo district closes 演示登录: someone
-- must still be able to sign in). Says nothing about which.
CREATE FUNCTION app_password_admin_exists() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND active AND password_hash IS NOT NULL)
$$;

-- 替换演示辖区 (import): empties the synthetic district; for an admin, or the owner's own connection
-- (command-line import), never for anyone on real data.
CREATE FUNCTION import_remove_demo() RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  IF NOT (app_is_admin() OR (app_user_id() IS NULL AND has_table_privilege(session_user, 'areas', 'TRUNCATE'))) THEN
    RAISE EXCEPTION '替换演示辖区需要管理员' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT coalesce((SELECT (value->>'synthetic')::boolean FROM app_meta WHERE key = 'seed'), false) THEN
    RAISE EXCEPTION '当前数据库不是演示辖区，不能替换' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT app_password_admin_exists() THEN
    RAISE EXCEPTION '替换后演示登录将关闭：请先为至少一个管理员设置密码' USING ERRCODE = 'insufficient_privilege';
  END IF;
  TRUNCATE areas, basemap_features, live_events, visits, research_plans CASCADE;
END $$;

-- 数据导入's duplicate check: which staged ID numbers some household already has. grid_app may not
-- read households.id_number; an admin's import (or the owner's command-line import) learns only the
-- clashing household's id and address for numbers it already holds itself.
CREATE FUNCTION import_id_numbers_taken(p_ids text[]) RETURNS TABLE (id_number text, household_id int, address text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT h.id_number, h.id, h.address FROM households h
   WHERE h.id_number = ANY (p_ids)
     AND (app_is_admin() OR (app_user_id() IS NULL AND has_table_privilege(session_user, 'households', 'TRUNCATE')))
$$;

-- EXECUTE: grid_app only (PUBLIC has it by default on new functions).
DO $$
DECLARE f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['auth_password_salt(text)', 'auth_sign_in(text,text,text,text,text,int,int,int,int,int)',
                           'auth_demo_sign_in(text,text,text,int,int,int)', 'auth_session_user(text)', 'auth_end_session(text)',
                           'auth_change_password(int,text,text,text,text)', 'auth_api_key_user(text)', 'admin_user_state()',
                           'rate_limit_hit(text,int,int)', 'import_remove_demo()', 'live_prune(int)',
                           'app_password_admin_exists()', 'import_id_numbers_taken(text[])'] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO grid_app', f);
  END LOOP;
END $$;
