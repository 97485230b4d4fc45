//! Content identity on small hand-written pairs: spellings Treaty reads identically hash the
//! same; anything the matcher could tell apart hashes differently.

use serde_json::{Value, json};
use treaty_schemas::{canonical_json, content_hash};

/// A one-interaction document of `version` around `interaction`.
fn single(version: &str, interaction: Value) -> Value {
    json!({
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": [interaction],
        "metadata": {"pactSpecification": {"version": version}}
    })
}

fn v3_http(request: Value, response: Value) -> Value {
    single(
        "3.0.0",
        json!({"description": "d", "request": request, "response": response}),
    )
}

fn v4_http(request: Value, response: Value) -> Value {
    single(
        "4.0",
        json!({"type": "Synchronous/HTTP", "description": "d", "request": request, "response": response}),
    )
}

/// Pairs that Treaty reads identically, so they must hash the same.
fn equivalent_pairs() -> Vec<(&'static str, Value, Value)> {
    let ok = json!({"status": 200});
    let get = json!({"method": "GET", "path": "/"});
    let rules = |matcher: Value| json!({"status": 200, "body": {"d": "2020-01-01"}, "matchingRules": {"body": {"$.d": {"matchers": [matcher]}}}});
    vec![
        (
            "legacy date key",
            v3_http(
                get.clone(),
                rules(json!({"match": "date", "date": "yyyy-MM-dd"})),
            ),
            v3_http(
                get.clone(),
                rules(json!({"match": "date", "format": "yyyy-MM-dd"})),
            ),
        ),
        (
            "method case",
            v3_http(json!({"method": "get", "path": "/"}), ok.clone()),
            v3_http(get.clone(), ok.clone()),
        ),
        (
            "default path",
            v3_http(json!({"method": "GET"}), ok.clone()),
            v3_http(get.clone(), ok.clone()),
        ),
        (
            "query string in V3",
            v3_http(
                json!({"method": "GET", "path": "/", "query": "a=1&b=2&a=3"}),
                ok.clone(),
            ),
            v3_http(
                json!({"method": "GET", "path": "/", "query": {"a": ["1", "3"], "b": ["2"]}}),
                ok.clone(),
            ),
        ),
        (
            "query value string",
            v3_http(
                json!({"method": "GET", "path": "/", "query": {"a": "1"}}),
                ok.clone(),
            ),
            v3_http(
                json!({"method": "GET", "path": "/", "query": {"a": ["1"]}}),
                ok.clone(),
            ),
        ),
        (
            "one-element header array",
            v4_http(
                json!({"method": "GET", "path": "/", "headers": {"Accept": ["text/plain"]}}),
                ok.clone(),
            ),
            v4_http(
                json!({"method": "GET", "path": "/", "headers": {"Accept": "text/plain"}}),
                ok.clone(),
            ),
        ),
        (
            "wrapper content type equal to header",
            v4_http(
                get.clone(),
                json!({"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"content": {"a": 1}, "contentType": "application/json", "encoded": false}}),
            ),
            v4_http(
                get.clone(),
                json!({"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"content": {"a": 1}}}),
            ),
        ),
        (
            "providerState string in V3",
            single(
                "3.0.0",
                json!({"description": "d", "providerState": "s", "request": get, "response": ok}),
            ),
            single(
                "3.0.0",
                json!({"description": "d", "providerStates": [{"name": "s", "params": {}}], "request": get, "response": ok}),
            ),
        ),
        (
            "metaData spelling",
            single(
                "3.0.0",
                json!({"description": "m", "contents": {"a": 1}, "metaData": {"topic": "t"}}),
            ),
            single(
                "3.0.0",
                json!({"description": "m", "contents": {"a": 1}, "metadata": {"topic": "t"}}),
            ),
        ),
        (
            "message rules under content",
            single(
                "4.0",
                json!({"type": "Asynchronous/Messages", "description": "m", "contents": {"content": 1}, "matchingRules": {"content": {"$": {"matchers": [{"match": "integer"}]}}}}),
            ),
            single(
                "4.0",
                json!({"type": "Asynchronous/Messages", "description": "m", "contents": {"content": 1}, "matchingRules": {"body": {"$": {"matchers": [{"match": "integer"}]}}}}),
            ),
        ),
        (
            "spec version spelling",
            single(
                "3.0",
                json!({"description": "d", "request": get, "response": ok}),
            ),
            single(
                "3.0.0",
                json!({"description": "d", "request": get, "response": ok}),
            ),
        ),
        (
            "undeclared version is V2",
            json!({"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": [{"description": "d", "request": get, "response": ok}]}),
            single(
                "2.0.0",
                json!({"description": "d", "request": get, "response": ok}),
            ),
        ),
    ]
}

/// Pairs that differ in meaning (or might, to the matcher), so they must hash differently.
fn different_pairs() -> Vec<(&'static str, Value, Value)> {
    let ok = json!({"status": 200});
    let get = json!({"method": "GET", "path": "/"});
    vec![
        (
            "header list vs one string",
            v4_http(
                json!({"method": "GET", "path": "/", "headers": {"Accept": ["a", "b"]}}),
                ok.clone(),
            ),
            v4_http(
                json!({"method": "GET", "path": "/", "headers": {"Accept": "a, b"}}),
                ok.clone(),
            ),
        ),
        (
            "empty query vs no query",
            v3_http(
                json!({"method": "GET", "path": "/", "query": {}}),
                ok.clone(),
            ),
            v3_http(get.clone(), ok.clone()),
        ),
        (
            "null body vs no body",
            v3_http(get.clone(), json!({"status": 200, "body": null})),
            v3_http(get.clone(), ok.clone()),
        ),
        (
            "empty header value",
            v3_http(
                json!({"method": "GET", "path": "/", "headers": {"X": ""}}),
                ok.clone(),
            ),
            v3_http(get.clone(), ok.clone()),
        ),
        (
            "combine OR vs AND",
            v3_http(
                get.clone(),
                json!({"status": 200, "matchingRules": {"body": {"$": {"matchers": [{"match": "type"}], "combine": "OR"}}}}),
            ),
            v3_http(
                get.clone(),
                json!({"status": 200, "matchingRules": {"body": {"$": {"matchers": [{"match": "type"}], "combine": "AND"}}}}),
            ),
        ),
        (
            "V2 vs V3",
            single(
                "2.0.0",
                json!({"description": "d", "request": get, "response": ok}),
            ),
            single(
                "3.0.0",
                json!({"description": "d", "request": get, "response": ok}),
            ),
        ),
        (
            "V1 vs V1.1",
            single(
                "1.0.0",
                json!({"description": "d", "request": get, "response": ok}),
            ),
            single(
                "1.1.0",
                json!({"description": "d", "request": get, "response": ok}),
            ),
        ),
        (
            "pending true",
            v4_http(get.clone(), ok.clone()),
            single(
                "4.0",
                json!({"type": "Synchronous/HTTP", "description": "d", "pending": true, "request": get, "response": ok}),
            ),
        ),
        (
            "provider state params",
            single(
                "3.0.0",
                json!({"description": "d", "providerStates": [{"name": "s", "params": {"id": 1}}], "request": get, "response": ok}),
            ),
            single(
                "3.0.0",
                json!({"description": "d", "providerStates": [{"name": "s"}], "request": get, "response": ok}),
            ),
        ),
    ]
}

#[test]
fn equivalent_spellings_hash_the_same() {
    let failures: Vec<String> = equivalent_pairs()
        .into_iter()
        .filter(|(_, left, right)| content_hash(left) != content_hash(right))
        .map(|(name, left, right)| {
            format!(
                "{name}:\n  {}\n  {}",
                canonical_json(&left),
                canonical_json(&right)
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "expected equal hashes:\n{}",
        failures.join("\n")
    );
}

#[test]
fn different_meanings_hash_differently() {
    let failures: Vec<&str> = different_pairs()
        .into_iter()
        .filter(|(_, left, right)| content_hash(left) == content_hash(right))
        .map(|(name, _, _)| name)
        .collect();
    assert!(
        failures.is_empty(),
        "expected different hashes: {failures:?}"
    );
}
