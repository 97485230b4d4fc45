//! The CLI's integration tests.
