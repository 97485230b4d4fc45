//! Data-driven checks of the request generators: each case is a generator object and a
//! predicate its value must satisfy.

use serde_json::{Map, Value, json};

use super::*;

fn check(generator: Value, expect: impl Fn(&Value) -> bool) {
    let params: Map<String, Value> = json!({"id": 42, "name": "Ada"})
        .as_object()
        .cloned()
        .unwrap_or_default();
    for _ in 0..20 {
        let value = generate(&generator, &params);
        let value = value.unwrap_or_else(|| panic!("{generator} generated nothing"));
        assert!(expect(&value), "{generator} generated {value}");
    }
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

#[test]
fn common_generators_make_values_of_the_right_shape() {
    check(json!({"type": "RandomInt", "min": 5, "max": 7}), |v| {
        v.as_i64().is_some_and(|n| (5..=7).contains(&n))
    });
    check(json!({"type": "RandomDecimal", "digits": 6}), |v| {
        v.is_f64()
    });
    check(json!({"type": "RandomString", "size": 12}), |v| {
        text(v).len() == 12
    });
    check(json!({"type": "RandomHexadecimal", "digits": 8}), |v| {
        text(v).len() == 8 && text(v).chars().all(|c| c.is_ascii_hexdigit())
    });
    check(json!({"type": "RandomBoolean"}), Value::is_boolean);
    check(json!({"type": "Uuid"}), |v| {
        regex::Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
            .unwrap()
            .is_match(text(v))
    });
    check(json!({"type": "Uuid", "format": "simple"}), |v| {
        text(v).len() == 32
    });
    check(json!({"type": "Date"}), |v| {
        chrono::NaiveDate::parse_from_str(text(v), "%Y-%m-%d").is_ok()
    });
    check(json!({"type": "Date", "format": "dd/MM/yyyy"}), |v| {
        chrono::NaiveDate::parse_from_str(text(v), "%d/%m/%Y").is_ok()
    });
    check(json!({"type": "Time", "format": "HH:mm"}), |v| {
        chrono::NaiveTime::parse_from_str(text(v), "%H:%M").is_ok()
    });
    check(
        json!({"type": "DateTime", "format": "yyyy-MM-dd'T'HH:mm:ss"}),
        |v| chrono::NaiveDateTime::parse_from_str(text(v), "%Y-%m-%dT%H:%M:%S").is_ok(),
    );
    check(json!({"type": "DateTime"}), |v| {
        chrono::DateTime::parse_from_rfc3339(text(v)).is_ok()
    });
    check(json!({"type": "Regex", "regex": "\\d{2}-[a-z]{3}"}), |v| {
        regex::Regex::new("^\\d{2}-[a-z]{3}$")
            .unwrap()
            .is_match(text(v))
    });
}

#[test]
fn provider_state_generators_substitute_parameters() {
    check(
        json!({"type": "ProviderState", "expression": "${id}"}),
        |v| *v == json!(42),
    );
    check(
        json!({"type": "ProviderState", "expression": "/users/${id}/${name}"}),
        |v| text(v) == "/users/42/Ada",
    );
    let missing = generate(
        &json!({"type": "ProviderState", "expression": "${nope}"}),
        &Map::new(),
    );
    assert_eq!(missing, None);
}

#[test]
fn unknown_generators_leave_the_value_as_written() {
    let generators = [("$.a".to_owned(), json!({"type": "MockServerURL"}))]
        .into_iter()
        .collect();
    let mut body = json!({"a": "as written"});
    apply_to_json(&mut body, &generators, &Map::new());
    assert_eq!(body, json!({"a": "as written"}));
}

#[test]
fn body_paths_reach_fields_indexes_and_wildcards() {
    let generator = json!({"type": "ProviderState", "expression": "${id}"});
    let paths = [
        "$.id",
        "$.items[*].id",
        "$['odd-key']",
        "$.list[1]",
        "$.missing.deep",
    ];
    let generators = paths
        .iter()
        .map(|path| (path.to_string(), generator.clone()))
        .collect();
    let mut body = json!({
        "id": 0, "items": [{"id": 1}, {"id": 2}], "odd-key": 0, "list": [0, 0]
    });
    let params = json!({"id": 7}).as_object().cloned().unwrap();
    apply_to_json(&mut body, &generators, &params);
    assert_eq!(
        body,
        json!({"id": 7, "items": [{"id": 7}, {"id": 7}], "odd-key": 7, "list": [0, 7]})
    );
}
