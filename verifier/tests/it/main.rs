//! The CLI's integration tests, one module per area.

// `treaty --help`, `--version` and clap's handling of bad flags.
mod cli;
// `treaty publish` against a fake broker (wiremock): body shape, refusals, exit codes.
mod publish;
// Running the binary, writing contract files, fake broker responses.
mod support;
