//! Normalisation of one interaction or message before hashing: every rewrite here turns a form
//! that Treaty reads identically into one spelling, so that re-serialising a pact (as the `pact`
//! CLI's pact_models does) does not change its identity. Nothing here may merge two forms that
//! mean different things; when in doubt a form is left alone.
//!
//! The rewrites, per interaction:
//!
//! * removed: `_id` (added by brokers), `key` (V4, derived from the content), `pending: false`,
//!   empty or blank `comments` members, empty `pluginConfiguration`/`interactionMarkup`, null
//!   `providerState`;
//! * provider states: `provider_state` (Ruby V1) becomes `providerState`; from V3 on a lone
//!   `providerState` string becomes `providerStates: [{"name": …}]`; empty `params` are removed;
//! * requests: the method is upper-cased (matching ignores its case) and defaults to `GET`, the
//!   path defaults to `/`; from V3 on a query string becomes the map of arrays it parses to and
//!   a single string value becomes a one-element array;
//! * headers: a one-element array becomes its string; empty `headers` are removed;
//! * V4 bodies: `encoded: false`, `contentType: null`, `contentTypeHint: "DEFAULT"`, a
//!   `contentType` equal to the `Content-Type` header, and `application/json` on structured
//!   JSON content without such a header (what pact_models detects and writes) are removed;
//! * matching rules: `combine: "AND"` is removed, legacy `date`/`time`/`timestamp` format keys
//!   become `format`, `"match": "timestamp"` becomes `"datetime"`, V4 message rules under
//!   `content` move to `body`, empty categories and empty `matchingRules` are removed; empty
//!   `generators` likewise;
//! * V3 message `metaData` becomes `metadata`; empty metadata is removed.

use serde_json::{Map, Value};

use crate::model::SpecVersion;
use crate::wire::parse_query_string;

/// The normalised copy of one interaction or message (`version` as detected; `None` if unknown).
pub(super) fn interaction(value: &Value, version: Option<SpecVersion>) -> Value {
    let Value::Object(object) = value else {
        return value.clone();
    };
    let modern = version.is_some_and(|version| version >= SpecVersion::V3);
    let mut object = object.clone();
    for key in ["_id", "key"] {
        object.remove(key);
    }
    if object.get("pending") == Some(&Value::Bool(false)) {
        object.remove("pending");
    }
    normalise_comments(&mut object);
    remove_if_empty(&mut object, "pluginConfiguration");
    if object.get("interactionMarkup").is_some_and(is_blank) {
        object.remove("interactionMarkup");
    }
    normalise_states(&mut object, modern);
    match interaction_shape(&object) {
        Shape::Http => {
            if let Some(Value::Object(request)) = object.get_mut("request") {
                normalise_http_request(request, modern);
            }
            if let Some(Value::Object(response)) = object.get_mut("response") {
                normalise_http_parts(response, modern);
            }
        }
        Shape::AsyncMessage => normalise_message(&mut object, modern),
        Shape::SyncMessage => {
            if let Some(Value::Object(request)) = object.get_mut("request") {
                normalise_message(request, modern);
            }
            if let Some(Value::Array(responses)) = object.get_mut("response") {
                for response in responses.iter_mut().filter_map(Value::as_object_mut) {
                    normalise_message(response, modern);
                }
            }
        }
    }
    Value::Object(object)
}

enum Shape {
    Http,
    AsyncMessage,
    SyncMessage,
}

/// What an interaction is: the V4 `type` says so; before V4, an entry without a request and
/// a response is a message (V3 `messages`).
fn interaction_shape(object: &Map<String, Value>) -> Shape {
    match object.get("type").and_then(Value::as_str) {
        Some("Synchronous/Messages") => Shape::SyncMessage,
        Some("Asynchronous/Messages") => Shape::AsyncMessage,
        Some(_) => Shape::Http,
        None if object.contains_key("request") || object.contains_key("response") => Shape::Http,
        None => Shape::AsyncMessage,
    }
}

fn normalise_comments(object: &mut Map<String, Value>) {
    if let Some(Value::Object(comments)) = object.get_mut("comments") {
        comments.retain(|_, value| !is_blank(value));
    }
    if object.get("comments").is_some_and(is_blank) {
        object.remove("comments");
    }
}

fn normalise_states(object: &mut Map<String, Value>, modern: bool) {
    if let Some(state) = object.remove("provider_state") {
        object.entry("providerState").or_insert(state);
    }
    if object.get("providerState").is_some_and(Value::is_null) {
        object.remove("providerState");
    }
    if modern
        && !object.contains_key("providerStates")
        && let Some(Value::String(name)) = object.remove("providerState")
    {
        let mut state = Map::new();
        state.insert("name".to_owned(), Value::String(name));
        object.insert(
            "providerStates".to_owned(),
            Value::Array(vec![Value::Object(state)]),
        );
    }
    if let Some(Value::Array(states)) = object.get_mut("providerStates") {
        for state in states.iter_mut() {
            if let Value::Object(state) = state
                && state.get("params").is_some_and(is_empty)
            {
                state.remove("params");
            }
        }
    }
    if object.get("providerStates").is_some_and(is_empty) {
        object.remove("providerStates");
    }
}

fn normalise_http_request(request: &mut Map<String, Value>, modern: bool) {
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET")
        .to_ascii_uppercase();
    request.insert("method".to_owned(), Value::String(method));
    request
        .entry("path")
        .or_insert_with(|| Value::String("/".to_owned()));
    if modern && let Some(query) = request.get_mut("query") {
        normalise_query(query);
    }
    normalise_http_parts(request, modern);
}

/// Headers, body, rules and generators: what requests and responses share.
fn normalise_http_parts(part: &mut Map<String, Value>, modern: bool) {
    if let Some(Value::Object(headers)) = part.get_mut("headers") {
        for value in headers.values_mut() {
            if let Value::Array(items) = value
                && let [single @ Value::String(_)] = items.as_slice()
            {
                *value = single.clone();
            }
        }
    }
    remove_if_empty(part, "headers");
    let header_content_type = part
        .get("headers")
        .and_then(Value::as_object)
        .and_then(|headers| {
            headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        })
        .and_then(|(_, value)| value.as_str())
        .map(str::to_owned);
    if let Some(Value::Object(body)) = part.get_mut("body") {
        normalise_wrapper(body, header_content_type.as_deref());
    }
    normalise_rules_and_generators(part, modern);
}

fn normalise_message(message: &mut Map<String, Value>, modern: bool) {
    if let Some(metadata) = message.remove("metaData") {
        message.entry("metadata").or_insert(metadata);
    }
    remove_if_empty(message, "metadata");
    if let Some(Value::Object(contents)) = message.get_mut("contents") {
        normalise_wrapper(contents, None);
    }
    normalise_rules_and_generators(message, modern);
}

/// The V4 body wrapper's defaults. Only objects shaped like a wrapper are touched.
fn normalise_wrapper(body: &mut Map<String, Value>, header_content_type: Option<&str>) {
    let is_wrapper = body.contains_key("content")
        && body.keys().all(|key| {
            ["content", "contentType", "encoded", "contentTypeHint"].contains(&key.as_str())
        });
    if !is_wrapper {
        return;
    }
    if matches!(body.get("encoded"), Some(Value::Bool(false) | Value::Null)) {
        body.remove("encoded");
    }
    if body.get("contentType").is_some_and(Value::is_null) {
        body.remove("contentType");
    }
    if body.get("contentTypeHint").and_then(Value::as_str) == Some("DEFAULT") {
        body.remove("contentTypeHint");
    }
    if header_content_type.is_some()
        && body.get("contentType").and_then(Value::as_str) == header_content_type
    {
        body.remove("contentType");
    }
    // pact_models writes the content type it detected; for structured JSON content with no
    // header that is `application/json`, which is what Treaty infers from the content anyway.
    let structured = matches!(
        body.get("content"),
        Some(Value::Object(_) | Value::Array(_) | Value::Number(_) | Value::Bool(_))
    );
    if header_content_type.is_none()
        && structured
        && body.get("contentType").and_then(Value::as_str) == Some("application/json")
        && !body.contains_key("encoded")
    {
        body.remove("contentType");
    }
}

fn normalise_query(query: &mut Value) {
    match query {
        Value::String(text) => {
            let parameters = parse_query_string(text);
            *query = Value::Object(
                parameters
                    .into_iter()
                    .map(|(name, values)| {
                        (
                            name,
                            Value::Array(values.into_iter().map(Value::String).collect()),
                        )
                    })
                    .collect(),
            );
        }
        Value::Object(parameters) => {
            for value in parameters.values_mut() {
                if let Value::String(single) = value {
                    *value = Value::Array(vec![Value::String(single.clone())]);
                }
            }
        }
        _ => {}
    }
}

fn normalise_rules_and_generators(part: &mut Map<String, Value>, modern: bool) {
    if let Some(Value::Object(rules)) = part.get_mut("matchingRules") {
        if modern {
            if !rules.contains_key("body")
                && let Some(content) = rules.remove("content")
            {
                rules.insert("body".to_owned(), content);
            }
            for category in rules.values_mut() {
                normalise_category(category);
            }
            rules.retain(|_, category| !is_empty(category));
        } else {
            for matcher in rules.values_mut() {
                normalise_matcher(matcher);
            }
        }
    }
    remove_if_empty(part, "matchingRules");
    if let Some(Value::Object(generators)) = part.get_mut("generators") {
        if !generators.contains_key("body")
            && let Some(content) = generators.remove("content")
        {
            generators.insert("body".to_owned(), content);
        }
        generators.retain(|_, category| !is_empty(category));
    }
    remove_if_empty(part, "generators");
}

fn normalise_category(category: &mut Value) {
    let Value::Object(entries) = category else {
        return;
    };
    if entries.contains_key("matchers") {
        normalise_rule_list(category);
    } else {
        for list in entries.values_mut() {
            normalise_rule_list(list);
        }
    }
}

fn normalise_rule_list(list: &mut Value) {
    let Value::Object(object) = list else { return };
    if object
        .get("combine")
        .and_then(Value::as_str)
        .is_some_and(|combine| combine.eq_ignore_ascii_case("and"))
    {
        object.remove("combine");
    }
    if let Some(Value::Array(matchers)) = object.get_mut("matchers") {
        matchers.iter_mut().for_each(normalise_matcher);
    }
}

fn normalise_matcher(matcher: &mut Value) {
    let Value::Object(object) = matcher else {
        return;
    };
    let kind = object
        .get("match")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(kind @ ("date" | "time" | "timestamp" | "datetime")) = kind.as_deref() {
        let legacy = if kind == "datetime" {
            "timestamp"
        } else {
            kind
        };
        if !object.contains_key("format")
            && let Some(format) = object.remove(legacy)
        {
            object.insert("format".to_owned(), format);
        }
        if kind == "timestamp" {
            // pact-jvm writes `timestamp`; pact_models and the V4 specification write `datetime`.
            object.insert("match".to_owned(), Value::String("datetime".to_owned()));
        }
    }
    if let Some(Value::Array(rules)) = object.get_mut("rules") {
        rules.iter_mut().for_each(normalise_matcher);
    }
    if let Some(Value::Array(variants)) = object.get_mut("variants") {
        for variant in variants.iter_mut() {
            let Value::Object(variant) = variant else {
                continue;
            };
            if let Some(Value::Object(rules)) = variant.get_mut("rules") {
                rules.values_mut().for_each(normalise_rule_list);
            }
            remove_if_empty(variant, "generators");
        }
    }
}

/// Removes `key` when it holds null, `[]` or `{}` (a header or parameter with an empty string
/// value means something, so this does not look inside).
fn remove_if_empty(object: &mut Map<String, Value>, key: &str) {
    if object.get(key).is_some_and(is_empty) {
        object.remove(key);
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(object) => object.is_empty(),
        _ => false,
    }
}

/// Null, `""`, `[]`, `{}`, or an object whose members are all blank.
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(object) => object.values().all(is_blank),
        _ => false,
    }
}
