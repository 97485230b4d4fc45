//! Proptest strategies for the property tests in `parse_properties.rs`: arbitrary JSON values,
//! and valid Pact documents of specification V2, V3 and V4 built from a small description of
//! their interactions.
//!
//! The valid documents are written the way the canonical form already spells them (upper-case
//! methods, no empty `headers`, no `contentType` the canonical form would drop), so that a
//! document and its canonical form parse into the same model; the few spellings the canonical
//! form rewrites without changing the model (`combine: "AND"`, legacy `date`/`timestamp` format
//! keys, a V3 lone `providerState`, one-element header arrays, empty state `params`, V3
//! `metaData`) are generated on purpose, to check that those rewrites keep the meaning.

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value, json};

/// The configuration every property here runs with: a bounded number of cases and no
/// regression files written into the repository.
pub(crate) fn config() -> Config {
    Config {
        // 256 cases keep a debug run to seconds; `PROPTEST_CASES=10000` runs a deeper search.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Object keys: mostly a tiny alphabet (so generated paths and keys meet), sometimes any text.
pub(crate) fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-c]{1,2}", 1 => "\\PC{0,6}"]
}

/// Any JSON value, at most four levels deep and about 48 nodes in all.
pub(crate) fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("a finite number", |number| {
            serde_json::Number::from_f64(number).map(Value::Number)
        }),
        json_key().prop_map(Value::String),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((json_key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// The specification versions the valid documents are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V2,
    V3,
    V4,
}

/// A valid pact document of `version`.
pub(crate) fn pact_document(version: Version) -> impl Strategy<Value = Value> {
    let interactions = prop::collection::vec(http_interaction(version), 0..4);
    let messages = if version == Version::V2 {
        Just(Vec::new()).boxed()
    } else {
        prop::collection::vec(message(version), 0..3).boxed()
    };
    (
        pacticipant_name(),
        pacticipant_name(),
        interactions,
        messages,
        any::<bool>(),
    )
        .prop_map(
            move |(consumer, provider, interactions, messages, tool_metadata)| {
                let mut metadata = Map::new();
                let spec = match version {
                    Version::V2 => "2.0.0",
                    Version::V3 => "3.0.0",
                    Version::V4 => "4.0",
                };
                metadata.insert("pactSpecification".into(), json!({ "version": spec }));
                if tool_metadata {
                    metadata.insert("pactRust".into(), json!({ "models": "1.2.3" }));
                }
                let mut document = Map::new();
                document.insert("consumer".into(), json!({ "name": consumer }));
                document.insert("provider".into(), json!({ "name": provider }));
                if version == Version::V4 {
                    let mut all = interactions;
                    all.extend(messages);
                    document.insert("interactions".into(), Value::Array(all));
                } else {
                    document.insert("interactions".into(), Value::Array(interactions));
                    if !messages.is_empty() {
                        document.insert("messages".into(), Value::Array(messages));
                    }
                }
                document.insert("metadata".into(), Value::Object(metadata));
                Value::Object(document)
            },
        )
}

/// A valid pact document of any of the three versions.
pub(crate) fn any_pact_document() -> impl Strategy<Value = Value> {
    prop_oneof![
        pact_document(Version::V2),
        pact_document(Version::V3),
        pact_document(Version::V4),
    ]
}

fn pacticipant_name() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9 _-]{0,15}"
}

/// The description and provider states every interaction kind has.
fn description_and_states(version: Version) -> impl Strategy<Value = Map<String, Value>> {
    let state = (
        "[a-z][a-z0-9 ]{0,12}",
        prop::option::of(prop::collection::vec((json_key(), json_value()), 0..3)),
    );
    (
        "[a-z][a-z0-9 ]{0,20}",
        prop::collection::vec(state, 0..3),
        any::<bool>(),
    )
        .prop_map(move |(description, states, lone_string)| {
            let mut object = Map::new();
            object.insert("description".into(), Value::String(description));
            match (version, states.as_slice()) {
                (_, []) => {}
                (Version::V2, [(name, _), ..]) => {
                    object.insert("providerState".into(), Value::String(name.clone()));
                }
                // The canonical form turns a V3 lone `providerState` into `providerStates`.
                (Version::V3, [(name, _)]) if lone_string => {
                    object.insert("providerState".into(), Value::String(name.clone()));
                }
                (_, states) => {
                    let states = states
                        .iter()
                        .map(|(name, params)| {
                            let mut state = Map::new();
                            state.insert("name".into(), Value::String(name.clone()));
                            if let Some(params) = params {
                                let params: Map<String, Value> = params.iter().cloned().collect();
                                state.insert("params".into(), Value::Object(params));
                            }
                            Value::Object(state)
                        })
                        .collect();
                    object.insert("providerStates".into(), Value::Array(states));
                }
            }
            object
        })
}

/// The V4-only keys: `pending`, `key`, non-blank `comments`.
fn v4_extras() -> impl Strategy<Value = Map<String, Value>> {
    (
        prop::option::of(any::<bool>()),
        prop::option::of("[0-9a-f]{8}"),
        prop::option::of("[a-z]{1,8}"),
    )
        .prop_map(|(pending, key, testname)| {
            let mut object = Map::new();
            if let Some(pending) = pending {
                object.insert("pending".into(), Value::Bool(pending));
            }
            if let Some(key) = key {
                object.insert("key".into(), Value::String(key));
            }
            if let Some(testname) = testname {
                object.insert("comments".into(), json!({ "testname": testname }));
            }
            object
        })
}

fn http_interaction(version: Version) -> impl Strategy<Value = Value> {
    (
        description_and_states(version),
        v4_extras(),
        request(version),
        response(version),
    )
        .prop_map(move |(mut object, extras, request, response)| {
            if version == Version::V4 {
                object.insert("type".into(), json!("Synchronous/HTTP"));
                object.extend(extras);
            }
            object.insert("request".into(), request);
            object.insert("response".into(), response);
            Value::Object(object)
        })
}

fn message(version: Version) -> impl Strategy<Value = Value> {
    (
        description_and_states(version),
        v4_extras(),
        json_value(),
        prop::option::of(prop::collection::vec(("[a-z]{1,4}", "[a-z]{0,4}"), 0..3)),
        rules(version, false),
    )
        .prop_map(move |(mut object, extras, contents, metadata, rules)| {
            let metadata = metadata.map(|entries| {
                let mut metadata: Map<String, Value> = entries
                    .into_iter()
                    .map(|(key, value)| (key, Value::String(value)))
                    .collect();
                metadata.insert("contentType".into(), json!("application/json"));
                Value::Object(metadata)
            });
            match version {
                Version::V4 => {
                    object.insert("type".into(), json!("Asynchronous/Messages"));
                    object.extend(extras);
                    object.insert("contents".into(), json!({ "content": contents }));
                    if let Some(metadata) = metadata {
                        object.insert("metadata".into(), metadata);
                    }
                }
                _ => {
                    object.insert("contents".into(), contents);
                    if let Some(metadata) = metadata {
                        object.insert("metaData".into(), metadata);
                    }
                }
            }
            if let Some(rules) = rules {
                object.insert("matchingRules".into(), rules);
            }
            Value::Object(object)
        })
}

fn request(version: Version) -> impl Strategy<Value = Value> {
    let query_entries = if version == Version::V2 { 1..4 } else { 0..4 };
    (
        prop::sample::select(vec![
            "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
        ]),
        "(/[a-z0-9]{1,6}){0,3}",
        prop::option::of(prop::collection::vec(
            (
                "[a-z]{1,5}",
                prop::collection::vec("[a-z0-9]{0,5}", 1..3),
                any::<bool>(),
            ),
            query_entries,
        )),
        http_part(version),
        rules(version, true),
    )
        .prop_map(move |(method, path, query, part, rules)| {
            let mut object = Map::new();
            object.insert("method".into(), json!(method));
            object.insert(
                "path".into(),
                json!(if path.is_empty() { "/" } else { &path }),
            );
            if let Some(query) = query {
                object.insert("query".into(), query_value(version, query));
            }
            object.extend(part);
            if let Some(rules) = rules {
                object.insert("matchingRules".into(), rules);
            }
            Value::Object(object)
        })
}

/// V2 writes a query string; V3 and V4 a map of arrays (a lone value sometimes as a string,
/// which the canonical form turns into a one-element array).
fn query_value(version: Version, query: Vec<(String, Vec<String>, bool)>) -> Value {
    if version == Version::V2 {
        let pairs: Vec<String> = query
            .iter()
            .flat_map(|(name, values, _)| values.iter().map(move |value| format!("{name}={value}")))
            .collect();
        return Value::String(pairs.join("&"));
    }
    let mut map = Map::new();
    for (name, values, lone_string) in query {
        let value = match values.as_slice() {
            [single] if lone_string => Value::String(single.clone()),
            _ => Value::Array(values.into_iter().map(Value::String).collect()),
        };
        map.insert(name, value);
    }
    Value::Object(map)
}

fn response(version: Version) -> impl Strategy<Value = Value> {
    (100u16..600, http_part(version), rules(version, false)).prop_map(|(status, part, rules)| {
        let mut object = Map::new();
        object.insert("status".into(), json!(status));
        object.extend(part);
        if let Some(rules) = rules {
            object.insert("matchingRules".into(), rules);
        }
        Value::Object(object)
    })
}

/// What a body is: none, JSON (of any shape, including `null`), or text sent as `text/plain`.
#[derive(Debug, Clone)]
enum BodySpec {
    Absent,
    Json(Value),
    Text(String),
}

/// Headers and body of a request or response.
fn http_part(version: Version) -> impl Strategy<Value = Map<String, Value>> {
    let body = prop_oneof![
        Just(BodySpec::Absent),
        json_value().prop_map(BodySpec::Json),
        "[ -~]{1,16}".prop_map(BodySpec::Text),
    ];
    (
        body,
        prop::collection::vec(
            (
                "X-[A-Z][a-z]{1,5}",
                prop::collection::vec("[ -~]{0,10}", 1..3),
            ),
            0..3,
        ),
        any::<bool>(),
    )
        .prop_map(move |(body, headers, json_header)| {
            let mut header_map = Map::new();
            for (name, values) in headers {
                let value = match (version, values.as_slice()) {
                    (Version::V4, _) => {
                        Value::Array(values.iter().cloned().map(Value::String).collect())
                    }
                    (_, [first, ..]) => Value::String(first.clone()),
                    (_, []) => Value::String(String::new()),
                };
                header_map.insert(name, value);
            }
            let mut object = Map::new();
            let body_value = match body {
                BodySpec::Absent => None,
                BodySpec::Json(content) => {
                    if json_header {
                        header_map.insert("Content-Type".into(), json!("application/json"));
                    }
                    Some(if version == Version::V4 {
                        json!({ "content": content })
                    } else {
                        content
                    })
                }
                BodySpec::Text(text) => Some(if version == Version::V4 {
                    json!({ "content": text, "contentType": "text/plain" })
                } else {
                    header_map.insert("Content-Type".into(), json!("text/plain"));
                    Value::String(text)
                }),
            };
            if !header_map.is_empty() {
                object.insert("headers".into(), Value::Object(header_map));
            }
            if let Some(body_value) = body_value {
                object.insert("body".into(), body_value);
            }
            object
        })
}

/// A body path rooted at `$`, over the same small key alphabet as the JSON values.
fn body_path() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        "[a-c]{1,2}".prop_map(|key| format!(".{key}")),
        Just("[*]".to_owned()),
        Just(".*".to_owned()),
        (0usize..3).prop_map(|index| format!("[{index}]")),
        "[a-c ]{1,3}".prop_map(|key| format!("['{key}']")),
    ];
    prop::collection::vec(segment, 0..4).prop_map(|segments| format!("${}", segments.concat()))
}

/// A V2 matcher: only `type`, `min`/`max` and `regex` exist there.
fn v2_matcher() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({ "match": "type" })),
        (0u64..3).prop_map(|min| json!({ "min": min })),
        (0u64..3, 0u64..3)
            .prop_map(|(min, extra)| json!({ "match": "type", "min": min, "max": min + extra })),
        regex_text().prop_map(|regex| json!({ "match": "regex", "regex": regex })),
        regex_text().prop_map(|regex| json!({ "regex": regex })),
    ]
}

fn regex_text() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["\\d+", "[a-z]*", ".*", "a|b", "^x$", "[A-Z]{3}-\\d+"])
        .prop_map(str::to_owned)
}

/// A V3/V4 matcher of any kind Treaty knows, valid, in the spellings Pact tools write.
fn matcher() -> impl Strategy<Value = Value> {
    prop_oneof![
        v2_matcher(),
        Just(json!({ "match": "equality" })),
        "[a-z]{0,4}".prop_map(|value| json!({ "match": "include", "value": value })),
        prop::sample::select(vec![
            "integer", "decimal", "number", "boolean", "null", "values", "notEmpty", "semver"
        ])
        .prop_map(|kind| json!({ "match": kind })),
        Just(json!({ "match": "date", "format": "yyyy-MM-dd" })),
        Just(json!({ "match": "date", "date": "yyyy-MM-dd" })),
        Just(json!({ "match": "time", "format": "HH:mm:ss" })),
        Just(json!({ "match": "timestamp", "timestamp": "yyyy-MM-dd'T'HH:mm:ss" })),
        Just(json!({ "match": "datetime", "format": "yyyy-MM-dd HH:mm" })),
        Just(json!({ "match": "contentType", "value": "text/plain" })),
        Just(json!({ "match": "eachValue", "rules": [{ "match": "type" }] })),
        Just(json!({ "match": "eachKey", "rules": [{ "match": "regex", "regex": "[a-z]+" }] })),
        Just(json!({
            "match": "arrayContains",
            "variants": [{ "index": 0, "rules": { "$": { "matchers": [{ "match": "type" }], "combine": "AND" } } }]
        })),
        Just(json!({ "match": "statusCode", "status": "success" })),
    ]
}

/// One rule list: matchers and, sometimes, a `combine` (`AND` is the default the canonical
/// form removes).
fn rule_list() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(matcher(), 1..3),
        prop::sample::select(vec![None, Some("AND"), Some("OR")]),
    )
        .prop_map(|(matchers, combine)| {
            let mut list = Map::new();
            list.insert("matchers".into(), Value::Array(matchers));
            if let Some(combine) = combine {
                list.insert("combine".into(), json!(combine));
            }
            Value::Object(list)
        })
}

/// `matchingRules` of a request (with query and path rules) or of a response or message
/// (with status rules only for responses of V3 on); `None` for no rules at all.
fn rules(version: Version, is_request: bool) -> impl Strategy<Value = Option<Value>> {
    let v2_rules = prop::collection::vec(
        (
            prop_oneof![
                body_path().prop_map(|path| format!("$.body{}", &path[1..])),
                "X-[A-Z][a-z]{1,5}".prop_map(|name| format!("$.headers.{name}")),
                "[a-z]{1,5}".prop_map(|name| format!("$.query.{name}")),
                Just("$.path".to_owned()),
            ],
            v2_matcher(),
        ),
        0..4,
    )
    .prop_map(|entries| {
        if entries.is_empty() {
            return None;
        }
        Some(Value::Object(entries.into_iter().collect()))
    });
    let categorised = (
        prop::collection::vec((body_path(), rule_list()), 0..3),
        prop::collection::vec(("X-[A-Z][a-z]{1,5}", rule_list()), 0..2),
        prop::collection::vec(("[a-z]{1,5}", rule_list()), 0..2),
        prop::option::of(rule_list()),
    )
        .prop_map(move |(body, header, query, single)| {
            let mut categories = Map::new();
            let mut insert = |name: &str, entries: Vec<(String, Value)>| {
                if !entries.is_empty() {
                    categories.insert(name.into(), Value::Object(entries.into_iter().collect()));
                }
            };
            insert("body", body);
            insert("header", header);
            if is_request {
                insert("query", query);
            }
            if let Some(single) = single {
                categories.insert((if is_request { "path" } else { "status" }).into(), single);
            }
            (!categories.is_empty()).then_some(Value::Object(categories))
        });
    if version == Version::V2 {
        v2_rules.boxed()
    } else {
        categorised.boxed()
    }
}
