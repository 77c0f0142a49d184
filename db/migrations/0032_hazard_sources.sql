-- 隐患 from a request or a door-knock (issue 19, 发现 "from a door-knock, from a request"): a hazard
-- found while handling a citizen's request, or at a household on a 敲门 visit, names where it came
-- from, so both pages link to each other and nobody records it twice. Read under the hazard's RLS;
-- the server checks the reporter can see the request or household it names.
ALTER TABLE hazards
  ADD COLUMN source_request_id   bigint REFERENCES requests(id),
  ADD COLUMN source_household_id int REFERENCES households(id);
CREATE INDEX hazards_source_request_idx ON hazards (source_request_id) WHERE source_request_id IS NOT NULL;
