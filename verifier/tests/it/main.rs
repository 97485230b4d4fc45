//! The CLI's integration tests, one module per area.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a panic is the test failing, with its message"
)]

// A fake Pact broker (wiremock) serving pacts for verification, pact documents and publishing.
mod broker_fake;
// `treaty can-i-deploy` / `can-i-merge` against a fake broker: query, retries, exit codes, output.
mod can_i_deploy;
// The Pact specification's matching cases (V1-V4) through the matching engine.
mod conformance;
// The V2-V4 response cases end to end: a real provider serves `actual`, `treaty verify` checks it.
mod conformance_http;
// The matching engine's matchers, one pass and one fail per kind, weighting, combine OR.
mod matching;
// The matching engine's mismatch messages, requests vs responses, messages, XML bodies.
mod matching_messages;
// Property tests: no expected/actual pair or rule set panics the engine; a body matches itself.
mod matching_properties;
// Proptest strategies for the matching properties: JSON, XML, bodies, rules of every kind.
mod matching_strategies;
// `treaty record-deployment` and `record-undeployment` against a fake broker: request order and bodies.
mod deployments;
// `treaty --help`, `--version` and clap's handling of bad flags.
mod cli;
// `treaty publish` against a fake broker (wiremock): discovery, body shape, auth, output.
mod publish;
// `treaty publish` refused (409, 400 -> exit 1), invalid files, unreachable broker (exit 2), retries.
mod publish_failures;
// Running the binary, writing contract files, fake broker responses.
mod support;
// Treaty's `jsonSchema` matcher end to end, as the README documents it.
mod verify_json_schema;
// `treaty verify` from the broker: selectors, pending (exit 0) and other failures, retries, no pacts.
mod verify_broker;
// `treaty verify --publish`: results per contract, branch and tag PUTs, webhook URLs, usage errors.
mod verify_broker_publish;
// `treaty verify` against a small actix-web provider with provider states and generators.
mod verify_actix;
// The replay engine through the library API, with contracts built in code.
mod verify_engine;
// `treaty verify` when the network misbehaves: unreachable, timeouts; custom headers never shown.
mod verify_network;
// `treaty verify` against wiremock providers: pass, fail, pending, URL sources, usage errors.
mod verify_replay;
// `treaty verify` reports (JSON against its schema, JUnit XML, Markdown) parsed back.
mod verify_reports;
// `treaty verify` filters (description, state, consumer) and contract order under concurrency.
mod verify_selection;
// `treaty verify` provider states: setup/teardown order and bodies, failed setups.
mod verify_states;
// Helpers for the verify tests: the binary, contract files, report reading.
mod verify_support;
// The webhook commands against a fake broker: request method, path and body; output; exit codes.
mod webhooks;
