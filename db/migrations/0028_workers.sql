-- 0028: 网格员工作情况 (issue 20). A worker's reports are their request_events of action 'report'
-- (domain/workers.ts reportedBy) and their door-knocks door_knocks.visitor_id, both read per worker
-- and period; neither had an index, so a street's ranking read every event and every knock of the
-- district. Runs on PostgreSQL 15 + PostGIS 3.3 and PGlite (PostgreSQL 18).
CREATE INDEX request_events_report_idx ON request_events (actor_id, at) WHERE action = 'report';
CREATE INDEX door_knocks_visitor_idx ON door_knocks (visitor_id, visited_at);
