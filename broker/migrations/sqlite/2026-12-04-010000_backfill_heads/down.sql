-- Empties the heads filled by up.sql (the tables themselves belong to the previous migration).
DELETE FROM pact_heads;
DELETE FROM version_heads;
