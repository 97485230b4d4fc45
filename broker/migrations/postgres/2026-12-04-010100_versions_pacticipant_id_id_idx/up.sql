-- The latest version of a pacticipant (highest id) by index instead of a scan of its versions.
-- Mirrored by ../../sqlite/2026-12-04-010100_versions_pacticipant_id_id_idx/up.sql.
CREATE INDEX versions_pacticipant_id_id_idx ON versions (pacticipant_id, id);
