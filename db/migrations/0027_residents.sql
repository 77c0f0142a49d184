-- 0027: 网上点单, the residents' own channel (issue 19). A signed-out resident reports a problem,
-- follows it with a tracking code (跟踪码) and the last four digits of the phone, and rates it
-- (评单) once it is resolved. Nobody is signed in, so row-level security has no user to go by: the
-- three things a resident may do are SECURITY DEFINER functions with a fixed search_path, EXECUTE
-- for grid_app, each checking what it needs itself (the point in a grid, a leaf category, the code
-- with the phone's tail, the state machine through request_transition()).
-- The resident is no user: the report and the evaluation are events with actor_id NULL and
-- payload.by = 'resident'. Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

ALTER TABLE requests DROP CONSTRAINT requests_channel_check;
ALTER TABLE requests ADD CONSTRAINT requests_channel_check
  CHECK (channel IN ('grid', 'door_knock', 'hotline_12345', 'petition', 'snapshot', 'visit', 'whistle', 'open311', 'resident'));

-- One row per resident report: its tracking code and the phone's last four digits (the phone
-- itself is requests.reporter_phone, masked for staff as every reporter's is, 0007).
CREATE TABLE resident_tickets (
  request_id    bigint PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
  tracking_code text NOT NULL UNIQUE CHECK (tracking_code ~ '^[2-9A-HJKMNP-Z]{10}$'),
  phone_tail    text NOT NULL CHECK (phone_tail ~ '^[0-9]{4}$'),
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- 验证题 nonces already answered: a solved question is good for one report only.
CREATE TABLE resident_challenge_nonces (
  nonce      text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX resident_challenge_nonces_expiry_idx ON resident_challenge_nonces (expires_at);

ALTER TABLE resident_tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE resident_challenge_nonces ENABLE ROW LEVEL SECURITY;
-- the default privileges of 0007 granted these to grid_app: only the functions below touch them
REVOKE ALL ON resident_tickets, resident_challenge_nonces FROM grid_app;

-- The key the server signs 验证题 with: derived from auth_secret (0011), never the secret itself.
CREATE FUNCTION resident_challenge_key() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT encode(sha256(convert_to((SELECT secret FROM auth_secret) || '|resident-challenge', 'UTF8')), 'hex')
$$;

-- A report: the request (channel 'resident', status reported, in the grid containing the point),
-- its 'report' event, its photos (files the server already wrote) and its ticket, with the
-- challenge's nonce recorded in the same transaction: a replayed nonce (GL409) writes nothing.
-- p_id and p_code come from the server (requestCode() in src/lib/domain/workflow.ts is the one rule).
CREATE FUNCTION resident_report(
  p_id bigint, p_code text, p_tracking text, p_phone text, p_category text, p_title text, p_description text,
  p_lon float8, p_lat float8, p_address text, p_photos jsonb, p_nonce text, p_nonce_expires timestamptz, p_at timestamptz
) RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  v_grid text;
  v_event bigint;
  v_photo jsonb;
BEGIN
  -- expired nonces can never be replayed (the token's expiry is signed): about one call in fifty sweeps them
  IF random() < 0.02 THEN
    DELETE FROM resident_challenge_nonces WHERE expires_at < p_at;
  END IF;
  INSERT INTO resident_challenge_nonces (nonce, expires_at) VALUES (p_nonce, p_nonce_expires) ON CONFLICT (nonce) DO NOTHING;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = '这道验证题已经用过了，请重新答题后再提交';
  END IF;
  SELECT code INTO v_grid FROM grids
   WHERE valid_to IS NULL AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326)) ORDER BY code LIMIT 1;
  IF v_grid IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '所选位置不在本区任何网格内';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM categories c WHERE c.code = p_category
                  AND NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_code = c.code)
                  AND split_part(c.code, '.', 1) NOT IN ('dispute', 'wish')) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = format('没有这个问题类别：%s', p_category);
  END IF;
  IF coalesce(jsonb_array_length(p_photos), 0) > 3 THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = '照片最多 3 张';
  END IF;
  INSERT INTO requests (id, code, kind, category_code, channel, status, priority, title, description, grid_code,
    reporter_phone, address, photo_path, reported_at, details, created_by, geom)
  VALUES (p_id, p_code, 'request', p_category, 'resident', 'reported', 'normal', p_title, p_description, v_grid,
    p_phone, p_address, p_photos->0->>'path', p_at, '{}', NULL, ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326));
  INSERT INTO request_events (request_id, from_status, to_status, action, actor_id, at, reason, payload)
  VALUES (p_id, NULL, 'reported', 'report', NULL, p_at, '网上点单', '{"channel": "resident", "by": "resident"}')
  RETURNING id INTO v_event;
  FOR v_photo IN SELECT * FROM jsonb_array_elements(coalesce(p_photos, '[]')) LOOP
    INSERT INTO request_photos (request_id, event_id, kind, path, type, bytes, created_by)
    VALUES (p_id, v_event, 'report', v_photo->>'path', v_photo->>'type', (v_photo->>'bytes')::int, NULL);
  END LOOP;
  INSERT INTO resident_tickets (request_id, tracking_code, phone_tail) VALUES (p_id, p_tracking, resident_phone_tail(p_phone));
  RETURN v_grid;
END $$;

-- 手机尾号: the last four digits of a phone (phoneTail() in src/lib/domain/resident.ts says the same).
CREATE FUNCTION resident_phone_tail(p_phone text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT right(regexp_replace(p_phone, '\D', '', 'g'), 4)
$$;

-- The request behind a code and a phone tail, or NULL: the one door to a resident's case.
CREATE FUNCTION resident_ticket_request(p_tracking text, p_tail text) RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT request_id FROM resident_tickets WHERE tracking_code = p_tracking AND phone_tail = p_tail
$$;

-- What the follow page shows, or NULL when the code and tail do not match: the status, the
-- deadlines, the department (a unit, never a person), the phone masked, and the timeline's
-- actions with their units and times — no staff names, no reasons typed by staff.
CREATE FUNCTION resident_follow(p_tracking text, p_tail text) RETURNS jsonb
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT jsonb_build_object(
    'code', r.code, 'status', r.status, 'version', r.version, 'category', c.name, 'parentCategory', pc.name,
    'description', r.description, 'address', r.address, 'gridName', g.name, 'department', d.name,
    'phone', pii_mask_phone(r.reporter_phone), 'reportedAt', r.reported_at, 'acceptDeadline', r.accept_deadline,
    'resolveDeadline', r.resolve_deadline, 'resolvedAt', r.resolved_at, 'satisfaction', r.satisfaction, 'solved', r.solved,
    'photos', (SELECT count(*) FROM request_photos p WHERE p.request_id = r.id AND p.kind = 'report'),
    'events', (SELECT coalesce(jsonb_agg(jsonb_build_object('action', e.action, 'to', e.to_status, 'at', e.at,
                 'department', ed.name, 'byResident', e.payload->>'by' = 'resident') ORDER BY e.at, e.id), '[]')
               FROM request_events e LEFT JOIN departments ed ON ed.id = e.department_id WHERE e.request_id = r.id))
  FROM resident_tickets t JOIN requests r ON r.id = t.request_id JOIN categories c ON c.code = r.category_code
  LEFT JOIN categories pc ON pc.code = c.parent_code JOIN grids g ON g.code = r.grid_code
  LEFT JOIN departments d ON d.id = r.department_id
  WHERE t.tracking_code = p_tracking AND t.phone_tail = p_tail
$$;

-- 评单 by the resident: the workflow's own evaluate move (request_transition(), 0013), so the KPIs
-- count it exactly like a staff evaluation; actor NULL, payload.by = 'resident'. The state machine
-- allows it from 已办结 only, so a resolution is rated once (a 返工 and a new 办结 may be rated again).
CREATE FUNCTION resident_evaluate(p_tracking text, p_tail text, p_version int, p_satisfaction text, p_solved boolean, p_at timestamptz)
  RETURNS int LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  v_id bigint := resident_ticket_request(p_tracking, p_tail);
BEGIN
  IF v_id IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'GL404', MESSAGE = '跟踪码或手机尾号不对';
  END IF;
  RETURN request_transition(v_id, 'evaluate', p_version, NULL, NULL, p_at, '群众评单', NULL,
    jsonb_build_object('satisfaction', p_satisfaction, 'solved', p_solved, 'by', 'resident'));
END $$;

REVOKE ALL ON FUNCTION resident_challenge_key(), resident_report(bigint, text, text, text, text, text, text, float8, float8, text, jsonb, text, timestamptz, timestamptz),
  resident_ticket_request(text, text), resident_follow(text, text), resident_evaluate(text, text, int, text, boolean, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION resident_challenge_key(), resident_report(bigint, text, text, text, text, text, text, float8, float8, text, jsonb, text, timestamptz, timestamptz),
  resident_ticket_request(text, text), resident_follow(text, text), resident_evaluate(text, text, int, text, boolean, timestamptz) TO grid_app;
