//! Treaty's contract format: the typed model of a Pact contract (specification V1 to V4),
//! parsing of every version into that one model, validation against the JSON Schema files in
//! `schemas/json/` with a JSON pointer per fault, and the canonical form and content hash the
//! broker uses as a contract's identity.
//!
//! This crate does no IO and nothing asynchronous: callers hand it bytes or JSON values and get
//! values back.
//!
//! Entry points:
//!
//! * [`parse_contract`] / [`parse_contract_value`]: a whole pact file to a [`Contract`], or
//!   [`SchemaError::Invalid`] with every fault ([`Diagnostic`]: pointer, severity, message);
//!   the `_with_warnings` variants also return likely mistakes in a valid contract;
//! * [`wire::parse_http_request`], [`wire::parse_http_response`], [`wire::parse_message`]: bare
//!   fragments (the specification conformance cases, the matching engine's inputs);
//! * [`validate_document`]: JSON Schema validation alone; the schemas are embedded from
//!   `schemas/json/pact-v{1,2,3,4}.schema.json`;
//! * [`content_hash`] / [`canonical_json`]: content identity (what is ignored is listed in
//!   [`canonical`]); [`with_interaction_ids`]: the broker's `_id` per interaction;
//! * [`merge_contracts`]: the Pact Broker's merge of a new contract into an existing one.
#![deny(missing_docs)]

pub mod canonical;
pub mod diagnostic;
pub mod error;
pub mod merge;
pub mod model;
pub mod parse;
pub mod validate;
mod warnings;
pub mod wire;

pub use canonical::{ContentHash, canonical_json, content_hash, with_interaction_ids};
pub use diagnostic::{Diagnostic, Severity};
pub use error::SchemaError;
pub use merge::merge_contracts;
pub use model::*;
pub use parse::{
    detect_spec_version, parse_contract, parse_contract_value, parse_contract_value_with_warnings,
    parse_contract_with_warnings,
};
pub use validate::validate_document;
