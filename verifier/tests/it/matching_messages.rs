//! The matching engine's messages and its rules per part, through its public API: where and
//! what each mismatch says, strict requests against lenient responses, messages with
//! metadata, XML bodies.

use serde_json::{Value, json};
use treaty::matching::{
    ActualRequest, ActualResponse, MismatchKind, match_message, match_request, match_response,
};
use treaty_schemas::{
    Body, BodyContent, HttpRequest, HttpResponse, MatchingRule, MatchingRules, Message,
};

use crate::matching::{check, json_response, rules};

#[test]
fn body_message_formats() {
    let body_rules = rules(&[("$.items[*].price", vec![MatchingRule::Number])]);
    let messages = check(
        json!({"items": [{"price": 1}]}),
        body_rules,
        json!({"items": [{"price": "12.50"}]}),
    );
    assert_eq!(
        messages,
        vec![r#"$.items[0].price: expected a number, got "12.50""#]
    );
    let messages = check(
        json!({"a": {"b": 1}}),
        MatchingRules::default(),
        json!({"a": {"c": 1}}),
    );
    assert_eq!(messages, vec!["$.a.b: expected 1, but the key is missing"]);
    let messages = check(
        json!({"a": [1, 2]}),
        MatchingRules::default(),
        json!({"a": [1]}),
    );
    assert_eq!(messages, vec!["$.a: expected 2 item(s), got 1"]);
}

#[test]
fn header_message_format_and_media_types() {
    let expected = json_response(json!({}), MatchingRules::default());
    let html = ActualResponse::from_parts(
        200,
        vec![("Content-Type".into(), vec!["text/html".into()])],
        b"{}",
    );
    let mismatches = match_response(&expected, &html);
    assert_eq!(
        mismatches[0].message,
        "header Content-Type: expected application/json, got text/html"
    );
    assert_eq!(mismatches[0].kind, MismatchKind::Header);
    assert_eq!(mismatches[0].path, "Content-Type");
}

#[test]
fn requests_are_strict_and_responses_lenient() {
    let expected = HttpRequest {
        method: "POST".into(),
        path: "/animals".into(),
        query: Some(vec![("a".into(), vec!["1".into(), "2".into()])]),
        headers: None,
        body: Body::Present {
            content: BodyContent::Json(json!({"name": "Mary"})),
            content_type: None,
        },
        matching_rules: MatchingRules::default(),
        generators: Default::default(),
    };
    let actual = ActualRequest::from_parts(
        "post",
        "/animals",
        "a=1&a=2",
        vec![],
        br#"{"name": "Mary", "age": 3}"#,
    );
    let messages: Vec<String> = match_request(&expected, &actual)
        .into_iter()
        .map(|m| m.message)
        .collect();
    assert_eq!(messages, vec!["$.age: unexpected key (with value 3)"]);
    let reordered = ActualRequest::from_parts(
        "POST",
        "/animals/",
        "a=2&a=1",
        vec![],
        br#"{"name": "Mary"}"#,
    );
    let kinds: Vec<MismatchKind> = match_request(&expected, &reordered)
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(kinds, vec![MismatchKind::Path, MismatchKind::Query]);
    assert!(
        check(
            json!({"name": "Mary"}),
            MatchingRules::default(),
            json!({"name": "Mary", "age": 3})
        )
        .is_empty()
    );
}

#[test]
fn messages_compare_contents_and_metadata() {
    let message = |contents: Value, content_type: &str| Message {
        contents: Body::Present {
            content: BodyContent::Json(contents),
            content_type: None,
        },
        metadata: [("contentType".to_owned(), json!(content_type))]
            .into_iter()
            .collect(),
        matching_rules: MatchingRules::default(),
        generators: Default::default(),
    };
    let expected = message(json!({"id": 1}), "application/json");
    assert!(
        match_message(
            &expected,
            &message(json!({"id": 1, "x": 2}), "application/json; charset=utf-8")
        )
        .is_empty()
    );
    let mismatches = match_message(&expected, &message(json!({"id": 2}), "text/plain"));
    let kinds: Vec<MismatchKind> = mismatches.iter().map(|m| m.kind).collect();
    assert!(kinds.contains(&MismatchKind::Metadata), "{mismatches:?}");
}

#[test]
fn xml_bodies() {
    let xml = |text: &str| HttpResponse {
        status: None,
        headers: Some(vec![(
            "Content-Type".into(),
            vec!["application/xml".into()],
        )]),
        body: Body::Present {
            content: BodyContent::Text(text.into()),
            content_type: None,
        },
        matching_rules: rules(&[("$.a['@id']", vec![MatchingRule::Integer])]),
        generators: Default::default(),
    };
    let expected = xml("<a id=\"1\"><b>x</b></a>");
    let actual = |text: &str| {
        ActualResponse::from_parts(
            200,
            vec![("Content-Type".into(), vec!["application/xml".into()])],
            text.as_bytes(),
        )
    };
    assert!(
        match_response(
            &expected,
            &actual("<a id=\"7\" extra=\"y\"><b>x</b><c/></a>")
        )
        .is_empty()
    );
    let messages: Vec<String> = match_response(&expected, &actual("<a id=\"q\"><b>y</b></a>"))
        .into_iter()
        .map(|m| m.message)
        .collect();
    assert_eq!(
        messages,
        vec![
            r#"$.a['@id']: expected an integer, got "q""#,
            r#"$.a.b['#text']: expected "x", got "y""#
        ]
    );
}

#[test]
fn a_byte_order_mark_or_a_doctype_does_not_get_in_the_way() {
    let expected = json_response(json!({"id": 1}), MatchingRules::default());
    let with_bom = ActualResponse::from_parts(
        200,
        vec![("Content-Type".into(), vec!["application/json".into()])],
        "\u{feff}{\"id\": 1}".as_bytes(),
    );
    assert!(match_response(&expected, &with_bom).is_empty());
    let xml = HttpResponse {
        status: None,
        headers: None,
        body: Body::Present {
            content: BodyContent::Text("<a>1</a>".into()),
            content_type: None,
        },
        matching_rules: MatchingRules::default(),
        generators: Default::default(),
    };
    let doctype =
        ActualResponse::from_parts(200, vec![], b"<?xml version=\"1.0\"?><!DOCTYPE a><a>1</a>");
    assert!(match_response(&xml, &doctype).is_empty());
}
