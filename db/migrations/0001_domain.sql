-- 0001: the whole grid-governance domain, designed once for the open issues.
-- Runs unchanged on PostgreSQL 15 + PostGIS 3.3 and on PGlite (PostgreSQL 18 + PostGIS 3.6).
-- All geometry is EPSG:4326 (WGS84/CGCS2000, lon/lat degrees). Timestamps are timestamptz.

CREATE EXTENSION IF NOT EXISTS postgis;

-- Key/value facts about this database: seed status, data version, synthetic flag.
CREATE TABLE app_meta (
  key   text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- 行政区划: district (6-digit GB/T 2260 code) → street/town (+3) → community/village (+3).
CREATE TABLE areas (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3}){0,2}$'),
  level       text NOT NULL CHECK (level IN ('district', 'street', 'community')),
  name        text NOT NULL,
  parent_code text REFERENCES areas(code),
  -- urban core (街道/社区) or rural (镇/村): drives defaults and site diversity
  setting     text NOT NULL CHECK (setting IN ('urban', 'rural')),
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  label_point geometry(Point, 4326) NOT NULL,
  CHECK ((level = 'district') = (parent_code IS NULL)),
  CHECK (length(code) = CASE level WHEN 'district' THEN 6 WHEN 'street' THEN 9 ELSE 12 END)
);
CREATE INDEX areas_geom_idx ON areas USING gist (geom);
CREATE INDEX areas_parent_idx ON areas (parent_code);

CREATE TABLE departments (
  id    serial PRIMARY KEY,
  code  text NOT NULL UNIQUE,
  name  text NOT NULL,
  -- 职能部门 (functional) or 属地 (street/community office)
  kind  text NOT NULL DEFAULT 'functional' CHECK (kind IN ('functional', 'territorial'))
);

-- Everyone who signs in, including the read-only big-screen credential.
CREATE TABLE users (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'leader', 'grid_manager', 'department_staff', 'mediator', 'screen')),
  title         text,               -- 职务, e.g. 区委书记
  department_id int REFERENCES departments(id),
  phone         text,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- 网格: 15-digit code = community (12) + 3, numbered west→east, north→south.
CREATE TABLE grids (
  code           text PRIMARY KEY CHECK (code ~ '^[0-9]{15}$'),
  community_code text NOT NULL REFERENCES areas(code),
  name           text NOT NULL,
  manager_id     int REFERENCES users(id),
  geom           geometry(MultiPolygon, 4326) NOT NULL,
  label_point    geometry(Point, 4326) NOT NULL,
  CHECK (left(code, 12) = community_code)
);
CREATE INDEX grids_geom_idx ON grids USING gist (geom);
CREATE INDEX grids_community_idx ON grids (community_code);
CREATE INDEX grids_manager_idx ON grids (manager_id);

-- 居民楼/院落: compounds in town, houses in villages. Households sit in buildings.
CREATE TABLE buildings (
  id        serial PRIMARY KEY,
  grid_code text NOT NULL REFERENCES grids(code),
  name      text NOT NULL,          -- 小区+楼栋 or 村民组+门牌
  kind      text NOT NULL CHECK (kind IN ('apartment', 'house')),
  floors    smallint NOT NULL DEFAULT 1 CHECK (floors > 0),
  geom      geometry(Point, 4326) NOT NULL
);
CREATE INDEX buildings_geom_idx ON buildings USING gist (geom);
CREATE INDEX buildings_grid_idx ON buildings (grid_code);

-- 户. Names, phones and ID numbers are stored whole and masked on the way out.
CREATE TABLE households (
  id            serial PRIMARY KEY,
  building_id   int NOT NULL REFERENCES buildings(id),
  grid_code     text NOT NULL REFERENCES grids(code),
  address       text NOT NULL,
  head_name     text NOT NULL,
  phone         text,
  id_number     text,
  size          smallint NOT NULL CHECK (size BETWEEN 1 AND 20),
  -- vulnerable groups: elderly_alone 独居老人, low_income 低保, disabled 残疾, left_behind_child 留守儿童
  tags          text[] NOT NULL DEFAULT '{}',
  last_visit_at timestamptz,        -- latest 敲门行动 visit, kept in step with door_knocks
  geom          geometry(Point, 4326) NOT NULL
);
CREATE INDEX households_geom_idx ON households USING gist (geom);
CREATE INDEX households_grid_idx ON households (grid_code);
CREATE INDEX households_last_visit_idx ON households (grid_code, last_visit_at);

-- 敲门行动 history.
CREATE TABLE door_knocks (
  id           bigserial PRIMARY KEY,
  household_id int NOT NULL REFERENCES households(id),
  visitor_id   int REFERENCES users(id),
  visited_at   timestamptz NOT NULL,
  note         text
);
CREATE INDEX door_knocks_household_idx ON door_knocks (household_id, visited_at DESC);

-- 隐患 with its rectification (整改) and re-inspection (复查) dates.
CREATE TABLE hazards (
  id                  serial PRIMARY KEY,
  code                text NOT NULL UNIQUE,
  type                text NOT NULL,     -- fire_access, gas, dilapidated, flooding, road, e_bike, other
  severity            smallint NOT NULL CHECK (severity BETWEEN 1 AND 4), -- 1 一般 … 4 重大
  status              text NOT NULL CHECK (status IN ('open', 'rectifying', 'rectified', 'verified')),
  title               text NOT NULL,
  grid_code           text NOT NULL REFERENCES grids(code),
  building_id         int REFERENCES buildings(id),
  found_at            timestamptz NOT NULL,
  rectify_deadline    timestamptz NOT NULL,
  rectified_at        timestamptz,
  reinspect_deadline  timestamptz,
  reinspected_at      timestamptz,
  geom                geometry(Point, 4326) NOT NULL,
  CHECK (rectified_at IS NULL OR rectified_at >= found_at),
  CHECK (reinspected_at IS NULL OR rectified_at IS NOT NULL)
);
CREATE INDEX hazards_geom_idx ON hazards USING gist (geom);
CREATE INDEX hazards_grid_idx ON hazards (grid_code, status);

-- 诉求类别 (大类/小类). Deadlines live in deadline_rules.
CREATE TABLE categories (
  code          text PRIMARY KEY,
  parent_code   text REFERENCES categories(code),
  name          text NOT NULL,
  -- consult 咨询, complaint 投诉, request 求助/报修, suggestion 建议
  nature        text NOT NULL DEFAULT 'request' CHECK (nature IN ('consult', 'complaint', 'request', 'suggestion')),
  department_id int REFERENCES departments(id)
);

-- 时限 per category and priority, in working days (吹哨报到 in hours).
CREATE TABLE deadline_rules (
  category_code        text NOT NULL REFERENCES categories(code),
  priority             text NOT NULL CHECK (priority IN ('normal', 'urgent')),
  accept_working_days  numeric(4,1) NOT NULL CHECK (accept_working_days > 0),
  resolve_working_days numeric(4,1) NOT NULL CHECK (resolve_working_days > 0),
  whistle_report_hours int NOT NULL DEFAULT 24 CHECK (whistle_report_hours > 0),
  PRIMARY KEY (category_code, priority)
);

-- 诉求/事件, and the request-shaped things: 信访 petitions (包案 leader), 矛盾纠纷 disputes
-- (mediator), 微心愿 wishes. A timestamp per stage; `version` for optimistic concurrency.
CREATE TABLE requests (
  id               bigserial PRIMARY KEY,
  code             text NOT NULL UNIQUE,
  kind             text NOT NULL DEFAULT 'request' CHECK (kind IN ('request', 'petition', 'dispute', 'wish')),
  category_code    text NOT NULL REFERENCES categories(code),
  channel          text NOT NULL CHECK (channel IN ('grid', 'door_knock', 'hotline_12345', 'petition', 'snapshot', 'visit', 'whistle')),
  status           text NOT NULL CHECK (status IN ('reported', 'dispatched', 'accepted', 'resolved', 'evaluated', 'closed', 'returned', 'escalated', 'reopened')),
  priority         text NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'urgent')),
  title            text NOT NULL,
  description      text NOT NULL DEFAULT '',
  grid_code        text NOT NULL REFERENCES grids(code),
  department_id    int REFERENCES departments(id),
  household_id     int REFERENCES households(id),
  reporter_name    text,
  reporter_phone   text,
  address          text,
  photo_path       text,
  reported_at      timestamptz NOT NULL,
  dispatched_at    timestamptz,
  accepted_at      timestamptz,
  resolved_at      timestamptz,
  evaluated_at     timestamptz,
  closed_at        timestamptz,
  accept_deadline  timestamptz,
  resolve_deadline timestamptz,
  satisfaction     text CHECK (satisfaction IN ('satisfied', 'basic', 'unsatisfied')),
  solved           boolean,
  reopen_count     smallint NOT NULL DEFAULT 0,
  leader_id        int REFERENCES users(id),   -- 信访包案领导
  mediator_id      int REFERENCES users(id),   -- 矛调 mediator
  visit_id         bigint,                     -- the visit that found it (FK added below)
  details          jsonb NOT NULL DEFAULT '{}',
  version          int NOT NULL DEFAULT 1,
  created_by       int REFERENCES users(id),
  geom             geometry(Point, 4326) NOT NULL,
  CHECK ((satisfaction IS NULL) = (evaluated_at IS NULL))
);
CREATE INDEX requests_geom_idx ON requests USING gist (geom);
CREATE INDEX requests_grid_status_idx ON requests (grid_code, status);
CREATE INDEX requests_dept_status_idx ON requests (department_id, status);
CREATE INDEX requests_reported_idx ON requests (reported_at);
CREATE INDEX requests_category_idx ON requests (category_code, reported_at);
-- open requests are few and hot: the map, queues and overdue counts read them
CREATE INDEX requests_open_idx ON requests (resolve_deadline) WHERE status NOT IN ('closed', 'evaluated', 'resolved');

-- Append-only history of every transition: who, when, why.
CREATE TABLE request_events (
  id              bigserial PRIMARY KEY,
  request_id      bigint NOT NULL REFERENCES requests(id),
  from_status     text,
  to_status       text NOT NULL,
  action          text NOT NULL,
  actor_id        int REFERENCES users(id),
  department_id   int REFERENCES departments(id),
  at              timestamptz NOT NULL,
  reason          text,
  idempotency_key text UNIQUE,
  payload         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX request_events_request_idx ON request_events (request_id, at);

CREATE FUNCTION request_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'request_events is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER request_events_no_update BEFORE UPDATE OR DELETE ON request_events
  FOR EACH ROW EXECUTE FUNCTION request_events_append_only();

-- 吹哨报到: each summoned department must report (报到) before its deadline.
CREATE TABLE whistle_summons (
  request_id    bigint NOT NULL REFERENCES requests(id),
  department_id int NOT NULL REFERENCES departments(id),
  summoned_at   timestamptz NOT NULL,
  deadline      timestamptz NOT NULL,
  reported_at   timestamptz,
  reported_by   int REFERENCES users(id),
  PRIMARY KEY (request_id, department_id)
);

-- 包联: a leader's paired communities/villages, key projects and enterprises.
CREATE TABLE leader_pairings (
  id          serial PRIMARY KEY,
  leader_id   int NOT NULL REFERENCES users(id),
  target_kind text NOT NULL CHECK (target_kind IN ('area', 'project', 'enterprise')),
  area_code   text REFERENCES areas(code),
  name        text NOT NULL,
  geom        geometry(Point, 4326),
  CHECK ((target_kind = 'area') = (area_code IS NOT NULL))
);
CREATE INDEX leader_pairings_leader_idx ON leader_pairings (leader_id);

-- Grid managers and department staff may see only their own areas.
CREATE TABLE user_grids (
  user_id   int NOT NULL REFERENCES users(id),
  grid_code text NOT NULL REFERENCES grids(code),
  PRIMARY KEY (user_id, grid_code)
);

-- 调研课题: a saved 解剖麻雀 selection, handed to the visit planner.
CREATE TABLE research_plans (
  id         bigserial PRIMARY KEY,
  leader_id  int NOT NULL REFERENCES users(id),
  topic      text NOT NULL,
  notes      text NOT NULL DEFAULT '',
  weights    jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE research_plan_sites (
  plan_id   bigint NOT NULL REFERENCES research_plans(id),
  seq       smallint NOT NULL,
  grid_code text NOT NULL REFERENCES grids(code),
  role      text NOT NULL DEFAULT 'study' CHECK (role IN ('study', 'contrast')),
  reason    text NOT NULL,
  PRIMARY KEY (plan_id, seq)
);

-- 走访: 四下基层 visit types; unannounced (四不两直) plans are hidden from the places visited.
CREATE TABLE visits (
  id          bigserial PRIMARY KEY,
  leader_id   int NOT NULL REFERENCES users(id),
  plan_id     bigint REFERENCES research_plans(id),
  title       text NOT NULL,
  visit_type  text NOT NULL CHECK (visit_type IN ('publicity', 'research', 'petition_reception', 'onsite_office')),
  unannounced boolean NOT NULL DEFAULT false,
  status      text NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
  planned_date date NOT NULL,
  started_at  timestamptz,
  finished_at timestamptz,
  route       geometry(LineString, 4326),
  plan        jsonb NOT NULL DEFAULT '{}',  -- planner inputs and outputs (times, assumptions)
  findings    text NOT NULL DEFAULT '',
  decisions   text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visits_leader_idx ON visits (leader_id, planned_date);

CREATE TABLE visit_stops (
  visit_id    bigint NOT NULL REFERENCES visits(id),
  seq         smallint NOT NULL,
  grid_code   text REFERENCES grids(code),
  area_code   text REFERENCES areas(code),
  name        text NOT NULL,
  purpose     text NOT NULL DEFAULT '',
  must_visit  boolean NOT NULL DEFAULT true,
  dwell_min   smallint NOT NULL DEFAULT 30 CHECK (dwell_min >= 0),
  window_start timestamptz,
  window_end   timestamptz,
  arrive_at   timestamptz,
  depart_at   timestamptz,
  geom        geometry(Point, 4326) NOT NULL,
  PRIMARY KEY (visit_id, seq)
);
CREATE INDEX visit_stops_grid_idx ON visit_stops (grid_code);

ALTER TABLE requests ADD CONSTRAINT requests_visit_fk FOREIGN KEY (visit_id) REFERENCES visits(id);
CREATE INDEX requests_visit_idx ON requests (visit_id) WHERE visit_id IS NOT NULL;

-- Every unmasking of personal data is logged.
CREATE TABLE pii_access_log (
  id           bigserial PRIMARY KEY,
  user_id      int REFERENCES users(id),
  household_id int REFERENCES households(id),
  fields       text[] NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  reason       text
);

-- The offline base map, drawn from the district's own data: land, water, roads, labels.
CREATE TABLE basemap_features (
  id    serial PRIMARY KEY,
  kind  text NOT NULL CHECK (kind IN ('land', 'water', 'river', 'road_arterial', 'road_local', 'park', 'place')),
  name  text,
  geom  geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX basemap_features_geom_idx ON basemap_features USING gist (geom);
