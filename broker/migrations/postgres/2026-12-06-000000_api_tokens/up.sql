-- Bearer tokens for the API. Only a salted SHA-256 of each token's secret is kept: a token is
-- `treaty_<key>_<secret>`, looked up by its `public_key` and checked against `secret_hash`.
-- Mirrored by ../../sqlite/2026-12-06-000000_api_tokens/up.sql.
CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    public_key TEXT NOT NULL,
    salt TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    CONSTRAINT api_tokens_name_key UNIQUE (name),
    CONSTRAINT api_tokens_public_key_key UNIQUE (public_key)
);
