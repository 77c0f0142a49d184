-- 0015: buildings on the base map at street zoom (issue 16). Building tiles (/api/map/buildings)
-- carry each building's household count, and their cache keys need a version of the buildings.
-- 1. A write counter for buildings, as 0009 keeps for households, hazards and requests (bumped by
--    the SECURITY DEFINER trigger of 0009, so grid_app needs no right on it).
CREATE SEQUENCE data_version_buildings;
CREATE TRIGGER buildings_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON buildings
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('data_version_buildings');

-- 2. Households per building: a tile of ~300 buildings counts each one's households. Without an
--    index on the foreign key each count scanned the whole households table.
CREATE INDEX households_building_idx ON households (building_id);
