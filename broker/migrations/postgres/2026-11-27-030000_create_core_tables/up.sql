-- Core broker tables: pacticipants, their versions, branches and tags, content-addressed
-- contract contents and the publications linking a consumer version and provider to a content.
-- Mirrored by ../../sqlite/2026-11-27-030000_create_core_tables/up.sql (same tables, columns, indexes).
CREATE TABLE pacticipants (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    display_name TEXT,
    repository_url TEXT,
    main_branch TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT pacticipants_name_key UNIQUE (name)
);

CREATE TABLE versions (
    id BIGSERIAL PRIMARY KEY,
    pacticipant_id BIGINT NOT NULL REFERENCES pacticipants (id),
    number TEXT NOT NULL,
    build_url TEXT,
    created_at TEXT NOT NULL,
    CONSTRAINT versions_pacticipant_id_number_key UNIQUE (pacticipant_id, number)
);

CREATE TABLE branches (
    id BIGSERIAL PRIMARY KEY,
    pacticipant_id BIGINT NOT NULL REFERENCES pacticipants (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT branches_pacticipant_id_name_key UNIQUE (pacticipant_id, name)
);

CREATE TABLE branch_versions (
    id BIGSERIAL PRIMARY KEY,
    branch_id BIGINT NOT NULL REFERENCES branches (id),
    version_id BIGINT NOT NULL REFERENCES versions (id),
    created_at TEXT NOT NULL,
    CONSTRAINT branch_versions_branch_id_version_id_key UNIQUE (branch_id, version_id)
);
CREATE INDEX branch_versions_version_id_idx ON branch_versions (version_id);

CREATE TABLE tags (
    id BIGSERIAL PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES versions (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT tags_version_id_name_key UNIQUE (version_id, name)
);
CREATE INDEX tags_name_idx ON tags (name);

CREATE TABLE contents (
    id BIGSERIAL PRIMARY KEY,
    sha TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT contents_sha_key UNIQUE (sha)
);

CREATE TABLE publications (
    id BIGSERIAL PRIMARY KEY,
    consumer_version_id BIGINT NOT NULL REFERENCES versions (id),
    provider_id BIGINT NOT NULL REFERENCES pacticipants (id),
    content_id BIGINT NOT NULL REFERENCES contents (id),
    revision BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT publications_consumer_version_id_provider_id_revision_key
        UNIQUE (consumer_version_id, provider_id, revision)
);
CREATE INDEX publications_provider_id_idx ON publications (provider_id);
CREATE INDEX publications_content_id_idx ON publications (content_id);
