//! The matching engine: compares what really went over the wire (or was published) with what a
//! contract expects, and returns every difference as a [`Mismatch`].
//!
//! It is pure and synchronous: data in, data out, no IO, no clock, no logging. Replay reads a
//! provider's answer into an [`ActualResponse`] and calls [`match_response`]; the stub server
//! will call [`match_request`]; message verification calls [`match_message`]. Response and
//! message bodies follow Postel's law (unexpected keys allowed), request bodies are strict.
//! The behaviour is pinned down by the Pact specification cases in `shared/pact-spec-testcases`,
//! which `tests/it/conformance.rs` runs.

mod body;
mod datetime;
mod headers;
mod json_schema;
mod kinds;
mod location;
mod mismatch;
mod path;
mod query;
mod regex_cache;
mod regex_dialect;
mod rules;
mod status;

use serde_json::Value;
use treaty_schemas::{
    Body, BodyContent, HttpRequest, HttpResponse, MatchingRules, Message, RuleCategory,
};

pub use mismatch::{Mismatch, MismatchKind};

use mismatch::show;

use body::{BodySide, match_body};
use headers::{content_type_of, match_headers, media_types_match};
use rules::{Evaluator, Form, values_equal};

/// A request as it really arrived: what the stub server (or a test) saw.
#[derive(Debug, Clone, PartialEq)]
pub struct ActualRequest {
    /// The method, as sent.
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// Query parameters, percent-decoded, in the order sent (a name may repeat).
    pub query: Vec<(String, Vec<String>)>,
    /// Headers, name as sent, with their values (a name may repeat).
    pub headers: Vec<(String, Vec<String>)>,
    /// The body; see [`body_from_bytes`] for raw bytes.
    pub body: Body,
}

/// A response as the provider really sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActualResponse {
    /// The status code.
    pub status: u16,
    /// Headers, name as sent, with their values (a name may repeat).
    pub headers: Vec<(String, Vec<String>)>,
    /// The body; see [`body_from_bytes`] for raw bytes.
    pub body: Body,
}

impl ActualResponse {
    /// A response read off the wire: status, headers and the body's bytes.
    pub fn from_parts(
        status: u16,
        headers: Vec<(String, Vec<String>)>,
        body: &[u8],
    ) -> ActualResponse {
        ActualResponse {
            status,
            headers,
            body: body_from_bytes(body),
        }
    }

    /// Like [`ActualResponse::from_parts`], taking the body's bytes without copying them.
    pub fn from_owned_parts(
        status: u16,
        headers: Vec<(String, Vec<String>)>,
        body: Vec<u8>,
    ) -> ActualResponse {
        ActualResponse {
            status,
            headers,
            body: body_from_vec(body),
        }
    }

    /// A response written in contract form (the spec cases' `actual` side); a missing status
    /// is 200, as in Pact.
    pub fn from_model(response: &HttpResponse) -> ActualResponse {
        ActualResponse {
            status: response.status.unwrap_or(200),
            headers: response.headers.clone().unwrap_or_default(),
            body: response.body.clone(),
        }
    }
}

impl ActualRequest {
    /// A request read off the wire; `raw_query` is the part after `?` (it is decoded here).
    pub fn from_parts(
        method: &str,
        path: &str,
        raw_query: &str,
        headers: Vec<(String, Vec<String>)>,
        body: &[u8],
    ) -> ActualRequest {
        ActualRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query: body::parse_form_pairs(raw_query.trim_start_matches('?')),
            headers,
            body: body_from_bytes(body),
        }
    }

    /// A request written in contract form (the spec cases' `actual` side).
    pub fn from_model(request: &HttpRequest) -> ActualRequest {
        ActualRequest {
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone().unwrap_or_default(),
            headers: request.headers.clone().unwrap_or_default(),
            body: request.body.clone(),
        }
    }
}

/// Raw body bytes as a [`Body`]: nothing is [`Body::Absent`], UTF-8 is text (parsed later
/// according to the content type), anything else is bytes.
pub fn body_from_bytes(bytes: &[u8]) -> Body {
    if bytes.is_empty() {
        return Body::Absent;
    }
    let content = match std::str::from_utf8(bytes) {
        Ok(text) => BodyContent::Text(text.to_owned()),
        Err(_) => BodyContent::Bytes(bytes.to_vec()),
    };
    Body::Present {
        content,
        content_type: None,
    }
}

/// Like [`body_from_bytes`], keeping the bytes' allocation.
fn body_from_vec(bytes: Vec<u8>) -> Body {
    if bytes.is_empty() {
        return Body::Absent;
    }
    let content = match String::from_utf8(bytes) {
        Ok(text) => BodyContent::Text(text),
        Err(error) => BodyContent::Bytes(error.into_bytes()),
    };
    Body::Present {
        content,
        content_type: None,
    }
}

/// Compares a provider's response with the contract's: status, headers (extra ones allowed)
/// and body (unexpected keys allowed, XML children too). Empty means verified.
pub fn match_response(expected: &HttpResponse, actual: &ActualResponse) -> Vec<Mismatch> {
    let evaluator = Evaluator::default();
    let rules = &expected.matching_rules;
    let mut out = status::match_status(
        expected.status,
        actual.status,
        rules.category(RuleCategory::Status),
        &evaluator,
    );
    out.extend(match_headers_and_body(
        HttpParts {
            headers: expected.headers.as_deref(),
            body: &expected.body,
            rules,
        },
        &actual.headers,
        &actual.body,
        false,
        &evaluator,
    ));
    out
}

/// Compares a request that arrived with the contract's: method, path, query, headers (extra
/// ones allowed) and body (strict: unexpected keys are mismatches). Empty means it matches.
pub fn match_request(expected: &HttpRequest, actual: &ActualRequest) -> Vec<Mismatch> {
    let evaluator = Evaluator::default();
    let rules = &expected.matching_rules;
    let mut out = Vec::new();
    if !expected.method.eq_ignore_ascii_case(&actual.method) {
        let detail = format!(
            "expected {}, got {}",
            expected.method.to_uppercase(),
            actual.method.to_uppercase()
        );
        out.push(Mismatch::whole(
            MismatchKind::Method,
            Some(Value::String(expected.method.clone())),
            Some(Value::String(actual.method.clone())),
            detail,
        ));
    }
    out.extend(match_path(expected, &actual.path, &evaluator));
    out.extend(query::match_query(
        expected.query.as_deref(),
        &actual.query,
        rules.category(RuleCategory::Query),
        &evaluator,
    ));
    out.extend(match_headers_and_body(
        HttpParts {
            headers: expected.headers.as_deref(),
            body: &expected.body,
            rules,
        },
        &actual.headers,
        &actual.body,
        true,
        &evaluator,
    ));
    out
}

/// The expected side of an HTTP request or response, as far as headers and body go.
struct HttpParts<'a> {
    headers: Option<&'a [(String, Vec<String>)]>,
    body: &'a Body,
    rules: &'a MatchingRules,
}

/// The part requests and responses match alike: headers (extra ones allowed), then the body,
/// whose content type comes from each side's headers; `strict` makes unexpected body keys
/// mismatches (requests) rather than allowed (responses).
fn match_headers_and_body(
    expected: HttpParts<'_>,
    actual_headers: &[(String, Vec<String>)],
    actual_body: &Body,
    strict: bool,
    evaluator: &Evaluator,
) -> Vec<Mismatch> {
    let mut out = match_headers(
        expected.headers,
        actual_headers,
        expected.rules.category(RuleCategory::Header),
        evaluator,
    );
    let expected_side = http_body_side(expected.body, expected.headers.unwrap_or_default());
    let actual_side = http_body_side(actual_body, actual_headers);
    out.extend(match_body(
        &expected_side,
        &actual_side,
        expected.rules.category(RuleCategory::Body),
        strict,
        evaluator,
    ));
    out
}

/// Compares a message a provider produced with the contract's: contents (lenient, like
/// response bodies) and metadata (every expected key must be there and match).
pub fn match_message(expected: &Message, actual: &Message) -> Vec<Mismatch> {
    let evaluator = Evaluator::default();
    let rules = &expected.matching_rules;
    let expected_side = BodySide {
        body: &expected.contents,
        content_type: message_content_type(expected),
    };
    let actual_side = BodySide {
        body: &actual.contents,
        content_type: message_content_type(actual),
    };
    let mut out = match_body(
        &expected_side,
        &actual_side,
        rules.category(RuleCategory::Body),
        false,
        &evaluator,
    );
    let metadata_rules = rules.category(RuleCategory::Metadata);
    for (key, expected_value) in &expected.metadata {
        let Some(actual_value) = actual.metadata.get(key) else {
            let detail = format!("expected {expected_value}, but the key is missing");
            out.push(Mismatch::metadata(
                key,
                Some(expected_value.clone()),
                None,
                detail,
            ));
            continue;
        };
        let failures = match metadata_rules.and_then(|rules| rules.get(key)) {
            Some(list) => {
                evaluator.check_list(list, expected_value, actual_value, Form::Text, false)
            }
            None => compare_metadata_value(key, expected_value, actual_value),
        };
        for failure in failures {
            out.push(Mismatch::metadata(
                key,
                Some(expected_value.clone()),
                Some(actual_value.clone()),
                failure,
            ));
        }
    }
    out
}

fn compare_metadata_value(key: &str, expected: &Value, actual: &Value) -> Vec<String> {
    let equal = match (expected, actual) {
        (Value::String(e), Value::String(a)) if is_content_type_key(key) => media_types_match(e, a),
        _ => values_equal(expected, actual),
    };
    if equal {
        Vec::new()
    } else {
        vec![format!("expected {expected}, got {actual}")]
    }
}

fn is_content_type_key(key: &str) -> bool {
    matches!(
        key.to_ascii_lowercase().as_str(),
        "contenttype" | "content-type" | "content_type"
    )
}

fn match_path(expected: &HttpRequest, actual: &str, evaluator: &Evaluator) -> Vec<Mismatch> {
    let rule = expected
        .matching_rules
        .category(RuleCategory::Path)
        .and_then(|rules| rules.get("").or_else(|| rules.values().next()));
    let (e, a) = (
        Value::String(expected.path.clone()),
        Value::String(actual.to_owned()),
    );
    let failures = match rule {
        Some(list) => evaluator.check_list(list, &e, &a, Form::Text, false),
        None if expected.path == actual => Vec::new(),
        None => vec![format!("expected {}, got {}", show(&e), show(&a))],
    };
    failures
        .into_iter()
        .map(|failure| {
            Mismatch::whole(
                MismatchKind::Path,
                Some(e.clone()),
                Some(a.clone()),
                failure,
            )
        })
        .collect()
}

fn http_body_side<'a>(body: &'a Body, headers: &[(String, Vec<String>)]) -> BodySide<'a> {
    let wrapper_content_type = match body {
        Body::Present { content_type, .. } => content_type.clone(),
        _ => None,
    };
    BodySide {
        body,
        content_type: wrapper_content_type.or_else(|| content_type_of(headers)),
    }
}

fn message_content_type(message: &Message) -> Option<String> {
    let wrapper = match &message.contents {
        Body::Present { content_type, .. } => content_type.clone(),
        _ => None,
    };
    wrapper.or_else(|| {
        message
            .metadata
            .iter()
            .find(|(key, _)| is_content_type_key(key))
            .and_then(|(_, value)| value.as_str().map(str::to_owned))
    })
}
