-- One database per department, created when the PostgreSQL volume is first initialised.
-- Planned departments: uncomment with their block in docker-compose.yml (on an existing
-- volume, run the line by hand with psql).
CREATE DATABASE canvass;
CREATE DATABASE operations_center;
CREATE DATABASE enterprise_reopening;
CREATE DATABASE policy_relief;
CREATE DATABASE traveller_health;
