//! Property tests of the matching engine through its public API: no expected/actual pair and
//! no set of matching rules (every kind Treaty knows, invalid regexes and date formats,
//! malformed paths, nonsense JSON Schemas) makes it panic, and a body, headers and query always
//! match themselves when the contract has no rules (or only rules that compare by type).
//!
//! The strategies are in `matching_strategies.rs`; each property runs 256 cases and writes no
//! regression files (a failure prints the minimal input instead).

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use treaty::matching::{
    ActualRequest, ActualResponse, Mismatch, match_message, match_request, match_response,
};
use treaty_schemas::wire::parse_http_response;
use treaty_schemas::{
    Body, BodyContent, Combine, HttpRequest, HttpResponse, MatchingRule, MatchingRules, Message,
    RuleCategory, RuleList, SpecVersion,
};

use crate::matching_strategies::{
    Pairs, body, body_pair, config, headers, headers_with, json_value, matching_rules, pairs,
    parameter_name, rule_path, xml_text,
};

/// Everything one matching run needs, for requests, responses and messages alike.
#[derive(Debug, Clone)]
struct Case {
    rules: MatchingRules,
    bodies: (Body, Body),
    headers: (Option<Pairs>, Pairs),
    query: (Option<Pairs>, Pairs),
    status: (Option<u16>, u16),
    path: (String, String),
    metadata: (Map<String, Value>, Map<String, Value>),
}

fn case() -> impl Strategy<Value = Case> {
    let metadata = || {
        prop::collection::vec((parameter_name(), json_value()), 0..3)
            .prop_map(|entries| entries.into_iter().collect::<Map<String, Value>>())
    };
    (
        matching_rules(),
        body_pair(),
        (prop::option::of(headers()), headers()),
        (
            prop::option::of(pairs(parameter_name().boxed(), 0..3)),
            pairs(parameter_name().boxed(), 0..3),
        ),
        (prop::option::of(any::<u16>()), any::<u16>()),
        ("\\PC{0,8}", "\\PC{0,8}"),
        (metadata(), metadata()),
    )
        .prop_map(
            |(rules, bodies, headers, query, status, path, metadata)| Case {
                rules,
                bodies,
                headers,
                query,
                status,
                path,
                metadata,
            },
        )
}

/// Runs the case through all three entry points and returns their mismatches.
fn run(case: &Case) -> Vec<Mismatch> {
    let response = HttpResponse {
        status: case.status.0,
        headers: case.headers.0.clone(),
        body: case.bodies.0.clone(),
        matching_rules: case.rules.clone(),
        generators: Default::default(),
    };
    let actual_response = ActualResponse {
        status: case.status.1,
        headers: case.headers.1.clone(),
        body: case.bodies.1.clone(),
    };
    let request = HttpRequest {
        method: "POST".into(),
        path: case.path.0.clone(),
        query: case.query.0.clone(),
        headers: case.headers.0.clone(),
        body: case.bodies.0.clone(),
        matching_rules: case.rules.clone(),
        generators: Default::default(),
    };
    let actual_request = ActualRequest {
        method: "post".into(),
        path: case.path.1.clone(),
        query: case.query.1.clone(),
        headers: case.headers.1.clone(),
        body: case.bodies.1.clone(),
    };
    let message = |contents: &Body, metadata: &Map<String, Value>| Message {
        contents: contents.clone(),
        metadata: metadata.clone(),
        matching_rules: case.rules.clone(),
        generators: Default::default(),
    };
    let mut out = match_response(&response, &actual_response);
    out.extend(match_request(&request, &actual_request));
    out.extend(match_message(
        &message(&case.bodies.0, &case.metadata.0),
        &message(&case.bodies.1, &case.metadata.1),
    ));
    out
}

/// `value` written as a contract's JSON body (V3, with a JSON `Content-Type`), read by the
/// contract parser, and the bytes a provider sends for it: what the model says the body is.
fn contract_json_body(value: &Value) -> (Body, Vec<u8>) {
    let response = json!({
        "status": 200,
        "headers": { "Content-Type": "application/json" },
        "body": value,
    });
    let body = parse_http_response(&response, SpecVersion::V3)
        .map(|response| response.body)
        .unwrap_or(Body::Absent);
    let bytes = match &body {
        Body::Present {
            content: BodyContent::Json(json),
            ..
        } => json.to_string().into_bytes(),
        Body::Present {
            content: BodyContent::Text(text),
            ..
        } => text.clone().into_bytes(),
        Body::Present {
            content: BodyContent::Bytes(bytes),
            ..
        } => bytes.clone(),
        Body::Absent | Body::Null => Vec::new(),
    };
    (body, bytes)
}

/// A contract whose JSON body (`Content-Type: application/json`) is a string starting with `<`
/// is a JSON string, and matches the JSON string a provider sends (found by
/// `json_body_matches_itself_without_rules`: it used to be read as XML-like text, which the
/// engine then could not parse as the JSON the content type announces).
#[test]
fn a_json_string_that_looks_like_xml_matches_itself() {
    let (body, bytes) = contract_json_body(&json!("<b>hi</b>"));
    assert_eq!(bytes, b"\"<b>hi</b>\"");
    let mismatches = self_match(&body, &bytes, "application/json", &MatchingRules::default());
    assert!(mismatches.is_empty(), "{mismatches:?}");
}

fn rules_on_body(entries: BTreeMap<String, RuleList>) -> MatchingRules {
    let mut rules = MatchingRules::default();
    rules.categories.insert(RuleCategory::Body, entries);
    rules
}

/// `body` sent back as the bytes a provider would send, with `content_type`, as a response, a
/// request and a message; returns every mismatch the engine finds.
fn self_match(body: &Body, bytes: &[u8], content_type: &str, rules: &MatchingRules) -> Vec<String> {
    let headers = vec![("Content-Type".to_owned(), vec![content_type.to_owned()])];
    let response = HttpResponse {
        status: Some(200),
        headers: Some(headers.clone()),
        body: body.clone(),
        matching_rules: rules.clone(),
        generators: Default::default(),
    };
    let request = HttpRequest {
        method: "PUT".into(),
        path: "/a".into(),
        query: None,
        headers: Some(headers.clone()),
        body: body.clone(),
        matching_rules: rules.clone(),
        generators: Default::default(),
    };
    let mut metadata = Map::new();
    metadata.insert("contentType".into(), json!(content_type));
    let message = Message {
        contents: body.clone(),
        metadata,
        matching_rules: rules.clone(),
        generators: Default::default(),
    };
    let actual_message = Message {
        contents: treaty::matching::body_from_bytes(bytes),
        ..message.clone()
    };
    let mut out = match_response(
        &response,
        &ActualResponse::from_parts(200, headers.clone(), bytes),
    );
    out.extend(match_request(
        &request,
        &ActualRequest::from_parts("PUT", "/a", "", headers, bytes),
    ));
    out.extend(match_message(&message, &actual_message));
    out.into_iter().map(|mismatch| mismatch.message).collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn matching_never_panics(case in case()) {
        let _ = run(&case);
    }

    /// The wire constructors: raw query strings, header lists and body bytes of any kind.
    #[test]
    fn matching_raw_parts_never_panics(
        rules in matching_rules(),
        expected in body(),
        expected_headers in prop::option::of(headers()),
        raw_query in "[a-c=&%+?0-9\\PC]{0,16}",
        actual_headers in headers(),
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..32),
            json_value().prop_map(|value| value.to_string().into_bytes()),
            xml_text().prop_map(String::into_bytes),
        ],
    ) {
        let response = HttpResponse {
            status: Some(200),
            headers: expected_headers.clone(),
            body: expected.clone(),
            matching_rules: rules.clone(),
            generators: Default::default(),
        };
        let _ = match_response(&response, &ActualResponse::from_parts(200, actual_headers.clone(), &bytes));
        let request = HttpRequest {
            method: "GET".into(),
            path: "/".into(),
            query: None,
            headers: expected_headers,
            body: expected,
            matching_rules: rules,
            generators: Default::default(),
        };
        let actual = ActualRequest::from_parts("GET", "/", &raw_query, actual_headers, &bytes);
        let _ = match_request(&request, &actual);
    }

    #[test]
    fn json_body_matches_itself_without_rules(value in json_value()) {
        let (body, bytes) = contract_json_body(&value);
        let mismatches = self_match(&body, &bytes, "application/json", &MatchingRules::default());
        prop_assert!(mismatches.is_empty(), "{value} does not match itself: {mismatches:?}");
    }

    /// Type and equality rules anywhere compare a value with itself, so they pass too.
    #[test]
    fn json_body_matches_itself_under_type_rules(
        value in json_value(),
        entries in prop::collection::btree_map(
            rule_path(),
            prop::collection::vec(
                prop_oneof![
                    Just(MatchingRule::Type { min: None, max: None }),
                    Just(MatchingRule::Equality),
                ],
                1..3,
            ),
            0..4,
        ),
    ) {
        let entries = entries
            .into_iter()
            .map(|(path, rules)| (path, RuleList { rules, combine: Combine::And }))
            .collect();
        let (body, bytes) = contract_json_body(&value);
        let mismatches = self_match(&body, &bytes, "application/json", &rules_on_body(entries));
        prop_assert!(mismatches.is_empty(), "{value} does not match itself: {mismatches:?}");
    }

    #[test]
    fn text_and_xml_bodies_match_themselves(
        (text, content_type) in prop_oneof![
            ("\\PC{1,16}", Just("text/plain")),
            (xml_text(), Just("application/xml")),
        ],
    ) {
        let body = Body::Present { content: BodyContent::Text(text.clone()), content_type: None };
        let mismatches = self_match(&body, text.as_bytes(), content_type, &MatchingRules::default());
        prop_assert!(mismatches.is_empty(), "{text:?} does not match itself: {mismatches:?}");
    }

    #[test]
    fn headers_and_query_match_themselves(
        headers in headers_with(1..3),
        query in pairs(parameter_name().boxed(), 1..3),
    ) {
        // A contract that names one header twice (`Accept` and `accept`) is ambiguous: each is
        // compared with all the values sent under that name. One entry per name here.
        let mut seen = std::collections::BTreeSet::new();
        let headers: Pairs = headers
            .into_iter()
            .filter(|(name, _)| seen.insert(name.to_ascii_lowercase()))
            .collect();
        let request = HttpRequest {
            method: "GET".into(),
            path: "/".into(),
            query: Some(query.clone()),
            headers: Some(headers.clone()),
            body: Body::Absent,
            matching_rules: MatchingRules::default(),
            generators: Default::default(),
        };
        let actual = ActualRequest {
            method: "GET".into(),
            path: "/".into(),
            query,
            headers,
            body: Body::Absent,
        };
        let mismatches = match_request(&request, &actual);
        prop_assert!(mismatches.is_empty(), "{mismatches:?}");
    }
}
