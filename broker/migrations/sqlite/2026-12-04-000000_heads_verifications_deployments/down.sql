-- Reverses up.sql, children before parents.
DROP TABLE released_versions;
DROP TABLE deployed_versions;
DROP TABLE environments;
DROP TABLE verifications;
DROP TABLE version_heads;
DROP TABLE pact_heads;
