-- 信访 run as a process (issue 20): a petition case (requests.kind = 'petition', its 包案 leader in
-- requests.leader_id since 0001) now has
--   * 接访日: the days a leader receives petitioners, when and where (petition_reception_days);
--   * 约访 / 下访 / 回访: each contact with the petitioner, recorded on the case (petition_contacts);
--   * 息访协议: the petitioner's agreement that ends the case (petition_agreements), recorded once the
--     petitioner has rated the outcome 满意 or 基本满意 — the same condition 化解率 counts (domain/kpi.ts).
-- Who writes: the case's 包案 leader, its mediator, any 矛调 (mediator) account and admins; a leader's
-- reception days by the leader themself, mediators and admins. Reading follows the case (requests RLS).

-- ── 接访日 ──────────────────────────────────────────────────────────────────────────────────
CREATE TABLE petition_reception_days (
  id          bigserial PRIMARY KEY,
  leader_id   int NOT NULL REFERENCES users(id),
  day         date NOT NULL,
  starts_at   time NOT NULL,
  ends_at     time NOT NULL,
  place       text NOT NULL CHECK (length(btrim(place)) BETWEEN 1 AND 100),
  note        text CHECK (note IS NULL OR length(note) <= 300),
  cancelled   boolean NOT NULL DEFAULT false,
  created_by  int NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
-- one reception per leader and day and start (a double click adds nothing)
CREATE UNIQUE INDEX petition_reception_days_once ON petition_reception_days (leader_id, day, starts_at) WHERE NOT cancelled;
CREATE INDEX petition_reception_days_day_idx ON petition_reception_days (day);

-- ── 约访 / 下访 / 回访 ──────────────────────────────────────────────────────────────────────
CREATE TABLE petition_contacts (
  id           bigserial PRIMARY KEY,
  request_id   bigint NOT NULL REFERENCES requests(id),
  kind         text NOT NULL CHECK (kind IN ('appointment', 'home_visit', 'follow_up')),
  happened_on  date NOT NULL,
  note         text NOT NULL CHECK (length(btrim(note)) BETWEEN 1 AND 500),
  user_id      int NOT NULL REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX petition_contacts_request_idx ON petition_contacts (request_id, happened_on);

-- ── 息访协议 ────────────────────────────────────────────────────────────────────────────────
CREATE TABLE petition_agreements (
  request_id  bigint PRIMARY KEY REFERENCES requests(id),
  signed_on   date NOT NULL,
  terms       text NOT NULL CHECK (length(btrim(terms)) BETWEEN 1 AND 1000),
  user_id     int NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- May the signed-in user work on petition case p (its 包案 leader, its mediator, a 矛调 account, an admin)?
CREATE FUNCTION app_works_petition(p_request bigint) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_catalog AS $$
  SELECT app_may_write() AND coalesce(app_is_admin()
    OR EXISTS (SELECT 1 FROM users u WHERE u.id = app_user_id() AND u.active AND u.role = 'mediator')
    OR EXISTS (SELECT 1 FROM requests r WHERE r.id = p_request AND r.kind = 'petition'
                 AND (r.leader_id = app_user_id() OR r.mediator_id = app_user_id())), false)
    AND EXISTS (SELECT 1 FROM requests r WHERE r.id = p_request AND r.kind = 'petition')
$$;
REVOKE ALL ON FUNCTION app_works_petition(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_works_petition(bigint) TO grid_app;

-- A 息访协议 needs the petitioner's own rating 满意 or 基本满意 (evaluated, or already 销号 after it).
CREATE FUNCTION petition_agreement_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  -- named columns: grid_app may not read every column of requests (the reporter's, 0007)
  SELECT kind, status, satisfaction INTO r FROM requests WHERE id = NEW.request_id;
  IF r.kind IS DISTINCT FROM 'petition' THEN
    RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = '只有信访件可以签订息访协议';
  END IF;
  IF r.status NOT IN ('evaluated', 'closed') OR r.satisfaction IS NULL OR r.satisfaction NOT IN ('satisfied', 'basic') THEN
    RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = '信访人评价为满意或基本满意后才能签订息访协议';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER petition_agreements_check BEFORE INSERT OR UPDATE ON petition_agreements
  FOR EACH ROW EXECUTE FUNCTION petition_agreement_check();

ALTER TABLE petition_reception_days ENABLE ROW LEVEL SECURITY;
CREATE POLICY petition_reception_days_read ON petition_reception_days FOR SELECT USING (true);
CREATE POLICY petition_reception_days_write ON petition_reception_days FOR INSERT WITH CHECK ((SELECT app_may_write()) AND (
  leader_id = (SELECT app_user_id()) OR (SELECT app_is_admin())
  OR EXISTS (SELECT 1 FROM users u WHERE u.id = (SELECT app_user_id()) AND u.role = 'mediator')));
CREATE POLICY petition_reception_days_change ON petition_reception_days FOR UPDATE USING ((SELECT app_may_write()) AND (
  leader_id = (SELECT app_user_id()) OR (SELECT app_is_admin())
  OR EXISTS (SELECT 1 FROM users u WHERE u.id = (SELECT app_user_id()) AND u.role = 'mediator')));

ALTER TABLE petition_contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY petition_contacts_read ON petition_contacts FOR SELECT USING (EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
-- app_works_petition reads past RLS; the EXISTS (under the writer's own RLS) keeps the case one they can see
CREATE POLICY petition_contacts_write ON petition_contacts FOR INSERT WITH CHECK (user_id = (SELECT app_user_id())
  AND app_works_petition(request_id) AND EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));

ALTER TABLE petition_agreements ENABLE ROW LEVEL SECURITY;
CREATE POLICY petition_agreements_read ON petition_agreements FOR SELECT USING (EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
CREATE POLICY petition_agreements_write ON petition_agreements FOR INSERT WITH CHECK (user_id = (SELECT app_user_id())
  AND app_works_petition(request_id) AND EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));

GRANT SELECT, INSERT, UPDATE ON petition_reception_days TO grid_app;
GRANT SELECT, INSERT ON petition_contacts, petition_agreements TO grid_app;
GRANT USAGE, SELECT ON SEQUENCE petition_reception_days_id_seq, petition_contacts_id_seq TO grid_app;
