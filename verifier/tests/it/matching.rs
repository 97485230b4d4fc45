//! The matching engine's matchers through its public API, over hand-built model values: one
//! pass and one fail per matcher kind, `combine: OR`, rule weighting and the `jsonSchema`
//! extension. Each body test goes through [`check`], the one helper that calls the engine.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use treaty_schemas::{ArrayContainsVariant, Combine, MatchingRule, MatchingRules, RuleList};

use treaty::matching::{ActualResponse, MismatchKind, match_response};
use treaty_schemas::{Body, BodyContent, HttpResponse, RuleCategory};

pub(crate) fn rules(body: &[(&str, Vec<MatchingRule>)]) -> MatchingRules {
    rules_with(body, Combine::And)
}

pub(crate) fn rules_with(body: &[(&str, Vec<MatchingRule>)], combine: Combine) -> MatchingRules {
    let mut category = BTreeMap::new();
    for (path, list) in body {
        category.insert(
            (*path).to_owned(),
            RuleList {
                rules: list.clone(),
                combine,
            },
        );
    }
    let mut matching_rules = MatchingRules::default();
    matching_rules
        .categories
        .insert(RuleCategory::Body, category);
    matching_rules
}

pub(crate) fn json_response(body: Value, matching_rules: MatchingRules) -> HttpResponse {
    HttpResponse {
        status: Some(200),
        headers: Some(vec![(
            "Content-Type".into(),
            vec!["application/json".into()],
        )]),
        body: Body::Present {
            content: BodyContent::Json(body),
            content_type: None,
        },
        matching_rules,
        generators: Default::default(),
    }
}

/// Matches `actual` (sent as JSON text) against `expected` with `matching_rules`; returns
/// the mismatch messages.
pub(crate) fn check(expected: Value, matching_rules: MatchingRules, actual: Value) -> Vec<String> {
    let expected = json_response(expected, matching_rules);
    let actual = ActualResponse::from_parts(
        200,
        vec![(
            "content-type".into(),
            vec!["application/json; charset=utf-8".into()],
        )],
        actual.to_string().as_bytes(),
    );
    match_response(&expected, &actual)
        .into_iter()
        .map(|mismatch| mismatch.message)
        .collect()
}

fn passes(expected: Value, rule: MatchingRule, actual: Value) -> bool {
    check(
        json!({ "v": expected }),
        rules(&[("$.v", vec![rule])]),
        json!({ "v": actual }),
    )
    .is_empty()
}

#[test]
fn equality_and_regex() {
    assert!(passes(json!("a"), MatchingRule::Equality, json!("a")));
    assert!(!passes(json!("a"), MatchingRule::Equality, json!("b")));
    assert!(passes(
        json!("x"),
        MatchingRule::Regex("\\d+".into()),
        json!("123")
    ));
    // Whole-value: a regex that only matches part of the value fails.
    assert!(!passes(
        json!("x"),
        MatchingRule::Regex("alligator named .{4}".into()),
        json!("alligator named brent")
    ));
    // Numbers are matched in their string form.
    assert!(passes(
        json!(1),
        MatchingRule::Regex("[0-9]".into()),
        json!(4)
    ));
}

#[test]
fn a_bad_regex_is_a_mismatch_not_a_panic() {
    let messages = check(
        json!({"v": "a"}),
        rules(&[("$.v", vec![MatchingRule::Regex("(".into())])]),
        json!({"v": "a"}),
    );
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("invalid"), "{messages:?}");
}

#[test]
fn type_with_min_and_max() {
    let type_rule = |min, max| MatchingRule::Type { min, max };
    assert!(passes(json!("a"), type_rule(None, None), json!("zzz")));
    assert!(!passes(json!("a"), type_rule(None, None), json!(1)));
    assert!(passes(
        json!([1]),
        type_rule(Some(2), None),
        json!([5, 6, 7])
    ));
    assert!(!passes(json!([1]), type_rule(Some(2), None), json!([5])));
    assert!(!passes(
        json!([1]),
        type_rule(None, Some(2)),
        json!([5, 6, 7])
    ));
    // Every item is compared with the first example.
    assert!(!passes(
        json!([1]),
        type_rule(None, None),
        json!([5, "six"])
    ));
}

#[test]
fn number_kinds_boolean_and_null() {
    assert!(passes(json!(1), MatchingRule::Integer, json!(42)));
    assert!(!passes(json!(1), MatchingRule::Integer, json!(4.2)));
    assert!(passes(json!(1.5), MatchingRule::Decimal, json!(4.25)));
    assert!(!passes(json!(1.5), MatchingRule::Decimal, json!(4)));
    assert!(passes(json!(1), MatchingRule::Number, json!(4.25)));
    assert!(!passes(json!(1), MatchingRule::Number, json!("4.25")));
    assert!(passes(json!(true), MatchingRule::Boolean, json!(false)));
    assert!(!passes(json!(true), MatchingRule::Boolean, json!(0)));
    assert!(passes(json!(null), MatchingRule::Null, json!(null)));
    assert!(!passes(json!(null), MatchingRule::Null, json!("")));
}

#[test]
fn include_not_empty_and_semver() {
    assert!(passes(
        json!("x"),
        MatchingRule::Include("gat".into()),
        json!("alligator")
    ));
    assert!(!passes(
        json!("x"),
        MatchingRule::Include("hippo".into()),
        json!("alligator")
    ));
    assert!(passes(json!("x"), MatchingRule::NotEmpty, json!("y")));
    assert!(!passes(json!("x"), MatchingRule::NotEmpty, json!("")));
    assert!(!passes(json!([1]), MatchingRule::NotEmpty, json!([])));
    assert!(passes(
        json!("1.0.0"),
        MatchingRule::Semver,
        json!("2.10.3-beta.1")
    ));
    assert!(!passes(json!("1.0.0"), MatchingRule::Semver, json!("2.10")));
}

#[test]
fn dates_times_and_timestamps() {
    let date = MatchingRule::Date(Some("yyyy-MM-dd".into()));
    assert!(passes(
        json!("2020-01-01"),
        date.clone(),
        json!("2024-02-29")
    ));
    assert!(!passes(json!("2020-01-01"), date, json!("29/02/2024")));
    let time = MatchingRule::Time(Some("HH:mm:ss".into()));
    assert!(passes(json!("10:00:00"), time.clone(), json!("23:59:59")));
    assert!(!passes(json!("10:00:00"), time, json!("24:00:00")));
    let timestamp = MatchingRule::Timestamp(Some("yyyy-MM-dd'T'HH:mm:ss".into()));
    assert!(passes(
        json!("x"),
        timestamp.clone(),
        json!("2024-05-01T13:45:00")
    ));
    assert!(!passes(json!("x"), timestamp, json!("2024-05-01 13:45:00")));
    assert!(passes(
        json!("x"),
        MatchingRule::Timestamp(None),
        json!("2024-05-01T13:45:00Z")
    ));
}

#[test]
fn content_type_and_status_code() {
    assert!(passes(
        json!("x"),
        MatchingRule::ContentType("application/xml".into()),
        json!("<a/>")
    ));
    assert!(!passes(
        json!("x"),
        MatchingRule::ContentType("application/xml".into()),
        json!("plain")
    ));
    let mut expected = json_response(json!({}), MatchingRules::default());
    let mut status_rules = BTreeMap::new();
    status_rules.insert(
        String::new(),
        RuleList {
            rules: vec![MatchingRule::StatusCode(json!("success"))],
            combine: Combine::And,
        },
    );
    expected
        .matching_rules
        .categories
        .insert(RuleCategory::Status, status_rules);
    let json_header = vec![(
        "Content-Type".to_owned(),
        vec!["application/json".to_owned()],
    )];
    let actual = |status| ActualResponse::from_parts(status, json_header.clone(), b"{}");
    assert!(match_response(&expected, &actual(201)).is_empty());
    let mismatches = match_response(&expected, &actual(404));
    assert_eq!(mismatches[0].kind, MismatchKind::Status);
}

#[test]
fn values_each_key_and_each_value() {
    let expected = json!({"m": {"a": 1}});
    let actual = json!({"m": {"x": 2, "y": 3}});
    let values = rules(&[
        ("$.m", vec![MatchingRule::Values]),
        (
            "$.m.*",
            vec![MatchingRule::Type {
                min: None,
                max: None,
            }],
        ),
    ]);
    assert!(check(expected.clone(), values, actual.clone()).is_empty());
    let each_key = rules(&[(
        "$.m",
        vec![MatchingRule::EachKey(vec![MatchingRule::Regex(
            "[a-z]".into(),
        )])],
    )]);
    assert!(check(expected.clone(), each_key.clone(), json!({"m": {"b": 1}})).is_empty());
    assert!(!check(expected.clone(), each_key, json!({"m": {"B": 1}})).is_empty());
    let each_value = rules(&[(
        "$.m",
        vec![MatchingRule::EachValue(vec![MatchingRule::Integer])],
    )]);
    assert!(check(expected.clone(), each_value.clone(), actual).is_empty());
    assert!(!check(expected, each_value, json!({"m": {"x": "2"}})).is_empty());
}

#[test]
fn array_contains() {
    let variant = |index| ArrayContainsVariant {
        index,
        rules: BTreeMap::new(),
        generators: BTreeMap::new(),
    };
    let rule = MatchingRule::ArrayContains(vec![variant(0), variant(1)]);
    let expected = json!({"v": [{"id": 1}, {"id": 2}]});
    let body_rules = rules(&[("$.v", vec![rule])]);
    assert!(
        check(
            expected.clone(),
            body_rules.clone(),
            json!({"v": [{"id": 3}, {"id": 2}, {"id": 1}]})
        )
        .is_empty()
    );
    let messages = check(expected, body_rules, json!({"v": [{"id": 1}]}));
    assert_eq!(
        messages,
        vec![r#"$.v: expected an item like {"id":2}, but no item matched"#]
    );
}

#[test]
fn json_schema_matcher() {
    let schema = json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 1}}});
    let body_rules = rules(&[("$", vec![MatchingRule::JsonSchema(schema)])]);
    assert!(
        check(
            json!({"id": 1}),
            body_rules.clone(),
            json!({"id": 7, "extra": true})
        )
        .is_empty()
    );
    let messages = check(json!({"id": 1}), body_rules, json!({"id": 0}));
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].starts_with("$: expected a value satisfying the JSON Schema"),
        "{messages:?}"
    );
}

#[test]
fn combine_or_needs_one_rule() {
    let either = vec![MatchingRule::Integer, MatchingRule::Regex("n/a".into())];
    let or_rules = rules_with(&[("$.v", either.clone())], Combine::Or);
    assert!(check(json!({"v": 1}), or_rules.clone(), json!({"v": "n/a"})).is_empty());
    assert!(check(json!({"v": 1}), or_rules.clone(), json!({"v": 5})).is_empty());
    assert_eq!(check(json!({"v": 1}), or_rules, json!({"v": "x"})).len(), 1);
    let and_rules = rules_with(&[("$.v", either)], Combine::And);
    assert!(!check(json!({"v": 1}), and_rules, json!({"v": 5})).is_empty());
}

#[test]
fn the_most_specific_rule_wins_and_type_rules_cascade() {
    let body_rules = rules(&[
        (
            "$.items",
            vec![MatchingRule::Type {
                min: Some(1),
                max: None,
            }],
        ),
        ("$.items[*].price", vec![MatchingRule::Number]),
        ("$.items[1].price", vec![MatchingRule::Equality]),
    ]);
    let expected = json!({"items": [{"name": "a", "price": 1}, {"name": "b", "price": 2}]});
    assert!(
        check(
            expected.clone(),
            body_rules.clone(),
            json!({"items": [{"name": "z", "price": 9}, {"name": "y", "price": 2}, {"name": "x", "price": 4.5}]})
        )
        .is_empty()
    );
    let messages = check(
        expected,
        body_rules,
        json!({"items": [{"name": "z", "price": 9}, {"name": "y", "price": 3}]}),
    );
    assert_eq!(messages, vec!["$.items[1].price: expected 2, got 3"]);
}

#[test]
fn a_rule_whose_path_addresses_nothing_is_ignored() {
    let body_rules = rules(&[(
        "$.product.price",
        vec![MatchingRule::Regex("\\d(\\.\\d{1,2})".into())],
    )]);
    let body = json!([{"product": {"price": 500.55}}]);
    assert!(check(body.clone(), body_rules, body).is_empty());
}

#[test]
fn content_type_rule_on_a_whole_binary_body() {
    let png = b"\x89PNG\r\n\x1a\n rest of the image";
    let expected = HttpResponse {
        status: None,
        headers: None,
        body: Body::Present {
            content: BodyContent::Bytes(png.to_vec()),
            content_type: None,
        },
        matching_rules: rules(&[("$", vec![MatchingRule::ContentType("image/png".into())])]),
        generators: Default::default(),
    };
    let other_png =
        ActualResponse::from_parts(200, vec![], b"\x89PNG\r\n\x1a\n\xff\xfe another one");
    assert!(match_response(&expected, &other_png).is_empty());
    let pdf = ActualResponse::from_parts(200, vec![], b"%PDF-1.7 \xff\xfe");
    let messages: Vec<String> = match_response(&expected, &pdf)
        .into_iter()
        .map(|m| m.message)
        .collect();
    assert_eq!(
        messages,
        vec!["$: expected a body of type image/png, got application/pdf"]
    );
}

#[test]
fn combine_or_can_accept_a_value_of_another_kind() {
    let null_or_object = vec![
        MatchingRule::Null,
        MatchingRule::Type {
            min: None,
            max: None,
        },
    ];
    let or_rules = rules_with(&[("$.owner", null_or_object)], Combine::Or);
    let expected = json!({"owner": {"name": "Mary"}});
    assert!(check(expected.clone(), or_rules.clone(), json!({"owner": null})).is_empty());
    assert!(
        check(
            expected.clone(),
            or_rules.clone(),
            json!({"owner": {"name": "Ann"}})
        )
        .is_empty()
    );
    assert_eq!(check(expected, or_rules, json!({"owner": 3})).len(), 1);
}

#[test]
fn each_value_rules_cascade_into_each_value() {
    let each_value = vec![MatchingRule::EachValue(vec![MatchingRule::Type {
        min: None,
        max: None,
    }])];
    let body_rules = rules(&[("$.animals", each_value)]);
    let expected = json!({"animals": {"mary": {"kind": "alligator", "legs": 4}}});
    let actual = json!({"animals": {"ann": {"kind": "hippo", "legs": 4}, "bob": {"kind": "cat", "legs": 3}}});
    assert!(check(expected.clone(), body_rules.clone(), actual).is_empty());
    let messages = check(
        expected,
        body_rules,
        json!({"animals": {"ann": {"kind": "hippo", "legs": "4"}}}),
    );
    assert_eq!(
        messages,
        vec![r#"$.animals.ann.legs: expected a number, got "4""#]
    );
}
