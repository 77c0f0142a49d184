-- 0014: the sign-in limit per address counts failed attempts only. 0011 counted every attempt, so
-- a street office behind one NAT address met the limit (20 in 10 minutes) at the 9 o'clock rush;
-- guessing is what the limit is for, and a guess is a failure. The per-account lock is unchanged.
-- The check and the count are now part of auth_sign_in(), under the address's advisory lock, so
-- parallel guesses from one address queue and each failure counts before the next is checked.
-- The session INSERT, its policy and the 'login' audit row, which auth_sign_in and
-- auth_demo_sign_in of 0011 both spelled out, are one helper: auth_open_session().

-- Seconds until `p_key` may be hit again (0: now), without counting a hit. Takes the key's lock for
-- the rest of the transaction and sweeps the key's expired hits (and, now and then, anyone's).
CREATE FUNCTION rate_limit_wait(p_key text, p_limit int, p_window_ms int) RETURNS int
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
  RETURN 0;
END $$;

-- One hit on a sliding-window limit, as in 0011: 0 when allowed (and counted), else the wait.
CREATE OR REPLACE FUNCTION rate_limit_hit(p_key text, p_limit int, p_window_ms int) RETURNS int
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  v_wait int := rate_limit_wait(p_key, p_limit, p_window_ms);
BEGIN
  IF v_wait = 0 THEN
    INSERT INTO rate_limit_hits (key) VALUES (p_key);
  END IF;
  RETURN v_wait;
END $$;

-- A signed-in session for `u` by the one session policy (the screen's lives and idles for
-- p_screen_hours; everyone else's lives p_session_hours and idles p_idle_minutes), audited as 'login'.
CREATE FUNCTION auth_open_session(u users, p_token_hash text, p_ip text, p_detail jsonb,
  p_session_hours int, p_idle_minutes int, p_screen_hours int) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  INSERT INTO audit_log (user_id, action, subject, ip, detail) VALUES (u.id, 'login', 'user:' || u.id, p_ip, p_detail);
  INSERT INTO sessions (token_hash, user_id, expires_at, idle_minutes, ip)
  VALUES (p_token_hash, u.id,
          clock_timestamp() + make_interval(hours => CASE WHEN u.role = 'screen' THEN p_screen_hours ELSE p_session_hours END),
          CASE WHEN u.role = 'screen' THEN p_screen_hours * 60 ELSE greatest(p_idle_minutes, 1) END, p_ip);
END $$;

-- One sign-in attempt, as in 0011, and now also the address's limit: with p_ip_limit set, an
-- address with that many failures within p_ip_window_ms is refused (rate_limited, retry_after_s
-- the wait) before the account is looked at; each failure from the address counts, a success does
-- not. Without p_ip_limit (the 0011 signature's callers) there is no per-address limit.
DROP FUNCTION auth_sign_in(text, text, text, text, text, int, int, int, int, int);
CREATE FUNCTION auth_sign_in(p_username text, p_computed text, p_ip text, p_token_hash text, p_rehash text,
  p_lock_after int, p_lock_minutes int, p_session_hours int, p_idle_minutes int, p_screen_hours int,
  p_ip_limit int DEFAULT NULL, p_ip_window_ms int DEFAULT NULL)
  RETURNS TABLE (outcome text, user_id int, failures int, retry_after_s int)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  u users%ROWTYPE;
  v_lock_after int := p_lock_after;
  v_lock_minutes int := p_lock_minutes;
  v_failures int;
  v_attempt bigint;
  v_ip_key text := 'login_ip:' || p_ip;
  v_ip_hit tid;
  v_wait int;
BEGIN
  SELECT least(p_lock_after, a.lock_after), greatest(p_lock_minutes, a.lock_minutes) INTO v_lock_after, v_lock_minutes
    FROM auth_policy a;
  IF NOT FOUND THEN
    v_lock_after := p_lock_after;
    v_lock_minutes := p_lock_minutes;
  END IF;
  IF p_ip_limit IS NOT NULL AND p_ip IS NOT NULL THEN
    v_wait := rate_limit_wait(v_ip_key, p_ip_limit, coalesce(p_ip_window_ms, 600000));
    IF v_wait > 0 THEN
      RETURN QUERY SELECT 'rate_limited'::text, NULL::int, 0, v_wait;
      RETURN;
    END IF;
    -- counted as a failure of the address until it proves a success (then taken back below)
    INSERT INTO rate_limit_hits (key) VALUES (v_ip_key) RETURNING ctid INTO v_ip_hit;
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
  IF v_ip_hit IS NOT NULL THEN
    DELETE FROM rate_limit_hits WHERE ctid = v_ip_hit;
  END IF;
  UPDATE users SET failed_logins = 0, locked_until = NULL,
         password_hash = CASE WHEN password_hash NOT LIKE '$argon2%' AND p_rehash LIKE '$argon2%' THEN p_rehash ELSE password_hash END
   WHERE id = u.id;
  PERFORM auth_open_session(u, p_token_hash, p_ip, '{}'::jsonb, p_session_hours, p_idle_minutes, p_screen_hours);
  RETURN QUERY SELECT 'ok'::text, u.id, 0, 0;
END $$;

-- 演示登录, as in 0011, opening its session through the same helper.
CREATE OR REPLACE FUNCTION auth_demo_sign_in(p_username text, p_ip text, p_token_hash text, p_session_hours int, p_idle_minutes int, p_screen_hours int)
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
  PERFORM auth_open_session(u, p_token_hash, p_ip, '{"demo":true}'::jsonb, p_session_hours, p_idle_minutes, p_screen_hours);
  RETURN QUERY SELECT 'ok'::text, u.id, 0;
END $$;

-- EXECUTE: the new sign-in function for grid_app, as 0011 granted the old one; the limit check and
-- the session helper are called only from inside the definer functions, so nobody else may.
REVOKE ALL ON FUNCTION auth_sign_in(text, text, text, text, text, int, int, int, int, int, int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_sign_in(text, text, text, text, text, int, int, int, int, int, int, int) TO grid_app;
REVOKE ALL ON FUNCTION rate_limit_wait(text, int, int) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_open_session(users, text, text, jsonb, int, int, int) FROM PUBLIC;
