//! Tests of the JSON matcher: the mismatches it reports, with and without rules.

use std::collections::BTreeMap;

use serde_json::json;
use treaty_schemas::{Combine, MatchingRule, RuleList};

use super::*;

fn mismatches(rules: &[(&str, MatchingRule)], expected: &Value, actual: &str) -> Vec<String> {
    let rules: BTreeMap<String, RuleList> = rules
        .iter()
        .map(|(path, rule)| {
            let list = RuleList {
                rules: vec![rule.clone()],
                combine: Combine::And,
            };
            (path.to_string(), list)
        })
        .collect();
    let evaluator = Evaluator::default();
    let matcher = JsonMatcher {
        rules: RuleSet::new(Some(&rules)),
        evaluator: &evaluator,
        strict: true,
    };
    let actual = Node::parse_str(actual).unwrap();
    let mut out = Vec::new();
    matcher.compare(&matcher.rules.root(), expected, &actual, &mut out);
    out.iter()
        .map(|mismatch| {
            assert!(
                mismatch
                    .message
                    .starts_with(&format!("{}: ", mismatch.path))
            );
            mismatch.message.replacen(": ", " ", 1)
        })
        .collect()
}

#[test]
fn subtrees_no_rule_reaches_report_as_before() {
    let expected = json!({"a": 1, "b": {"c": [1, 2], "d": {"e": "x"}}, "f": [{"g": 1}]});
    let actual = r#"{"a": 2, "b": {"c": [1, 3, 4], "d": {"e": "y", "z": 0}}, "f": [{"g": "1"}]}"#;
    for rules in [
        vec![],
        vec![(
            "$.a",
            MatchingRule::Type {
                min: None,
                max: None,
            },
        )],
        vec![("$.f[*].g", MatchingRule::Integer)],
    ] {
        let found = mismatches(&rules, &expected, actual);
        assert!(
            found.contains(&"$.b.c[1] expected 2, got 3".to_owned()),
            "{found:?}"
        );
        assert!(
            found.contains(&"$.b.c expected 2 item(s), got 3".to_owned()),
            "{found:?}"
        );
        assert!(
            found.contains(&"$.b.d.e expected \"x\", got \"y\"".to_owned()),
            "{found:?}"
        );
        assert!(
            found.contains(&"$.b.d.z unexpected key (with value 0)".to_owned()),
            "{found:?}"
        );
    }
    assert!(mismatches(&[], &expected, actual).contains(&"$.a expected 1, got 2".to_owned()));
    let typed = [(
        "$.a",
        MatchingRule::Type {
            min: None,
            max: None,
        },
    )];
    assert!(
        !mismatches(&typed, &expected, actual)
            .iter()
            .any(|m| m.starts_with("$.a "))
    );
    let integer = [("$.f[*].g", MatchingRule::Integer)];
    assert!(
        mismatches(&integer, &expected, actual)
            .iter()
            .any(|m| m.starts_with("$.f[0].g expected an integer"))
    );
}

#[test]
fn equal_leaves_pass_and_unequal_ones_are_reported_beside_rules() {
    let expected = json!({"a": 1, "b": "x", "c": null, "d": [true, 1.5], "e": {"f": 2}, "g": 3});
    let rules = [("$.g", MatchingRule::Integer)];
    let equal = r#"{"a": 1.0, "b": "x", "c": null, "d": [true, 1.5], "e": {"f": 2}, "g": 4}"#;
    assert_eq!(mismatches(&rules, &expected, equal), Vec::<String>::new());
    let unequal = r#"{"a": 2, "b": {}, "c": false, "d": [true, [1.5]], "e": {"f": "2"}, "g": 4}"#;
    assert_eq!(
        mismatches(&rules, &expected, unequal),
        [
            "$.a expected 1, got 2",
            "$.b expected a string, got {}",
            "$.c expected null, got false",
            "$.d[1] expected a number, got [1.5]",
            "$.e.f expected 2, got \"2\"",
        ]
    );
}
