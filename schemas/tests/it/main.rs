//! Integration tests of treaty-schemas: parsing, validation and hashing on real contract files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a panic is the test failing, with its message"
)]

// Shared helpers: where fixtures and the spec cases live, reading JSON, walking folders.
mod support;

// Every side of every Pact specification conformance case parses with the fragment parsers.
mod spec_testcases;

// Realistic contract files of every version and interaction kind parse into the expected model.
mod contracts;

// Broken files: every fault listed with its JSON pointer, as plain-string snapshots.
mod validation;

// Content identity: stable under reformatting, reordering and tool defaults; changed by meaning.
mod hash;

// Content identity on pairs of small documents: equivalent spellings and real differences.
mod hash_pairs;

// Merging a new contract into an existing one with the Pact Broker's semantics.
mod merge;

// Every matcher kind and rule layout converts into the model's matching rules.
mod rules;

// Bodies, headers and queries: each documented conversion rule, one case per line.
mod bodies;

// The real Pact files other tools wrote (shared/real-pacts) all load.
mod real_pacts;

// Property tests: no input panics; generated V2-V4 documents parse and survive the canonical form.
mod parse_properties;

// Proptest strategies for the property tests: any JSON, valid pact documents per version.
mod pact_strategies;
