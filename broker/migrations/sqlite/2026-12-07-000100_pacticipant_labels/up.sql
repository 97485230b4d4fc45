-- Labels on pacticipants (the Pact Broker's `/pacticipants/{name}/labels/{label}`), which
-- webhooks can be scoped by. Mirrored by ../../postgres/2026-12-07-000100_pacticipant_labels/up.sql.
CREATE TABLE pacticipant_labels (
    id INTEGER PRIMARY KEY NOT NULL,
    pacticipant_id BIGINT NOT NULL REFERENCES pacticipants (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT pacticipant_labels_pacticipant_id_name_key UNIQUE (pacticipant_id, name)
);
CREATE INDEX pacticipant_labels_name_idx ON pacticipant_labels (name);
