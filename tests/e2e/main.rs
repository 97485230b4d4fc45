//! End-to-end tests across the binaries.
