-- What "latest" needs, verification results, environments and deployment records.
-- Mirrored by ../../postgres/2026-12-04-000000_heads_verifications_deployments/up.sql.
--
-- Heads are maintained in the transaction that writes what they summarise (a publication, a
-- branch or tag on a version), so that every "latest" answer reads one indexed row and does not
-- grow with history.

-- The newest publication per integration overall (scope 'latest', scope_name ''), per consumer
-- branch (scope 'branch') and per consumer tag (scope 'tag'): the newest consumer version in
-- that scope that has a pact with the provider, and its newest revision.
CREATE TABLE pact_heads (
    id INTEGER PRIMARY KEY NOT NULL,
    provider_id BIGINT NOT NULL REFERENCES pacticipants (id),
    consumer_id BIGINT NOT NULL REFERENCES pacticipants (id),
    scope TEXT NOT NULL,
    scope_name TEXT NOT NULL,
    consumer_version_id BIGINT NOT NULL REFERENCES versions (id),
    publication_id BIGINT NOT NULL REFERENCES publications (id),
    content_id BIGINT NOT NULL REFERENCES contents (id),
    updated_at TEXT NOT NULL,
    CONSTRAINT pact_heads_provider_scope_consumer_key
        UNIQUE (provider_id, scope, scope_name, consumer_id)
);
CREATE INDEX pact_heads_scope_scope_name_idx ON pact_heads (scope, scope_name);
CREATE INDEX pact_heads_consumer_id_idx ON pact_heads (consumer_id);
CREATE INDEX pact_heads_consumer_version_id_idx ON pact_heads (consumer_version_id);
CREATE INDEX pact_heads_publication_id_idx ON pact_heads (publication_id);
CREATE INDEX pact_heads_content_id_idx ON pact_heads (content_id);

-- The newest version of a pacticipant per branch (scope 'branch') and per tag (scope 'tag'),
-- with or without a pact: what the branch and tag selectors read.
CREATE TABLE version_heads (
    id INTEGER PRIMARY KEY NOT NULL,
    pacticipant_id BIGINT NOT NULL REFERENCES pacticipants (id),
    scope TEXT NOT NULL,
    scope_name TEXT NOT NULL,
    version_id BIGINT NOT NULL REFERENCES versions (id),
    updated_at TEXT NOT NULL,
    CONSTRAINT version_heads_pacticipant_scope_key
        UNIQUE (pacticipant_id, scope, scope_name)
);
CREATE INDEX version_heads_version_id_idx ON version_heads (version_id);

-- A provider version's verification of a contract content for one integration. `number` counts
-- the results of that (consumer, provider, content) from 1 and appears in the result's URL.
CREATE TABLE verifications (
    id INTEGER PRIMARY KEY NOT NULL,
    consumer_id BIGINT NOT NULL REFERENCES pacticipants (id),
    provider_id BIGINT NOT NULL REFERENCES pacticipants (id),
    content_id BIGINT NOT NULL REFERENCES contents (id),
    provider_version_id BIGINT NOT NULL REFERENCES versions (id),
    number BIGINT NOT NULL,
    success BOOLEAN NOT NULL,
    wip BOOLEAN NOT NULL,
    build_url TEXT,
    test_results TEXT,
    verified_by TEXT,
    created_at TEXT NOT NULL,
    CONSTRAINT verifications_integration_content_number_key
        UNIQUE (consumer_id, provider_id, content_id, number)
);
CREATE INDEX verifications_content_id_provider_version_id_idx
    ON verifications (content_id, provider_version_id);
CREATE INDEX verifications_provider_id_content_id_idx ON verifications (provider_id, content_id);
CREATE INDEX verifications_provider_version_id_idx ON verifications (provider_version_id);

-- Environments a version can be deployed or released to.
CREATE TABLE environments (
    id INTEGER PRIMARY KEY NOT NULL,
    uuid TEXT NOT NULL,
    name TEXT NOT NULL,
    display_name TEXT,
    production BOOLEAN NOT NULL,
    contacts TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT environments_uuid_key UNIQUE (uuid),
    CONSTRAINT environments_name_key UNIQUE (name)
);

-- A version deployed to an environment (optionally as one application instance); recording a
-- new deployment of the same pacticipant, environment and instance ends the previous one.
CREATE TABLE deployed_versions (
    id INTEGER PRIMARY KEY NOT NULL,
    uuid TEXT NOT NULL,
    pacticipant_id BIGINT NOT NULL REFERENCES pacticipants (id),
    version_id BIGINT NOT NULL REFERENCES versions (id),
    environment_id BIGINT NOT NULL REFERENCES environments (id),
    application_instance TEXT,
    currently_deployed BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    undeployed_at TEXT,
    CONSTRAINT deployed_versions_uuid_key UNIQUE (uuid)
);
CREATE INDEX deployed_versions_environment_current_idx
    ON deployed_versions (environment_id, currently_deployed, pacticipant_id);
CREATE INDEX deployed_versions_pacticipant_id_currently_deployed_idx
    ON deployed_versions (pacticipant_id, currently_deployed);
CREATE INDEX deployed_versions_version_id_idx ON deployed_versions (version_id);

-- A version released to an environment; releases are additive, each supported until its
-- support is ended.
CREATE TABLE released_versions (
    id INTEGER PRIMARY KEY NOT NULL,
    uuid TEXT NOT NULL,
    pacticipant_id BIGINT NOT NULL REFERENCES pacticipants (id),
    version_id BIGINT NOT NULL REFERENCES versions (id),
    environment_id BIGINT NOT NULL REFERENCES environments (id),
    currently_supported BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    support_ended_at TEXT,
    CONSTRAINT released_versions_uuid_key UNIQUE (uuid),
    CONSTRAINT released_versions_version_id_environment_id_key UNIQUE (version_id, environment_id)
);
CREATE INDEX released_versions_environment_current_idx
    ON released_versions (environment_id, currently_supported, pacticipant_id);
CREATE INDEX released_versions_pacticipant_id_currently_supported_idx
    ON released_versions (pacticipant_id, currently_supported);
