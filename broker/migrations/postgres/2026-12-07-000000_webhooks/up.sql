-- Webhooks, their durable deliveries and every attempt, and the verifications a publication
-- requires (what the watchdog reads).
-- Mirrored by ../../sqlite/2026-12-07-000000_webhooks/up.sql.

-- A webhook: which events, for which consumer and provider (by name or label; NULL is any),
-- and the request template (JSON: method, url, headers, body, username, password). Scopes are
-- kept by name, as the Pact Broker's API gives them.
CREATE TABLE webhooks (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL,
    description TEXT,
    consumer_name TEXT,
    consumer_label TEXT,
    provider_name TEXT,
    provider_label TEXT,
    events TEXT NOT NULL,
    request TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT webhooks_uuid_key UNIQUE (uuid)
);

-- One triggered webhook: written in the transaction of the event that caused it, with the
-- template variables of that event, and delivered at least once by a worker that claims it
-- (`claim_token`, `claimed_until`) so that no two workers send it at the same time.
CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id),
    event_name TEXT NOT NULL,
    variables TEXT NOT NULL,
    status TEXT NOT NULL,
    attempt_count INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    claim_token TEXT,
    claimed_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_status_next_attempt_at_idx
    ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook_id_idx ON webhook_deliveries (webhook_id);

-- Every attempt to deliver: when, how long, the response status and a bounded excerpt of its
-- body, or the error.
CREATE TABLE webhook_attempts (
    id BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id),
    number INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    duration_ms BIGINT NOT NULL,
    success BOOLEAN NOT NULL,
    response_status INTEGER,
    response_excerpt TEXT,
    error TEXT
);
CREATE INDEX webhook_attempts_delivery_id_idx ON webhook_attempts (delivery_id);

-- A provider version that must verify a content (the head of the provider's main branch, or
-- a version deployed or released) when it was published, and when a verification by that
-- version arrived. The watchdog reports rows still unverified after its threshold.
CREATE TABLE required_verifications (
    id BIGSERIAL PRIMARY KEY,
    consumer_id BIGINT NOT NULL REFERENCES pacticipants (id),
    provider_id BIGINT NOT NULL REFERENCES pacticipants (id),
    content_id BIGINT NOT NULL REFERENCES contents (id),
    consumer_version_id BIGINT NOT NULL REFERENCES versions (id),
    provider_version_id BIGINT NOT NULL REFERENCES versions (id),
    descriptions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    verified_at TEXT,
    CONSTRAINT required_verifications_key
        UNIQUE (content_id, provider_version_id, consumer_id)
);
CREATE INDEX required_verifications_verified_at_created_at_idx
    ON required_verifications (verified_at, created_at);
CREATE INDEX required_verifications_consumer_id_idx ON required_verifications (consumer_id);
CREATE INDEX required_verifications_provider_id_idx ON required_verifications (provider_id);
CREATE INDEX required_verifications_consumer_version_id_idx
    ON required_verifications (consumer_version_id);
CREATE INDEX required_verifications_provider_version_id_idx
    ON required_verifications (provider_version_id);
