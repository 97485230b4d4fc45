//! The broker's integration tests.
