-- One database per department, created when the PostgreSQL volume is first initialised.
-- (A planned service adds its line here; on an existing volume run it by hand with psql.)
CREATE DATABASE canvass;
CREATE DATABASE operations_center;
-- CREATE DATABASE traveller_health;
-- CREATE DATABASE enterprise_reopening;
-- CREATE DATABASE policy_relief;
