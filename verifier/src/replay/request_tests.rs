//! Checks that a contract request becomes the HTTP request a Pact verifier would send.

use serde_json::json;
use treaty_schemas::MatchingRules;

use super::*;

fn request() -> HttpRequest {
    HttpRequest {
        method: "post".into(),
        path: "/users/1 2".into(),
        query: Some(vec![("q".into(), vec!["a b".into(), "c&d".into()])]),
        headers: Some(vec![
            ("X-Trace".into(), vec!["1".into()]),
            ("Authorization".into(), vec!["old".into()]),
        ]),
        body: Body::Present {
            content: BodyContent::Json(json!({"id": 1})),
            content_type: None,
        },
        matching_rules: MatchingRules::default(),
        generators: Generators::new(),
    }
}

fn build_one(request: &HttpRequest, custom: &[(HeaderName, HeaderValue)]) -> Outgoing<'static> {
    let params = json!({"id": 99}).as_object().cloned().unwrap();
    build("/base", request, custom, &params).unwrap()
}

fn header<'a>(built: &'a Outgoing<'_>, name: &str) -> Vec<&'a str> {
    built
        .headers
        .iter()
        .filter(|(header, _)| header.as_str() == name)
        .map(|(_, value)| value.to_str().unwrap())
        .collect()
}

#[test]
fn the_request_is_built_as_written() {
    let built = build_one(&request(), &[]);
    assert_eq!(built.method, Method::POST);
    assert_eq!(built.target, "/base/users/1%202?q=a+b&q=c%26d");
    assert_eq!(header(&built, "x-trace"), ["1"]);
    assert_eq!(header(&built, "content-type"), ["application/json"]);
    assert_eq!(built.body.as_deref(), Some(&br#"{"id":1}"#[..]));
}

#[test]
fn custom_headers_replace_contract_headers() {
    let custom = [(
        HeaderName::from_static("authorization"),
        HeaderValue::from_static("Bearer s3cret"),
    )];
    let built = build_one(&request(), &custom);
    assert_eq!(header(&built, "authorization"), ["Bearer s3cret"]);
}

#[test]
fn generators_apply_to_path_query_headers_and_body() {
    let mut with_generators = request();
    let state = json!({"type": "ProviderState", "expression": "${id}"});
    with_generators.generators = [
        (
            "path",
            "",
            json!({"type": "ProviderState", "expression": "/users/${id}"}),
        ),
        ("query", "q", state.clone()),
        ("header", "x-trace", state.clone()),
        ("body", "$.id", state),
    ]
    .into_iter()
    .fold(Generators::new(), |mut all, (category, key, generator)| {
        all.entry(category.to_owned())
            .or_default()
            .insert(key.to_owned(), generator);
        all
    });
    let built = build_one(&with_generators, &[]);
    assert_eq!(built.target, "/base/users/99?q=99&q=99");
    assert_eq!(header(&built, "x-trace"), ["99"]);
    assert_eq!(built.body.as_deref(), Some(&br#"{"id":99}"#[..]));
}

#[test]
fn paths_are_sent_as_a_url_parser_would_send_them() {
    let cases = [
        ("/a/./b/../c", "/base/a/c"),
        ("/a/%2E%2e/c", "/base/c"),
        ("/a\\b", "/base/a/b"),
        ("relative", "/base/relative"),
        ("/ü {x}", "/base/%C3%BC%20%7Bx%7D"),
        ("/50%25/ok", "/base/50%25/ok"),
    ];
    for (path, expected) in cases {
        let mut plain = request();
        plain.path = path.to_owned();
        plain.query = None;
        assert_eq!(build_one(&plain, &[]).target, expected, "{path}");
    }
}

#[test]
fn an_invalid_method_or_header_is_a_clear_error() {
    let params = Map::new();
    let mut bad = request();
    bad.method = "GE T".into();
    let error = build("", &bad, &[], &params).unwrap_err();
    assert!(error.contains("not a valid HTTP method"), "{error}");
    let mut bad = request();
    bad.headers = Some(vec![("X Bad".into(), vec!["1".into()])]);
    let error = build("", &bad, &[], &params).unwrap_err();
    assert!(error.contains("header name"), "{error}");
}

#[test]
fn a_path_with_nothing_to_encode_is_sent_as_the_encoding_path_sends_it() {
    // The target as the general path builds it: every byte through the encoder, then the
    // URL parser's normalisation when it would rewrite something.
    let general = |base: &str, path: &str| {
        let mut target = base.to_owned();
        if !path.starts_with('/') {
            target.push('/');
        }
        target.extend(percent_encoding::utf8_percent_encode(path, PATH_ENCODE));
        if needs_url_normalisation(&target) {
            target = normalised_path(&target).unwrap();
        }
        target
    };
    let params = Map::new();
    for base in ["", "/base", "/v1.0", "/a%20b"] {
        for character in (0u8..0x80).map(char::from).chain(['é', '€']) {
            for path in [
                format!("/a{character}b"),
                format!("/{character}"),
                format!("/x/{character}{character}/y"),
                format!("{character}"),
            ] {
                let mut plain = request();
                plain.path = path.clone();
                plain.query = None;
                let built = build(base, &plain, &[], &params).map(|outgoing| outgoing.target);
                assert_eq!(
                    built.as_deref(),
                    Ok(general(base, &path).as_str()),
                    "{base:?} {path:?}"
                );
            }
        }
    }
}
