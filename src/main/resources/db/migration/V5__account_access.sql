-- Access facts (issue #15): what an account may do on its platform, for access reviews. Added as columns, so a
-- database written before keeps its rows; they read as "no access facts shown" (all null) until the account
-- is observed again. Lists (roles, tags) are JSON arrays of strings: a tag may hold a comma.
ALTER TABLE accounts ADD COLUMN access_type VARCHAR(100);
ALTER TABLE accounts ADD COLUMN access_owner BOOLEAN;
ALTER TABLE accounts ADD COLUMN access_roles VARCHAR(65535);
ALTER TABLE accounts ADD COLUMN access_state VARCHAR(100);
ALTER TABLE accounts ADD COLUMN access_tags VARCHAR(65535);
ALTER TABLE accounts ADD COLUMN access_group VARCHAR(200);
