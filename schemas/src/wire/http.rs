//! HTTP requests and responses of every specification version, converted into [`HttpRequest`]
//! and [`HttpResponse`].
//!
//! The versions differ only in the pieces, which live in their own modules: query strings versus
//! query maps ([`super::query`]), bare versus wrapped bodies ([`super::body`]) and flat versus
//! categorised rules ([`super::rules`]). Missing fields take the reference parser's defaults:
//! method `GET`, path `/`; a missing status stays `None`.

use serde_json::{Map, Value};

use super::body::parse_body;
use super::findings::{Findings, child, optional_string, string_lists_from};
use super::query::parse_query;
use super::rules::{parse_generators, parse_matching_rules};
use crate::model::{
    Body, Generators, HttpRequest, HttpResponse, InteractionKind, MatchingRules, SpecVersion,
};

/// Converts the request object at `pointer`.
pub(crate) fn request_from(
    value: &Value,
    version: SpecVersion,
    pointer: &str,
    findings: &mut Findings,
) -> HttpRequest {
    let empty = Map::new();
    let object = object_or_report(value, pointer, findings).unwrap_or(&empty);
    let headers = parse_headers(object.get("headers"), &child(pointer, "headers"), findings);
    let method =
        optional_string(object, "method", pointer, findings).unwrap_or_else(|| "GET".to_owned());
    let path = optional_string(object, "path", pointer, findings).unwrap_or_else(|| "/".to_owned());
    let query = parse_query(object.get("query"), &child(pointer, "query"), findings);
    let parts = http_body_and_rules_from(object, headers.as_deref(), version, pointer, findings);
    HttpRequest {
        method,
        path,
        query,
        body: parts.body,
        headers,
        matching_rules: parts.matching_rules,
        generators: parts.generators,
    }
}

/// Converts the response object at `pointer`.
pub(crate) fn response_from(
    value: &Value,
    version: SpecVersion,
    pointer: &str,
    findings: &mut Findings,
) -> HttpResponse {
    let empty = Map::new();
    let object = object_or_report(value, pointer, findings).unwrap_or(&empty);
    let headers = parse_headers(object.get("headers"), &child(pointer, "headers"), findings);
    let status = parse_status(object.get("status"), &child(pointer, "status"), findings);
    let parts = http_body_and_rules_from(object, headers.as_deref(), version, pointer, findings);
    HttpResponse {
        status,
        body: parts.body,
        headers,
        matching_rules: parts.matching_rules,
        generators: parts.generators,
    }
}

/// The request and response of the HTTP interaction object at `pointer` (every version keeps
/// them under `request` and `response`).
pub(crate) fn http_kind_from(
    object: &Map<String, Value>,
    version: SpecVersion,
    pointer: &str,
    findings: &mut Findings,
) -> InteractionKind {
    InteractionKind::Http {
        request: request_from(
            object.get("request").unwrap_or(&Value::Null),
            version,
            &child(pointer, "request"),
            findings,
        ),
        response: response_from(
            object.get("response").unwrap_or(&Value::Null),
            version,
            &child(pointer, "response"),
            findings,
        ),
    }
}

/// The body, rules and generators of a request or response, its body read with the content
/// type its headers declare.
fn http_body_and_rules_from(
    object: &Map<String, Value>,
    headers: Option<&[(String, Vec<String>)]>,
    version: SpecVersion,
    pointer: &str,
    findings: &mut Findings,
) -> BodyAndRules {
    let content_type = header_value(headers, "content-type");
    body_and_rules_from(
        object,
        "body",
        content_type.as_deref(),
        version,
        pointer,
        findings,
    )
}

/// What requests, responses and messages share: a body (under `body_key`), matching rules and
/// generators.
pub(crate) struct BodyAndRules {
    /// The body or message contents.
    pub(crate) body: Body,
    /// The `matchingRules`.
    pub(crate) matching_rules: MatchingRules,
    /// The `generators`.
    pub(crate) generators: Generators,
}

/// Converts the body (under `body_key`), `matchingRules` and `generators` of the object at
/// `pointer`; `content_type` is the one known from its headers or metadata.
pub(crate) fn body_and_rules_from(
    object: &Map<String, Value>,
    body_key: &str,
    content_type: Option<&str>,
    version: SpecVersion,
    pointer: &str,
    findings: &mut Findings,
) -> BodyAndRules {
    BodyAndRules {
        body: parse_body(
            object.get(body_key),
            content_type,
            version,
            &child(pointer, body_key),
            findings,
        ),
        matching_rules: parse_matching_rules(
            object.get("matchingRules"),
            version,
            &child(pointer, "matchingRules"),
            findings,
        ),
        generators: parse_generators(
            object.get("generators"),
            &child(pointer, "generators"),
            findings,
        ),
    }
}

/// The object at `pointer`, or a recorded error when it is something else.
pub(crate) fn object_or_report<'a>(
    value: &'a Value,
    pointer: &str,
    findings: &mut Findings,
) -> Option<&'a Map<String, Value>> {
    match value {
        Value::Object(object) => Some(object),
        other => {
            findings.wrong_type(pointer, "object", other);
            None
        }
    }
}

/// The first value of a header, looked up case-insensitively.
pub(crate) fn header_value(
    headers: Option<&[(String, Vec<String>)]>,
    name: &str,
) -> Option<String> {
    headers?
        .iter()
        .find(|(header, _)| header.eq_ignore_ascii_case(name))
        .and_then(|(_, values)| values.first().cloned())
}

/// Converts a `headers` object. A string value is kept whole, commas included (the matcher
/// decides whether a header is a list); an array gives one value per element.
fn parse_headers(
    value: Option<&Value>,
    pointer: &str,
    findings: &mut Findings,
) -> Option<Vec<(String, Vec<String>)>> {
    let object = match value? {
        Value::Null => return None,
        Value::Object(object) => object,
        other => {
            findings.wrong_type(pointer, "object", other);
            return None;
        }
    };
    Some(string_lists_from(
        object,
        "string or array of strings",
        pointer,
        findings,
    ))
}

fn parse_status(value: Option<&Value>, pointer: &str, findings: &mut Findings) -> Option<u16> {
    let value = value?;
    if value.is_null() {
        return None;
    }
    match value.as_u64().and_then(|status| u16::try_from(status).ok()) {
        Some(status) if (100..=599).contains(&status) => Some(status),
        Some(status) => {
            findings.error(
                pointer,
                format!("expected integer between 100 and 599, found {status}"),
            );
            None
        }
        None => {
            findings.wrong_type(pointer, "integer", value);
            None
        }
    }
}
