-- 0006: live events for the big screen (大屏). Triggers on requests, whistle_summons and hazards
-- append one row to live_events and NOTIFY 'live' with the same JSON, so every writer (the app, a
-- hand-written INSERT, an import) reaches the screens. The id is the SSE event id: a screen that
-- reconnects asks for what came after the last id it saw, replayed from this table.
-- Payloads carry ids, codes, categories, grid codes, statuses and a point rounded to 4 decimals
-- (~10 m): never a name, phone, address, title or description.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

CREATE TABLE live_events (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  -- request 新诉求, status 状态变化, whistle 吹哨, checkin 报到, hazard 隐患
  kind    text NOT NULL CHECK (kind IN ('request', 'status', 'whistle', 'checkin', 'hazard')),
  payload jsonb NOT NULL
);
CREATE INDEX live_events_at_idx ON live_events (at);

-- Rows older than this when written are history (a bulk load, an import of last year), not news.
CREATE FUNCTION live_is_recent(t timestamptz) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT t IS NULL OR t > now() - interval '1 hour'
$$;

CREATE FUNCTION live_publish(p_kind text, p_payload jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
  v_at timestamptz;
BEGIN
  INSERT INTO live_events (kind, payload) VALUES (p_kind, p_payload) RETURNING id, at INTO v_id, v_at;
  PERFORM pg_notify('live', (jsonb_build_object('id', v_id, 'at', v_at, 'kind', p_kind) || p_payload)::text);
END $$;

CREATE FUNCTION live_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NOT live_is_recent(NEW.reported_at) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NULL;
  END IF;
  PERFORM live_publish(CASE TG_OP WHEN 'INSERT' THEN 'request' ELSE 'status' END, jsonb_build_object(
    'rid', NEW.id, 'code', NEW.code, 'cat', NEW.category_code,
    'catName', (SELECT coalesce(p.name || '/', '') || c.name FROM categories c LEFT JOIN categories p ON p.code = c.parent_code WHERE c.code = NEW.category_code),
    'grid', NEW.grid_code, 'status', NEW.status,
    'from', CASE TG_OP WHEN 'UPDATE' THEN OLD.status END,
    'priority', NEW.priority, 'channel', NEW.channel, 'dept', NEW.department_id,
    'lon', round(ST_X(NEW.geom)::numeric, 4), 'lat', round(ST_Y(NEW.geom)::numeric, 4)));
  RETURN NULL;
END $$;
CREATE TRIGGER requests_live AFTER INSERT OR UPDATE OF status ON requests
  FOR EACH ROW EXECUTE FUNCTION live_requests();

CREATE FUNCTION live_whistles() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_grid text;
BEGIN
  IF TG_OP = 'INSERT' AND NOT live_is_recent(NEW.summoned_at) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND NOT (OLD.reported_at IS NULL AND NEW.reported_at IS NOT NULL) THEN
    RETURN NULL;
  END IF;
  SELECT grid_code INTO v_grid FROM requests WHERE id = NEW.request_id;
  PERFORM live_publish(CASE TG_OP WHEN 'INSERT' THEN 'whistle' ELSE 'checkin' END, jsonb_build_object(
    'rid', NEW.request_id, 'dept', NEW.department_id, 'grid', v_grid, 'deadline', NEW.deadline));
  RETURN NULL;
END $$;
CREATE TRIGGER whistle_summons_live AFTER INSERT OR UPDATE OF reported_at ON whistle_summons
  FOR EACH ROW EXECUTE FUNCTION live_whistles();

CREATE FUNCTION live_hazards() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NOT live_is_recent(NEW.found_at) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NULL;
  END IF;
  PERFORM live_publish('hazard', jsonb_build_object(
    'hid', NEW.id, 'type', NEW.type, 'severity', NEW.severity, 'status', NEW.status, 'grid', NEW.grid_code,
    'deadline', NEW.rectify_deadline,
    'lon', round(ST_X(NEW.geom)::numeric, 4), 'lat', round(ST_Y(NEW.geom)::numeric, 4)));
  RETURN NULL;
END $$;
CREATE TRIGGER hazards_live AFTER INSERT OR UPDATE OF status ON hazards
  FOR EACH ROW EXECUTE FUNCTION live_hazards();
