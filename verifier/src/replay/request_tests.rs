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

fn build_one(request: &HttpRequest, custom: &[(HeaderName, HeaderValue)]) -> reqwest::Request {
    let params = json!({"id": 99}).as_object().cloned().unwrap();
    build(
        &reqwest::Client::new(),
        "http://127.0.0.1:1/base",
        request,
        custom,
        &params,
    )
    .unwrap()
}

#[test]
fn the_request_is_built_as_written() {
    let built = build_one(&request(), &[]);
    assert_eq!(built.method(), Method::POST);
    assert_eq!(
        built.url().as_str(),
        "http://127.0.0.1:1/base/users/1%202?q=a+b&q=c%26d"
    );
    assert_eq!(built.headers()["x-trace"], "1");
    assert_eq!(built.headers()[CONTENT_TYPE], "application/json");
    let body = built.body().and_then(reqwest::Body::as_bytes).unwrap();
    assert_eq!(body, br#"{"id":1}"#);
}

#[test]
fn custom_headers_replace_contract_headers() {
    let custom = [(
        HeaderName::from_static("authorization"),
        HeaderValue::from_static("Bearer s3cret"),
    )];
    let built = build_one(&request(), &custom);
    let values: Vec<_> = built.headers().get_all("authorization").iter().collect();
    assert_eq!(values, [HeaderValue::from_static("Bearer s3cret")]);
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
    assert_eq!(
        built.url().as_str(),
        "http://127.0.0.1:1/base/users/99?q=99&q=99"
    );
    assert_eq!(built.headers()["x-trace"], "99");
    let body = built.body().and_then(reqwest::Body::as_bytes).unwrap();
    assert_eq!(body, br#"{"id":99}"#);
}
