//! The JSON shapes of each specification version and their conversion into the model.
//!
//! Conversion reads `serde_json::Value`s directly and never stops at the first fault: every
//! fault becomes a [`Diagnostic`](crate::Diagnostic) with the JSON pointer of the value. This is
//! deliberately not `#[derive(Deserialize)]` mirror types: serde stops at the first error, loses
//! the pointer, and real files mix shapes (bare or wrapped bodies, string or array headers) that
//! would need untagged enums with useless error messages. The per-version modules still mirror
//! each specification's layout, one file per version. The
//! fragment parsers here ([`parse_http_request`], [`parse_http_response`], [`parse_message`])
//! serve the matching engine and the specification conformance cases, whose sides are bare
//! requests, responses and messages; whole contract files go through
//! [`crate::parse_contract`], which validates against the JSON Schema first and then uses the
//! same conversion (the per-version interaction layouts are in `v2`, `v3` and `v4`).

mod body;
mod contract;
mod findings;
mod http;
mod matcher;
mod message;
mod query;
mod rules;
mod v2;
mod v3;
mod v4;

use serde_json::Value;

pub use body::{is_json_content_type, looks_like_xml};
pub(crate) use contract::contract_from;
pub(crate) use findings::{Findings, index, json_type_name};
pub use query::parse_query_string;
pub(crate) use v4::INTERACTION_TYPES;

use crate::error::SchemaError;
use crate::model::{HttpRequest, HttpResponse, Message, SpecVersion};

/// Converts a bare HTTP request object written in `version`'s layout.
///
/// Pointers in the diagnostics are relative to the request (`/headers/Accept`).
pub fn parse_http_request(value: &Value, version: SpecVersion) -> Result<HttpRequest, SchemaError> {
    let mut findings = Findings::default();
    let request = http::request_from(value, version, "", &mut findings);
    findings.finish(request)
}

/// Converts a bare HTTP response object written in `version`'s layout.
///
/// Pointers in the diagnostics are relative to the response (`/status`).
pub fn parse_http_response(
    value: &Value,
    version: SpecVersion,
) -> Result<HttpResponse, SchemaError> {
    let mut findings = Findings::default();
    let response = http::response_from(value, version, "", &mut findings);
    findings.finish(response)
}

/// Converts a bare message object (`contents`, `metaData`/`metadata`, `matchingRules`) written
/// in `version`'s layout.
pub fn parse_message(value: &Value, version: SpecVersion) -> Result<Message, SchemaError> {
    let mut findings = Findings::default();
    let message = message_from(value, version, "", &mut findings);
    findings.finish(message)
}

use message::message_from;
