//! End-to-end tests: the real `treaty-broker` and `treaty` binaries together and, when
//! `TREATY_E2E_PACT_CLI=1`, the real `pact` CLI. PostgreSQL variants run when
//! `TREATY_TEST_DATABASE_URL` is set; every skipped variant says so on standard output.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a panic is the test failing, with its message"
)]

// Tokens and basic auth: `treaty` and the real `pact` CLI against a broker that needs credentials.
mod access;
// `treaty`'s environment, deployment, release and version commands against the real broker.
mod deployments;
// Kill -9 the broker right after acknowledged publications; after a restart all are there.
mod durability;
// The real `pact` CLI (publish, list, describe-version) against treaty-broker.
mod pact_cli;
// can-i-deploy and can-i-merge by the real `pact` CLI and by `treaty`: yes, no, exit codes, explanations.
mod pact_cli_can_i_deploy;
// The real `pact` CLI's environment, deployment and release commands against treaty-broker.
mod pact_cli_deployments;
// The real `pact` CLI's create-webhook, create-or-update-webhook and test-webhook against treaty-broker.
mod pact_cli_webhooks;
// treaty-broker verified against the Pact Broker client's own contract with the Pact Broker.
mod pact_broker_client_contracts;
// PostgreSQL stopped and started under the broker: 503 meanwhile, recovery after, nothing lost.
mod postgres_outage;
// `treaty publish` of V2/V3/V4 files to a real broker, fetched back; idempotence and 409.
mod publish;
// Pact files (fixtures, and files the real `pact mock` server wrote) parse and hash stably.
mod round_trip;
// schemathesis against /openapi.json on both backends: no 500, no answer off its schema.
mod schemathesis;
// Building and starting the binaries, the pact CLI and its mock server, a small provider, HTTP helpers.
mod support;
// Webhook deliveries survive kill -9; two brokers on one PostgreSQL send each exactly once.
mod webhook_durability;
// Webhooks: which events fire which webhooks with what rendered, secrets redacted, retries,
// the target policy at creation and delivery, the test execution.
mod webhooks;
// `treaty create-webhook`, `list-webhooks`, `test-webhook`, `list-webhook-deliveries`,
// `delete-webhook` against a real broker.
mod webhooks_cli;
// The provider's loop: selected contracts verified (pending, WIP) and results published, by
// `treaty verify` and the real `pact verifier`.
mod verification_flow;
