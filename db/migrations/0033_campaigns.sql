-- 专项行动 (campaigns, issue 19): an admin or a leader defines a time-boxed sweep over streets,
-- communities or grids with a yes/no checklist; grid workers check the area's households against
-- it (from the phone, through the offline outbox: idempotency_key); each "否" creates a hazard
-- through the ordinary report path, linked here by hazards.campaign_check_id, so it runs the
-- existing 交办→整改→复查→销号 loop. The rules are src/lib/domain/campaign.ts's, kept here too so
-- no writer gets past them. Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).

-- checklist: [{question, hazardType}], 3–12 items (CHECKLIST_MIN/MAX); hazard types as HAZARD_TYPES
CREATE FUNCTION campaign_checklist_ok(p jsonb, p_types text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_typeof(p) = 'array' AND jsonb_array_length(p) BETWEEN 3 AND 12
    AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p) e
                    WHERE jsonb_typeof(e) <> 'object' OR jsonb_typeof(e -> 'question') <> 'string'
                       OR length(btrim(e ->> 'question')) NOT BETWEEN 1 AND 60
                       OR NOT ((e ->> 'hazardType') = ANY (p_types)))
$$;

CREATE TABLE campaigns (
  id            serial PRIMARY KEY,
  name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 40),
  -- Beijing dates, both included
  starts_on     date NOT NULL,
  ends_on       date NOT NULL,
  -- street (9), community (12) or grid (15) codes; a household is a target when its grid starts with one
  area_codes    text[] NOT NULL CHECK (cardinality(area_codes) BETWEEN 1 AND 30 AND array_position(area_codes, NULL) IS NULL),
  hazard_types  text[] NOT NULL CHECK (cardinality(hazard_types) >= 1
                  AND hazard_types <@ ARRAY['fire_access', 'gas', 'dilapidated', 'flooding', 'road', 'e_bike', 'other']::text[]),
  target        text NOT NULL DEFAULT 'household' CHECK (target IN ('household')),
  checklist     jsonb NOT NULL,
  -- 提前结束: set once by whoever ends it early; no check is recorded after it
  ended_at      timestamptz,
  created_by    int REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on >= starts_on AND ends_on - starts_on < 366),
  CHECK (campaign_checklist_ok(checklist, hazard_types))
);

-- 排查记录: one per household and campaign (a second worker at the same door is told it is done)
CREATE TABLE campaign_checks (
  id              bigserial PRIMARY KEY,
  campaign_id     int NOT NULL REFERENCES campaigns(id),
  household_id    int NOT NULL REFERENCES households(id),
  -- the household's grid when checked (set by the guard below, whatever the writer sent)
  grid_code       text NOT NULL REFERENCES grids(code),
  worker_id       int NOT NULL REFERENCES users(id),
  checked_at      timestamptz NOT NULL,
  -- one boolean per checklist item, in its order: true 是 (合格), false 否 (a finding)
  answers         jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'array'),
  -- how many "否": set by the guard, so the dashboard counts findings without reading answers
  failed          smallint NOT NULL DEFAULT 0 CHECK (failed >= 0),
  notes           text CHECK (notes IS NULL OR (btrim(notes) <> '' AND length(notes) <= 300)),
  idempotency_key text CONSTRAINT campaign_checks_idempotency_key UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT campaign_checks_once UNIQUE (campaign_id, household_id)
);
CREATE INDEX campaign_checks_grid_idx ON campaign_checks (campaign_id, grid_code);

-- the hazard a "否" found (its campaign through the check)
ALTER TABLE hazards ADD COLUMN campaign_check_id bigint REFERENCES campaign_checks(id);
CREATE INDEX hazards_campaign_check_idx ON hazards (campaign_check_id) WHERE campaign_check_id IS NOT NULL;

-- A check is for a campaign running on its Beijing day, at a household of the campaign's area,
-- and answers every item of its checklist. SECURITY DEFINER: the household's grid is read whoever
-- writes (row-level security on campaign_checks then decides whether that grid is the writer's).
CREATE FUNCTION campaign_checks_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  c record;
  v_grid text;
  v_day date := (NEW.checked_at AT TIME ZONE 'Asia/Shanghai')::date;
BEGIN
  SELECT name, starts_on, ends_on, ended_at, area_codes, checklist INTO c FROM campaigns WHERE id = NEW.campaign_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'GL404', MESSAGE = format('专项行动 %s 不存在', NEW.campaign_id);
  END IF;
  IF v_day < c.starts_on OR v_day > c.ends_on OR (c.ended_at IS NOT NULL AND NEW.checked_at > c.ended_at) THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422',
      MESSAGE = format('专项行动“%s”的期限是 %s 至 %s%s，%s 不在其中', c.name, c.starts_on, c.ends_on,
                       CASE WHEN c.ended_at IS NULL THEN '' ELSE '（已提前结束）' END, v_day);
  END IF;
  SELECT grid_code INTO v_grid FROM households WHERE id = NEW.household_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'GL404', MESSAGE = format('住户 %s 不存在', NEW.household_id);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM unnest(c.area_codes) a WHERE v_grid LIKE a || '%') THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422', MESSAGE = format('该住户（网格 %s）不在专项行动“%s”的范围内', v_grid, c.name);
  END IF;
  IF jsonb_typeof(NEW.answers) <> 'array' OR jsonb_array_length(NEW.answers) <> jsonb_array_length(c.checklist)
     OR EXISTS (SELECT 1 FROM jsonb_array_elements(NEW.answers) a WHERE jsonb_typeof(a) <> 'boolean') THEN
    RAISE EXCEPTION USING ERRCODE = 'GL422',
      MESSAGE = format('专项行动“%s”有 %s 个检查项，须逐项回答是或否', c.name, jsonb_array_length(c.checklist));
  END IF;
  NEW.grid_code := v_grid;
  NEW.failed := (SELECT count(*) FROM jsonb_array_elements(NEW.answers) a WHERE a = 'false'::jsonb);
  RETURN NEW;
END $$;
CREATE TRIGGER campaign_checks_guard BEFORE INSERT ON campaign_checks
  FOR EACH ROW EXECUTE FUNCTION campaign_checks_guard();

-- ── row-level security ──────────────────────────────────────────────────────────────────────
-- campaigns are no one's personal data: every signed-in user reads them (the phone lists the ones
-- running in its grids). Admins define them anywhere, leaders inside their jurisdiction only.
ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaigns_read ON campaigns FOR SELECT USING ((SELECT app_user_id()) IS NOT NULL);
CREATE POLICY campaigns_define ON campaigns FOR INSERT WITH CHECK (
  (SELECT app_may_write()) AND (SELECT app_user_role()) IN ('admin', 'leader')
  AND NOT EXISTS (SELECT 1 FROM unnest(area_codes) a WHERE a NOT LIKE (SELECT app_grid_prefix()) || '%'));
CREATE POLICY campaigns_edit ON campaigns FOR UPDATE USING (
  (SELECT app_may_write()) AND (SELECT app_user_role()) IN ('admin', 'leader')
  AND NOT EXISTS (SELECT 1 FROM unnest(area_codes) a WHERE a NOT LIKE (SELECT app_grid_prefix()) || '%'));
REVOKE DELETE, TRUNCATE ON campaigns FROM grid_app;
-- what a campaign asks and where is fixed once defined: checks answer that checklist
REVOKE UPDATE ON campaigns FROM grid_app;
GRANT SELECT, INSERT ON campaigns TO grid_app;
GRANT UPDATE (name, ends_on, ended_at, updated_at) ON campaigns TO grid_app;
GRANT USAGE, SELECT ON SEQUENCE campaigns_id_seq TO grid_app;

-- checks: read with the household (as door_knocks, 0007); written by the worker of that grid
-- (admins anywhere), as themselves; nobody changes or deletes one
ALTER TABLE campaign_checks ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_checks_read ON campaign_checks FOR SELECT USING (household_id IN (SELECT id FROM households));
CREATE POLICY campaign_checks_record ON campaign_checks FOR INSERT WITH CHECK (
  (SELECT app_may_write()) AND worker_id = (SELECT app_user_id())
  AND (grid_code = ANY ((SELECT app_grid_codes())::text[]) OR (SELECT app_is_admin())));
REVOKE UPDATE, DELETE, TRUNCATE ON campaign_checks FROM grid_app;
GRANT SELECT, INSERT ON campaign_checks TO grid_app;
GRANT USAGE, SELECT ON SEQUENCE campaign_checks_id_seq TO grid_app;
