-- 0026: 网格员工作情况 (issue 20). A worker's reports are their request_events of action 'report'
-- and the requests they handled include those they accepted or resolved (domain/workers.ts); their
-- door-knocks are door_knocks.visitor_id. Read per worker and period, neither had an index: a
-- street's ranking scanned every event and every knock of the district.
-- Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).
CREATE INDEX request_events_actor_idx ON request_events (actor_id, action, at) WHERE actor_id IS NOT NULL;
CREATE INDEX door_knocks_visitor_idx ON door_knocks (visitor_id, visited_at) WHERE visitor_id IS NOT NULL;
