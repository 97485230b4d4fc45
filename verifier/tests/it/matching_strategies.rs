//! Proptest strategies for `matching_properties.rs`: JSON values, XML documents, bodies,
//! headers and query parameters, and matching rules of every kind the model has, with valid
//! and invalid arguments (regexes, date formats, JSON Schemas, rule paths).

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Value, json};
use treaty_schemas::{
    ArrayContainsVariant, Body, BodyContent, Combine, MatchingRule, MatchingRules, RuleCategory,
    RuleList,
};

/// The configuration every property runs with: a bounded number of cases and no regression
/// files written into the repository.
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

pub(crate) type Pairs = Vec<(String, Vec<String>)>;

/// Object keys: mostly a tiny alphabet (so that rule paths find them), sometimes any text.
pub(crate) fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-c]{1,2}", 1 => "\\PC{0,6}"]
}

/// Strings the matchers look into: dates, times, versions, numbers as text, and any text.
pub(crate) fn interesting_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "2024-02-29",
            "12:30:00",
            "2024-01-31T12:30:00Z",
            "2024-01-31T12:30:00.123+01:00",
            "Wed, 31 Jan 2024 12:30:00 GMT",
            "1.2.3",
            "1.2.3-rc.1+build",
            "42",
            "-0.5",
            "true",
            "",
            "<a>x</a>",
        ])
        .prop_map(str::to_owned),
        json_key(),
        "\\PC{0,12}",
    ]
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
        interesting_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((json_key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// A small XML document over the same names, with attributes and text.
pub(crate) fn xml_text() -> impl Strategy<Value = String> {
    let leaf = "[a-c0-9 ]{0,4}".prop_map(|text| text.trim().to_owned());
    let tree = leaf.prop_recursive(3, 16, 4, |inner| {
        (
            "[a-c]{1,2}",
            prop::option::of(("[a-c]{1,2}", "[a-c0-9]{0,3}")),
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(name, attribute, children)| {
                let attribute = attribute
                    .map(|(key, value)| format!(" {key}=\"{value}\""))
                    .unwrap_or_default();
                format!("<{name}{attribute}>{}</{name}>", children.concat())
            })
    });
    tree.prop_map(|xml| {
        if xml.starts_with('<') {
            xml
        } else {
            format!("<r>{xml}</r>")
        }
    })
}

/// A rule path: mostly a well-formed one over the key alphabet, sometimes a malformed one.
pub(crate) fn rule_path() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        "[a-c]{1,2}".prop_map(|key| format!(".{key}")),
        Just("[*]".to_owned()),
        Just(".*".to_owned()),
        (0usize..4).prop_map(|index| format!("[{index}]")),
        "[a-c ]{1,3}".prop_map(|key| format!("['{key}']")),
        Just("..a".to_owned()),
        Just("[-1]".to_owned()),
    ];
    prop_oneof![
        4 => prop::collection::vec(segment, 0..4).prop_map(|segments| format!("${}", segments.concat())),
        1 => prop::sample::select(vec![
            "", "$", "$[", "$.", "a.b", "$['a", "$[99999999999999999999]", "$.a[", "$[*", "$$", "*",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,6}",
    ]
}

/// Regular expressions: valid, invalid, Java-style braces, and character soup.
pub(crate) fn regex_pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "\\d+",
            ".*",
            "^$",
            "(",
            "[a-",
            "a{2,1}",
            "(?P<x",
            "\\",
            "*",
            "/items/{id}",
            "{",
            "a{,3}",
            "\\p{Greek}+",
            "(?i)ABC",
            "\\Qa.b\\E",
            "[[:alpha:]]+",
            "(?<name>a)\\k<name>",
        ])
        .prop_map(str::to_owned),
        "[\\[\\](){}*+?.\\\\a-c0-9|^$,:-]{0,10}",
        "\\PC{0,8}",
    ]
}

/// Date and time formats in the Java style, and format-letter soup.
pub(crate) fn date_format() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "yyyy-MM-dd",
            "HH:mm:ss",
            "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
            "EEE, dd MMM yyyy HH:mm:ss zzz",
            "'",
            "''",
            "'unterminated",
            "yyyyyyyyyy",
            "SSSSSSSSSSSS",
            "[yyyy]",
            "G Q w W u",
        ])
        .prop_map(str::to_owned),
        "[yMdHhmsSaEzZXxGQuw'\\[\\] .:T-]{0,12}",
        "\\PC{0,8}",
    ]
}

/// JSON Schemas: real ones, broken ones and any JSON object.
pub(crate) fn json_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            json!({ "type": "string" }),
            json!({ "type": ["integer", "null"], "minimum": 0 }),
            json!({ "type": "nonsense" }),
            json!({ "minimum": "a" }),
            json!({ "pattern": "(" }),
            json!({ "$ref": "#/$defs/x", "$defs": { "x": { "type": "integer" } } }),
            json!({ "$ref": "#/missing" }),
            json!({ "properties": { "a": false }, "required": ["a"] }),
            json!(true),
            json!(false),
        ]),
        json_value().prop_map(|value| match value {
            object @ Value::Object(_) => object,
            other => json!({ "const": other }),
        }),
    ]
}

/// Any matcher the model has, with any arguments.
pub(crate) fn matching_rule() -> impl Strategy<Value = MatchingRule> {
    let leaf = prop_oneof![
        Just(MatchingRule::Equality),
        regex_pattern().prop_map(MatchingRule::Regex),
        (prop::option::of(0usize..4), prop::option::of(0usize..4))
            .prop_map(|(min, max)| MatchingRule::Type { min, max }),
        "\\PC{0,4}".prop_map(MatchingRule::Include),
        Just(MatchingRule::Integer),
        Just(MatchingRule::Decimal),
        Just(MatchingRule::Number),
        Just(MatchingRule::Boolean),
        Just(MatchingRule::Null),
        prop::option::of(date_format()).prop_map(MatchingRule::Date),
        prop::option::of(date_format()).prop_map(MatchingRule::Time),
        prop::option::of(date_format()).prop_map(MatchingRule::Timestamp),
        content_type().prop_map(MatchingRule::ContentType),
        Just(MatchingRule::Values),
        Just(MatchingRule::NotEmpty),
        Just(MatchingRule::Semver),
        prop_oneof![
            prop::sample::select(vec![
                json!("success"),
                json!("clientError"),
                json!("nonsense"),
                json!([200, 201]),
                json!([]),
                json!([-1, 70000, "x"]),
            ]),
            json_value(),
        ]
        .prop_map(MatchingRule::StatusCode),
        json_schema().prop_map(MatchingRule::JsonSchema),
        json_value().prop_map(MatchingRule::Unknown),
    ];
    leaf.prop_recursive(2, 12, 3, |inner| {
        let list = (prop::collection::vec(inner.clone(), 0..3), combine())
            .prop_map(|(rules, combine)| RuleList { rules, combine });
        let variant = (
            0usize..5,
            prop::collection::btree_map(rule_path(), list, 0..3),
        )
            .prop_map(|(index, rules)| ArrayContainsVariant {
                index,
                rules,
                generators: BTreeMap::new(),
            });
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(MatchingRule::EachKey),
            prop::collection::vec(inner, 0..3).prop_map(MatchingRule::EachValue),
            prop::collection::vec(variant, 0..3).prop_map(MatchingRule::ArrayContains),
        ]
    })
}

pub(crate) fn combine() -> impl Strategy<Value = Combine> {
    prop_oneof![Just(Combine::And), Just(Combine::Or)]
}

pub(crate) fn rule_list() -> impl Strategy<Value = RuleList> {
    (prop::collection::vec(matching_rule(), 0..3), combine())
        .prop_map(|(rules, combine)| RuleList { rules, combine })
}

/// Rules in every category, keyed as the engine looks them up (paths for the body, names for
/// headers, query and metadata, the empty string for path and status) and sometimes not.
pub(crate) fn matching_rules() -> impl Strategy<Value = MatchingRules> {
    let keyed = |keys: BoxedStrategy<String>| prop::collection::btree_map(keys, rule_list(), 0..3);
    (
        keyed(rule_path().boxed()),
        keyed(header_name().boxed()),
        keyed(parameter_name().boxed()),
        keyed(prop_oneof![Just(String::new()), "[a-c]{1,2}"].boxed()),
        keyed(prop_oneof![Just(String::new()), "[a-c]{1,2}"].boxed()),
        keyed(parameter_name().boxed()),
    )
        .prop_map(|(body, header, query, path, status, metadata)| {
            let mut rules = MatchingRules::default();
            for (category, entries) in [
                (RuleCategory::Body, body),
                (RuleCategory::Header, header),
                (RuleCategory::Query, query),
                (RuleCategory::Path, path),
                (RuleCategory::Status, status),
                (RuleCategory::Metadata, metadata),
            ] {
                rules.categories.insert(category, entries);
            }
            rules
        })
}

pub(crate) fn content_type() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "application/json",
            "application/json; charset=utf-8",
            "application/vnd.api+json",
            "text/plain",
            "application/xml",
            "text/xml; charset=iso-8859-1",
            "application/x-www-form-urlencoded",
            "application/octet-stream",
            "multipart/form-data; boundary=x",
            ";",
            "",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,10}",
    ]
}

pub(crate) fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Content-Type".to_owned()),
        Just("content-type".to_owned()),
        Just("Accept".to_owned()),
        "[a-cA-C-]{1,3}",
    ]
}

pub(crate) fn parameter_name() -> impl Strategy<Value = String> {
    prop_oneof!["[a-c]{1,2}", "\\PC{0,4}"]
}

pub(crate) fn pairs(
    names: BoxedStrategy<String>,
    values: std::ops::Range<usize>,
) -> impl Strategy<Value = Pairs> {
    prop::collection::vec(
        (names, prop::collection::vec(interesting_text(), values)),
        0..4,
    )
}

/// Headers; `values` bounds how many values each has (a header sent over the wire has one at
/// least; a contract may write an empty array).
pub(crate) fn headers_with(values: std::ops::Range<usize>) -> impl Strategy<Value = Pairs> {
    let value = prop_oneof![content_type(), interesting_text()];
    prop::collection::vec((header_name(), prop::collection::vec(value, values)), 0..4)
}

pub(crate) fn headers() -> impl Strategy<Value = Pairs> {
    headers_with(0..3)
}

/// Any body: absent, null, JSON, text (often XML or form data), bytes; with or without a
/// wrapper content type.
pub(crate) fn body() -> impl Strategy<Value = Body> {
    let content = prop_oneof![
        3 => json_value().prop_map(BodyContent::Json),
        1 => interesting_text().prop_map(BodyContent::Text),
        1 => xml_text().prop_map(BodyContent::Text),
        1 => "([a-c]{1,2}=[a-c0-9%+]{0,3}&?){0,4}".prop_map(BodyContent::Text),
        1 => prop::collection::vec(any::<u8>(), 0..16).prop_map(BodyContent::Bytes),
    ];
    prop_oneof![
        1 => Just(Body::Absent),
        1 => Just(Body::Null),
        6 => (content, prop::option::of(content_type()))
            .prop_map(|(content, content_type)| Body::Present { content, content_type }),
    ]
}

/// Replaces the value found by following `choices` (each picks a member or element, modulo
/// the count) with `replacement`; stops early at a scalar or an empty container.
pub(crate) fn replace_at(value: &mut Value, choices: &[usize], replacement: Value) {
    if let Some((&choice, rest)) = choices.split_first() {
        let child = match &mut *value {
            Value::Object(object) if !object.is_empty() => {
                let count = object.len();
                object.values_mut().nth(choice % count)
            }
            Value::Array(items) if !items.is_empty() => {
                let count = items.len();
                items.get_mut(choice % count)
            }
            _ => None,
        };
        if let Some(child) = child {
            return replace_at(child, rest, replacement);
        }
    }
    *value = replacement;
}

/// An expected body and an actual one: unrelated, equal, or the expected one with one value
/// replaced somewhere (so the engine walks deep before it finds the difference).
pub(crate) fn body_pair() -> impl Strategy<Value = (Body, Body)> {
    prop_oneof![
        (body(), body()),
        body().prop_map(|body| (body.clone(), body)),
        (
            json_value(),
            prop::collection::vec(any::<usize>(), 0..6),
            json_value(),
            prop::option::of(content_type()),
        )
            .prop_map(|(expected, choices, replacement, content_type)| {
                let mut actual = expected.clone();
                replace_at(&mut actual, &choices, replacement);
                let wrap = |value| Body::Present {
                    content: BodyContent::Json(value),
                    content_type: content_type.clone(),
                };
                (wrap(expected), wrap(actual))
            }),
    ]
}
