-- The matrix reads a pacticipant's newest version in one index step (ORDER BY id DESC LIMIT 1
-- within the pacticipant), whatever its number of versions.
-- Mirrored by ../../postgres/2026-12-04-040000_matrix_indexes/up.sql.
CREATE INDEX versions_pacticipant_id_id_idx ON versions (pacticipant_id, id);
