-- Row-level security of the tables that hang off households and requests, for a reader who sees
-- every grid (admin and the big screen: app_grid_prefix() = ''). `household_id IN (SELECT id FROM
-- households)` made PostgreSQL hash every household for each statement — all 1 000 000 of a city
-- for a ranking of one street's door-knocks — though such a reader sees every household anyway.
-- The first arm is an InitPlan, evaluated once per statement; when it holds, OR stops there and
-- the households are never read.
-- Everyone else is checked as before (0007, 0029).
ALTER POLICY door_knocks_scope ON door_knocks
  USING ((SELECT app_grid_prefix()) = '' OR household_id IN (SELECT id FROM households));
ALTER POLICY care_visits_scope ON care_visits
  USING ((SELECT app_grid_prefix()) = '' OR household_id IN (SELECT id FROM households));
-- every grid's requests: also every request (requests_read's first arm)
ALTER POLICY request_events_scope ON request_events
  USING ((SELECT app_grid_prefix()) = '' OR request_id IN (SELECT id FROM requests));
