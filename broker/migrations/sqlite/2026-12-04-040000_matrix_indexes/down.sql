-- Reverses up.sql.
DROP INDEX versions_pacticipant_id_id_idx;
