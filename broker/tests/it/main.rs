//! The broker's integration tests: one binary, a module per resource, each API test run once
//! per database backend by `dbtest!` (PostgreSQL when `TREATY_TEST_DATABASE_URL` is set).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a panic is the test failing, with its message"
)]

// The TestApp builder, the dbtest! macro and fixture builders.
mod support;

// Access control: the role matrix, public read, tokens, basic auth, 401 challenges.
mod access;
// The binary: default database, the start-up line on port 0, SIGTERM.
mod binary;
// Pacts of a provider by consumer branch (the `get-pacts` listings).
mod branch_pacts;
// Concurrent publications: identical ones collapse to one row each, distinct ones all land.
mod concurrency;
// Deployed and released versions: replace per instance, undeploy, releases, filters.
mod deployments;
// Environments: create, validate, list, filter, replace, delete.
mod environments;
// Heads: pact and version heads follow writes, never move backwards, recompute on deletes.
mod heads;
// Bad input: malformed JSON, oversize bodies, unknown pacticipants and routes.
mod errors;
// Pacts for verification: selection, the pending flow, WIP, bad selectors.
mod for_verification;
// The index, /health and /ready.
mod index;
// The matrix and can-i-deploy: verdicts, notices, explanations, row shape, the 400s.
mod matrix;
// /metrics after traffic: requests by route and status, publications, results, answers, pool.
mod metrics;
// The OpenAPI description matches the route table and is served.
mod openapi;
// Pacticipants: list, get, create, merge-patch, replace.
mod pacticipants;
// Pact resources: old PUT/GET/PATCH, latest, by tag, by branch, by sha, listings.
mod pacts;
// PostgreSQL as production runs it: sslmode=require serves, verify-full checks the certificate
// and name, the statement timeout cancels.
mod postgres;
// A provider's pacts by tag, by branch and all of them; the index relations to them.
mod provider_pacts;
// POST /contracts/publish: new, idempotent, conflicts, overwrite, merge, validation.
mod publish;
// Migrations mirrored between backends, foreign keys indexed, down.sql reverses up.sql.
mod schema;
// Layering and file-header rules of the broker's source.
mod tidy;
// Verification results: publish, read back, content dedup, WIP metadata, validation.
mod verifications;
// Versions, branches and tags, including `/` and `+` inside encoded path segments.
mod versions;
// Webhooks: the API, refused fields and targets, queued deliveries, claims, retries, the watchdog.
mod webhooks;
